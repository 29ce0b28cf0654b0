import { z } from 'zod';
import { awardEarnedBadges, type BadgesDeps } from '../../features/badges/badges.service.js';
import type { JobHandler } from '../worker.js';

export const badgeCheckPayload = z.object({ personId: z.string().min(1) });

/**
 * After a module or an assessment is completed: award what the rules say is earned (Explorer, meta-badges). Run in
 * the background so signing never slows a card action; the "You earned a badge" card is queued by the award.
 */
export function badgeCheckJob(deps: BadgesDeps): JobHandler<z.infer<typeof badgeCheckPayload>> {
  return {
    kind: 'badge-check',
    payload: badgeCheckPayload,
    async run(_ctx, payload) {
      const awarded = await awardEarnedBadges(deps, payload.personId);
      return { status: 'done', note: awarded.length ? `awarded ${awarded.map((a) => a.badgeClassId).join(', ')}` : 'nothing new' };
    },
  };
}
