import { z } from 'zod';
import { answersCard, introCard, noResultsCard, resultsCard, stepCard } from '../../features/assessment/assessment.cards.js';
import { areaSubmission, assessmentRef, languageSubmission } from '../../features/assessment/assessment.schemas.js';
import {
  answersOf,
  assessmentStatus,
  latestResults,
  startOrResume,
  submitArea,
  submitLanguages,
  viewAssessment,
  type AssessmentDeps,
} from '../../features/assessment/assessment.service.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();

/** The self-assessment: one card per area, updated in place, then languages, then results; `profile` shows the latest. */
export function registerAssessmentHandlers(kit: BotKit, deps: AssessmentDeps & { publicBaseUrl: string; onCompleted?: (personId: string, assessmentId: string) => Promise<void> }) {
  const ctx = (turn: Turn) => ({ t: turn.t, lang: turn.lang, publicBaseUrl: deps.publicBaseUrl });

  kit.command('assess', 'assessment.take', async (_context, turn) => introCard(ctx(turn), await assessmentStatus(deps, turn.person.id)));
  kit.command('profile', 'assessment.view', async (_context, turn) => {
    const latest = await latestResults(deps, turn.person.id);
    return latest ? resultsCard(ctx(turn), latest) : noResultsCard(ctx(turn));
  });

  const start = async (turn: Turn) => stepCard(ctx(turn), await startOrResume(deps, { id: turn.person.id, jobRole: turn.person.jobRole }));
  kit.verb('assessment.start', 'assessment.take', noInput, async (_context, turn) => start(turn));
  kit.verb('assessment.retake', 'assessment.take', noInput, async (_context, turn) => start(turn));
  kit.verb('assessment.area', 'assessment.take', areaSubmission, async (_context, turn, input) => stepCard(ctx(turn), await submitArea(deps, turn.person.id, input)));
  kit.verb('assessment.languages', 'assessment.take', languageSubmission, async (_context, turn, input) => {
    const view = await submitLanguages(deps, turn.person.id, input);
    if (view.kind === 'results' && !view.stale) await deps.onCompleted?.(turn.person.id, view.assessment.id);
    return stepCard(ctx(turn), view);
  });
  kit.verb('assessment.results', 'assessment.view', assessmentRef, async (_context, turn, input) =>
    stepCard(ctx(turn), await viewAssessment(deps, turn.person.id, input.assessmentId)),
  );
  kit.verb('assessment.answers', 'assessment.view', assessmentRef, async (_context, turn, input) =>
    answersCard(ctx(turn), await answersOf(deps, turn.person.id, input.assessmentId)),
  );
}
