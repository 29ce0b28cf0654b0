import { z } from 'zod';
import { badgesListCard } from '../../features/badges/badges.cards.js';
import { BadgesRepository } from '../../features/badges/badges.repository.js';
import { myBadges, type BadgesDeps } from '../../features/badges/badges.service.js';
import { localised } from '../../lib/i18n.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();

/** `badges`: the person's Open Badges with their status, and what they can apply for next. */
export function registerBadgeHandlers(kit: BotKit, deps: BadgesDeps) {
  const list = async (turn: Turn) => {
    const { awards, statuses } = await myBadges(deps, turn.person.id);
    const names = new Map((await new BadgesRepository(deps.db).classes()).map((c) => [c.id, localised(c.content.name, turn.lang)]));
    return badgesListCard(turn.t, turn.lang, deps.issuer, awards, statuses, names);
  };
  kit.command('badges', 'badges.view', async (_context, turn) => list(turn));
  kit.verb('badges.list', 'badges.view', noInput, async (_context, turn) => list(turn));
}
