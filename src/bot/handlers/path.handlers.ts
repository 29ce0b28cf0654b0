import { z } from 'zod';
import { doneCard, goalCard, interestsCard, needsAssessmentCard, pathCard, sharedListCard, sharingCard, targetsCard } from '../../features/path/path.cards.js';
import { doneInput, goalInput, interestsInput, planRef, rsvpInput, shareInput, shareRef, stepRef, targetsInput } from '../../features/path/path.schemas.js';
import {
  acceptStep, completeStep, declineStep, openPath, rsvpFromStep, saveTargets, targetsView, plansSharedWith, revokeShare, saveInterests, sharePlan, sharingStatus, stepForForm, swapStep, viewSharedPlan,
  type PathDeps, type PathView,
} from '../../features/path/path.service.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();

/** The personal development path: plan, steps (accept as a SMART goal, swap, decline, done), sharing. */
export function registerPathHandlers(kit: BotKit, deps: PathDeps) {
  const show = (turn: Turn, view: PathView) => {
    const ctx = { t: turn.t, lang: turn.lang };
    if (view.kind === 'needsAssessment') return needsAssessmentCard(ctx);
    if (view.kind === 'interests') return interestsCard(ctx, view);
    return pathCard(ctx, view);
  };
  const ctx = (turn: Turn) => ({ t: turn.t, lang: turn.lang });

  kit.command('path', 'path.use', async (_context, turn) => show(turn, await openPath(deps, turn.person.id)));
  kit.command('shared', 'path.use', async (_context, turn) => sharedListCard(ctx(turn), await plansSharedWith(deps, turn.person.id)));
  kit.verb('path.sharedList', 'path.use', noInput, async (_context, turn) => sharedListCard(ctx(turn), await plansSharedWith(deps, turn.person.id)));
  kit.verb('path.open', 'path.use', noInput, async (_context, turn) => show(turn, await openPath(deps, turn.person.id)));
  kit.verb('path.interests', 'path.use', interestsInput, async (_context, turn, input) => show(turn, await saveInterests(deps, turn.person.id, input.areas)));
  kit.verb('path.accept', 'path.use', stepRef, async (_context, turn, input) => {
    const { step, title } = await stepForForm(deps, turn.person.id, input.stepId, turn.lang);
    return goalCard(ctx(turn), step, title, deps.clock.now());
  });
  kit.verb('path.goal', 'path.use', goalInput, async (_context, turn, input) =>
    show(turn, await acceptStep(deps, turn.person.id, { stepId: input.stepId, what: input.what, by: input.by, evidence: input.evidence, support: input.support })),
  );
  kit.verb('path.swap', 'path.use', stepRef, async (_context, turn, input) => show(turn, await swapStep(deps, turn.person.id, input.stepId)));
  kit.verb('path.rsvp', 'path.use', rsvpInput, async (_context, turn, input) => show(turn, await rsvpFromStep(deps, turn.person.id, input.stepId, input.status)));
  kit.verb('path.decline', 'path.use', stepRef, async (_context, turn, input) => show(turn, await declineStep(deps, turn.person.id, input.stepId)));
  kit.verb('path.finish', 'path.use', stepRef, async (_context, turn, input) => {
    const { step, title } = await stepForForm(deps, turn.person.id, input.stepId, turn.lang);
    return doneCard(ctx(turn), step, title);
  });
  kit.verb('path.done', 'path.use', doneInput, async (_context, turn, input) => show(turn, await completeStep(deps, turn.person.id, input)));
  kit.verb('path.editTargets', 'path.use', noInput, async (_context, turn) => targetsCard(ctx(turn), await targetsView(deps, turn.person.id)));
  kit.verb('path.targets', 'path.use', targetsInput, async (_context, turn, input) => {
    await saveTargets(deps, turn.person.id, input);
    return targetsCard(ctx(turn), await targetsView(deps, turn.person.id), 'path.targets.saved');
  });
  kit.verb('path.sharing', 'path.use', noInput, async (_context, turn) => sharingCard(ctx(turn), await sharingStatus(deps, turn.person.id)));
  kit.verb('path.share', 'path.use', shareInput, async (_context, turn, input) => {
    await sharePlan(deps, turn.person.id, input.viewerId);
    return sharingCard(ctx(turn), await sharingStatus(deps, turn.person.id), 'path.sharing.shared');
  });
  kit.verb('path.unshare', 'path.use', shareRef, async (_context, turn, input) => {
    await revokeShare(deps, turn.person.id, input.shareId);
    return sharingCard(ctx(turn), await sharingStatus(deps, turn.person.id), 'path.sharing.stopped');
  });
  kit.verb('path.viewShared', 'path.use', planRef, async (_context, turn, input) => {
    const view = await viewSharedPlan(deps, turn.person.id, input.planId);
    return view.kind === 'plan' ? pathCard(ctx(turn), view, true) : show(turn, view);
  });
}
