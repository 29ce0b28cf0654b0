import { z } from 'zod';
import type { Card } from '../../lib/cards.js';
import type { JobHandler } from '../worker.js';

export const notifyPayload = z.object({
  to: z.union([z.object({ personId: z.string().min(1) }), z.object({ conversationId: z.string().min(1) })]),
  card: z.record(z.unknown()),
  summary: z.string().max(500),
});

/** A card the domain asked to send now (an access request for an admin, a decision for the requester …). */
export const notifyJob: JobHandler<z.infer<typeof notifyPayload>> = {
  kind: 'notify',
  payload: notifyPayload,
  async run(ctx, payload) {
    return { status: 'delivered', outcome: await ctx.deliver(payload.to, payload.card as Card, payload.summary) };
  },
};
