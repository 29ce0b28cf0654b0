import { z } from 'zod';
import { decideRequest, listPendingRequests, type RequestDeps } from '../../features/people/access-requests.service.js';
import { accessRequestCard, button, requestSubject } from '../../features/people/people.cards.js';
import { requestDecisionInput } from '../../features/people/people.schemas.js';
import { renderCard } from '../../lib/cards.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();

/** Admins decide access requests (grants and organisation assignments). */
export function registerRequestHandlers(kit: BotKit, deps: RequestDeps) {
  const list = async (turn: Turn) => {
    const { t } = turn;
    const pending = await listPendingRequests(deps.db, turn.actor);
    const orgs = new Map((await deps.db.organisation.findMany({ select: { id: true, name: true } })).map((o) => [o.id, o.name]));
    return renderCard('requests-list', {
      title: t('requests.listTitle'),
      empty: pending.length === 0,
      emptyText: t('requests.none'),
      requests: pending.map((r) => ({
        subject: requestSubject(t, r, orgs.get(r.organisationId) ?? r.organisationId),
        detail: `${r.person.email ?? t('common.unknown')} · ${r.createdAt.toISOString().slice(0, 10)}`,
        buttons: [
          button(t('requests.approve'), 'requests.approve', { requestId: r.id }, 'positive'),
          button(t('requests.decline'), 'requests.decline', { requestId: r.id }, 'destructive'),
        ],
      })),
    });
  };
  kit.command('requests', 'requests.list', async (_context, turn) => list(turn));
  kit.verb('requests.list', 'requests.list', noInput, async (_context, turn) => list(turn));

  for (const [verb, decision] of [['requests.approve', 'approve'], ['requests.decline', 'decline']] as const) {
    kit.verb(verb, 'requests.decide', requestDecisionInput, async (_context, turn, input) => {
      const result = await decideRequest(deps, { actor: turn.actor, requestId: input.requestId, decision });
      return accessRequestCard(turn.t, result.request, result.organisationName, result.decidedByName);
    });
  }
}
