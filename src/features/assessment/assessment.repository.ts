import type { Db } from '../../db/client.js';

const assessmentSelect = {
  id: true,
  personId: true,
  status: true,
  step: true,
  jobRole: true,
  frameworkVersion: true,
  results: true,
  chartToken: true,
  startedAt: true,
  updatedAt: true,
  completedAt: true,
} as const;

export type AssessmentRow = NonNullable<Awaited<ReturnType<AssessmentRepository['findById']>>>;

export class AssessmentRepository {
  constructor(private readonly db: Db) {}

  findById(id: string) {
    return this.db.assessment.findUnique({ where: { id }, select: assessmentSelect });
  }

  findInProgress(personId: string) {
    return this.db.assessment.findUnique({ where: { openKey: personId }, select: assessmentSelect });
  }

  /** The person's completed assessments, newest first. */
  completed(personId: string, take = 2) {
    return this.db.assessment.findMany({ where: { personId, status: 'completed' }, orderBy: { completedAt: 'desc' }, take, select: assessmentSelect });
  }

  findByChartToken(chartToken: string) {
    return this.db.assessment.findUnique({ where: { chartToken }, select: { ...assessmentSelect, person: { select: { language: true, clientLocale: true, jobRole: true } } } });
  }

  create(data: { personId: string; jobRole: string | null; frameworkVersion: string; startedAt: Date }) {
    return this.db.assessment.create({ data: { ...data, openKey: data.personId }, select: assessmentSelect });
  }

  answers(assessmentId: string) {
    return this.db.answer.findMany({ where: { assessmentId }, select: { statementId: true, score: true, evidence: true } });
  }

  upsertAnswer(assessmentId: string, statementId: string, score: number, evidence: string | null) {
    return this.db.answer.upsert({
      where: { assessmentId_statementId: { assessmentId, statementId } },
      create: { assessmentId, statementId, score, evidence },
      update: { score, evidence },
    });
  }

  /** Moves from one step to another only if the assessment is still at `from` (a double click moves once). */
  async moveStep(id: string, from: number, to: number): Promise<boolean> {
    const { count } = await this.db.assessment.updateMany({ where: { id, step: from, status: 'in_progress' }, data: { step: to } });
    return count === 1;
  }

  languages(assessmentId: string) {
    return this.db.languageRating.findMany({ where: { assessmentId }, orderBy: [{ language: 'asc' }, { skill: 'asc' }], select: { language: true, skill: true, level: true } });
  }

  upsertLanguage(assessmentId: string, language: string, skill: string, level: string) {
    return this.db.languageRating.upsert({
      where: { assessmentId_language_skill: { assessmentId, language, skill } },
      create: { assessmentId, language, skill, level },
      update: { level },
    });
  }

  /** Completes only an assessment still in progress at that step; false when a double click already did. */
  async complete(id: string, step: number, data: { results: object; chartToken: string; completedAt: Date }): Promise<boolean> {
    const { count } = await this.db.assessment.updateMany({
      where: { id, step, status: 'in_progress' },
      data: { ...data, status: 'completed', openKey: null },
    });
    return count === 1;
  }
}
