import { z } from 'zod';
import { eventChangeCard } from '../../features/announcements/announcement-event.cards.js';
import { EventsRepository } from '../../features/events/events.repository.js';
import { isRsvpAnswer } from '../../features/events/events.service.js';
import type { Db } from '../../db/client.js';
import { localised, resolveLanguage, translator } from '../../lib/i18n.js';
import type { JobHandler } from '../worker.js';

export const eventChangePayload = z.object({
  eventId: z.string().min(1),
  revision: z.number().int().min(1),
  cancelled: z.boolean(),
  changes: z.array(z.object({ field: z.enum(['when', 'where', 'link']), from: z.string().max(600), to: z.string().max(600) })).max(3),
});

/**
 * One person who answered an event is told it changed or was cancelled (one job per person and change, keyed
 * `event-change:<eventId>:<revision>:<personId>`). A change notice still waiting when the event is cancelled is
 * dropped: the cancellation notice says what matters.
 */
export function eventChangeJob(deps: { db: Db; defaultLanguage: string }): JobHandler<z.infer<typeof eventChangePayload>> {
  return {
    kind: 'event-change',
    payload: eventChangePayload,
    async run(ctx, payload) {
      const event = await new EventsRepository(deps.db).findById(payload.eventId);
      if (!event || !ctx.job.personId) return { status: 'skipped', reason: 'event or person gone' };
      if (!payload.cancelled && event.cancelledAt) return { status: 'skipped', reason: 'event cancelled since' };
      const [person, rsvp] = await Promise.all([
        deps.db.person.findUnique({ where: { id: ctx.job.personId }, select: { language: true, clientLocale: true } }),
        deps.db.rsvp.findUnique({ where: { personId_eventId: { personId: ctx.job.personId, eventId: event.id } }, select: { status: true } }),
      ]);
      const lang = resolveLanguage([person?.language, person?.clientLocale], deps.defaultLanguage);
      const answer = rsvp && isRsvpAnswer(rsvp.status) ? rsvp.status : null;
      const card = eventChangeCard(translator(lang), lang, event, payload, answer);
      return { status: 'delivered', outcome: await ctx.deliver({ personId: ctx.job.personId }, card, localised(event.title, lang)) };
    },
  };
}
