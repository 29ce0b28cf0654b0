import crypto from 'node:crypto';
import { isUniqueViolation, type Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { AssessmentRepository, type AssessmentRow } from './assessment.repository.js';
import type { AreaSubmission, LanguageSubmission } from './assessment.schemas.js';
import { loadFramework, type Framework, type FrameworkArea } from './framework.repository.js';
import { overall, scoreArea, targetLevel, type AreaScore, type Level, type RoleProfile } from './scoring.js';

export type AssessmentDeps = { db: Db; clock: Clock };

export type Results = { areas: Record<string, AreaScore>; overall: AreaScore };

export type AreaStepView = {
  kind: 'area';
  assessment: AssessmentRow;
  framework: Framework;
  area: FrameworkArea;
  index: number;
  total: number;
  answers: Record<string, { score: number; evidence: string | null }>;
  missing: string[];
  stale: boolean;
};
export type LanguageStepView = {
  kind: 'languages';
  assessment: AssessmentRow;
  framework: Framework;
  ratings: { language: string; skill: string; level: string }[];
  stale: boolean;
  incomplete: boolean;
};
export type ResultsView = {
  kind: 'results';
  assessment: AssessmentRow & { results: Results };
  framework: Framework;
  targets: Record<string, Level>;
  previous: (AssessmentRow & { results: Results }) | null;
  stale: boolean;
};
export type PausedView = { kind: 'paused'; assessment: AssessmentRow; total: number };
export type StepView = AreaStepView | LanguageStepView | ResultsView | PausedView;

/** Loads an assessment for its owner; someone else's id is "not found", never a hint that it exists. */
async function owned(repo: AssessmentRepository, personId: string, assessmentId: string): Promise<AssessmentRow> {
  const a = await repo.findById(assessmentId);
  if (!a || a.personId !== personId) throw new AppError('not_found');
  return a;
}

async function answerMap(repo: AssessmentRepository, assessmentId: string) {
  return Object.fromEntries((await repo.answers(assessmentId)).map((a) => [a.statementId, { score: a.score, evidence: a.evidence }]));
}

/** The job role's target profile (a missing or unknown role targets Explorer everywhere). */
export async function roleProfile(db: Db, jobRole: string | null): Promise<RoleProfile> {
  const role = jobRole ? await db.jobRole.findUnique({ where: { id: jobRole }, select: { profile: true } }) : null;
  return (role?.profile as RoleProfile | undefined) ?? { default: 'L2', targets: {} };
}

/** The card to show for an assessment as it stands now (the step it is at, or its results). */
export async function currentView(deps: AssessmentDeps, a: AssessmentRow, stale = false, missing: string[] = []): Promise<StepView> {
  const framework = await loadFramework(deps.db);
  const repo = new AssessmentRepository(deps.db);
  if (a.status === 'completed') return resultsView(deps, a, framework, stale);
  if (a.step < framework.areas.length) {
    return { kind: 'area', assessment: a, framework, area: framework.areas[a.step]!, index: a.step, total: framework.areas.length, answers: await answerMap(repo, a.id), missing, stale };
  }
  return { kind: 'languages', assessment: a, framework, ratings: await repo.languages(a.id), stale, incomplete: false };
}

async function resultsView(deps: AssessmentDeps, a: AssessmentRow, framework: Framework, stale: boolean): Promise<ResultsView> {
  const repo = new AssessmentRepository(deps.db);
  const history = await repo.completed(a.personId, 20);
  const index = history.findIndex((h) => h.id === a.id);
  const previous = index >= 0 ? (history[index + 1] ?? null) : null;
  const profile = await roleProfile(deps.db, a.jobRole);
  // The person's own targets, where they set any, replace the job role's.
  const overrides = new Map((await deps.db.targetOverride.findMany({ where: { personId: a.personId }, select: { areaId: true, level: true } })).map((o) => [o.areaId, o.level as Level]));
  const targets = Object.fromEntries(framework.areas.map((area) => [area.id, overrides.get(area.id) ?? targetLevel(profile, area.id)]));
  return { kind: 'results', assessment: a as ResultsView['assessment'], framework, targets, previous: previous as ResultsView['previous'], stale };
}

/** `assess`: the assessment in progress (exactly where it was left), or a new one. One in progress per person. */
export async function startOrResume(deps: AssessmentDeps, person: { id: string; jobRole: string | null }): Promise<StepView> {
  const repo = new AssessmentRepository(deps.db);
  const open = await repo.findInProgress(person.id);
  if (open) return currentView(deps, open);
  const framework = await loadFramework(deps.db);
  try {
    const created = await repo.create({ personId: person.id, jobRole: person.jobRole, frameworkVersion: framework.version, startedAt: deps.clock.now() });
    return currentView(deps, created);
  } catch (error) {
    // Two clicks on "Start" at once: the second finds the one the first created.
    if (!isUniqueViolation(error)) throw error;
    return currentView(deps, (await repo.findInProgress(person.id))!);
  }
}

/** What the intro card needs: whether an assessment is waiting to be resumed, and how far it got. */
export async function assessmentStatus(deps: AssessmentDeps, personId: string) {
  const repo = new AssessmentRepository(deps.db);
  const [open, [latest]] = await Promise.all([repo.findInProgress(personId), repo.completed(personId, 1)]);
  const total = (await deps.db.area.count()) + 1;
  return { inProgress: open ? { step: open.step, total } : null, lastCompletedAt: latest?.completedAt ?? null };
}

/**
 * An area card submitted. Answers given are saved whatever the move (nothing typed is lost); "next" needs every
 * statement of the area answered. A card for another step, or for a finished assessment, changes nothing and
 * returns the current card (stale cards, double clicks, replays).
 */
export async function submitArea(deps: AssessmentDeps, personId: string, input: AreaSubmission): Promise<StepView> {
  const repo = new AssessmentRepository(deps.db);
  const a = await owned(repo, personId, input.assessmentId);
  const framework = await loadFramework(deps.db);
  if (a.status !== 'in_progress' || a.step !== input.step || input.step >= framework.areas.length) return currentView(deps, a, true);
  const area = framework.areas[a.step]!;
  const ids = new Set(area.statements.map((s) => s.id));
  const foreign = [...Object.keys(input.scores), ...Object.keys(input.evidence)].filter((id) => !ids.has(id));
  if (foreign.length) throw new AppError('invalid_input');

  const existing = await answerMap(repo, a.id);
  await deps.db.$transaction(async (tx) => {
    const txRepo = new AssessmentRepository(tx as unknown as Db);
    for (const statementId of ids) {
      const score = input.scores[statementId] ?? existing[statementId]?.score;
      if (score === undefined) continue;
      const note = input.evidence[statementId] ?? (input.scores[statementId] === undefined ? existing[statementId]?.evidence : undefined) ?? null;
      await txRepo.upsertAnswer(a.id, statementId, score, score >= framework.evidencePromptMinScore ? note : null);
    }
  });

  if (input.move === 'pause') return { kind: 'paused', assessment: a, total: framework.areas.length + 1 };
  if (input.move === 'back') {
    if (a.step > 0) await repo.moveStep(a.id, a.step, a.step - 1);
    return currentView(deps, (await repo.findById(a.id))!);
  }
  const answered = await answerMap(repo, a.id);
  const missing = area.statements.filter((s) => answered[s.id] === undefined).map((s) => s.id);
  if (missing.length) return currentView(deps, a, false, missing);
  const moved = await repo.moveStep(a.id, a.step, a.step + 1);
  return currentView(deps, (await repo.findById(a.id))!, !moved);
}

/** The language step: add a language's CEFR self-rating, go back, or finish (the step is optional). */
export async function submitLanguages(deps: AssessmentDeps, personId: string, input: LanguageSubmission): Promise<StepView> {
  const repo = new AssessmentRepository(deps.db);
  const a = await owned(repo, personId, input.assessmentId);
  const framework = await loadFramework(deps.db);
  const n = framework.areas.length;
  if (a.status !== 'in_progress' || a.step !== input.step || input.step !== n) return currentView(deps, a, true);
  const skills = new Set(framework.cefr.skills.map((s) => s.id));
  if (Object.keys(input.levels).some((s) => !skills.has(s))) throw new AppError('invalid_input');
  const rated = Object.keys(input.levels).length > 0;
  if (rated && !input.language) {
    return { kind: 'languages', assessment: a, framework, ratings: await repo.languages(a.id), stale: false, incomplete: true };
  }
  if (rated && input.language) {
    await deps.db.$transaction(async (tx) => {
      const txRepo = new AssessmentRepository(tx as unknown as Db);
      for (const [skill, level] of Object.entries(input.levels)) await txRepo.upsertLanguage(a.id, input.language!, skill, level);
    });
  }
  if (input.move === 'back') {
    await repo.moveStep(a.id, n, n - 1);
    return currentView(deps, (await repo.findById(a.id))!);
  }
  if (input.move === 'add') return currentView(deps, a);
  return finish(deps, a, framework);
}

async function finish(deps: AssessmentDeps, a: AssessmentRow, framework: Framework): Promise<StepView> {
  const repo = new AssessmentRepository(deps.db);
  const answers = Object.fromEntries(Object.entries(await answerMap(repo, a.id)).map(([id, v]) => [id, v.score]));
  const areas: Record<string, AreaScore> = {};
  for (const area of framework.areas) {
    const s = scoreArea(area.statements.map((st) => st.id), answers, framework.levelThresholds);
    if (!s) {
      // An area left unanswered (content changed meanwhile): go back to it rather than finish with a hole.
      await repo.moveStep(a.id, a.step, framework.areas.indexOf(area));
      return currentView(deps, (await repo.findById(a.id))!, false, area.statements.filter((st) => answers[st.id] === undefined).map((st) => st.id));
    }
    areas[area.id] = s;
  }
  const results: Results = { areas, overall: overall(Object.values(areas), framework.levelThresholds)! };
  const completed = await repo.complete(a.id, a.step, { results, chartToken: crypto.randomBytes(24).toString('base64url'), completedAt: deps.clock.now() });
  return currentView(deps, (await repo.findById(a.id))!, !completed);
}

/** `profile`: the latest results and the change since the previous assessment, or null before the first one. */
export async function latestResults(deps: AssessmentDeps, personId: string): Promise<ResultsView | null> {
  const [latest] = await new AssessmentRepository(deps.db).completed(personId, 1);
  if (!latest) return null;
  return resultsView(deps, latest, await loadFramework(deps.db), false);
}

/** One of the person's own assessments (results, or the card it is at). */
export async function viewAssessment(deps: AssessmentDeps, personId: string, assessmentId: string): Promise<StepView> {
  return currentView(deps, await owned(new AssessmentRepository(deps.db), personId, assessmentId));
}

/** The answers given, per area, for "view answers". */
export async function answersOf(deps: AssessmentDeps, personId: string, assessmentId: string) {
  const repo = new AssessmentRepository(deps.db);
  const a = await owned(repo, personId, assessmentId);
  return { assessment: a, framework: await loadFramework(deps.db), answers: await answerMap(repo, a.id), languages: await repo.languages(a.id) };
}
