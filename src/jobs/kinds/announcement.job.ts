import { z } from 'zod';
import { announcementCard } from '../../features/announcements/announcements.cards.js';
import { fanOut } from '../../features/announcements/announcements.service.js';
import { EventsRepository } from '../../features/events/events.repository.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { resolveLanguage, translator } from '../../lib/i18n.js';
import type { Withdrawal } from '../../lib/notifier.js';
import type { JobHandler } from '../worker.js';

export const announcementPayload = z.object({ announcementId: z.string().min(1), conversationId: z.string().min(1).optional() });

/** Still to be sent? Only while the announcement stands as sent. */
function withdrawal(a: { status: string } | null): Withdrawal | null {
  if (a?.status === 'sent') return null;
  return a?.status === 'cancelled' ? { ends: 'cancelled', reason: 'announcement cancelled' } : { ends: 'skipped', reason: 'announcement gone' };
}

/**
 * One recipient's copy of an announcement, unless it was cancelled meanwhile — checked when the job starts and again
 * after the wait for a send slot, right before the call, so a cancel stops every copy not already on its way.
 */
export function announcementJob(deps: { db: Db; clock: Clock; defaultLanguage: string }): JobHandler<z.infer<typeof announcementPayload>> {
  const status = (id: string) => deps.db.announcement.findUnique({ where: { id }, select: { status: true } });
  return {
    kind: 'announcement',
    payload: announcementPayload,
    async run(ctx, payload) {
      const a = await deps.db.announcement.findUnique({ where: { id: payload.announcementId } });
      const stopped = withdrawal(a);
      if (!a || stopped) return { status: stopped?.ends ?? 'skipped', reason: stopped?.reason ?? 'announcement gone' };
      if (!ctx.job.personId && !payload.conversationId) return { status: 'skipped', reason: 'no recipient' };
      const [person, author] = await Promise.all([
        ctx.job.personId ? deps.db.person.findUnique({ where: { id: ctx.job.personId }, select: { language: true, clientLocale: true } }) : null,
        deps.db.person.findUnique({ where: { id: a.createdBy }, select: { name: true } }),
      ]);
      const lang = resolveLanguage([person?.language, person?.clientLocale], deps.defaultLanguage);
      const event = a.eventId ? await new EventsRepository(deps.db).findById(a.eventId) : null;
      // The card as it stands now: an answer already given (from a path step) shown, Going / Maybe gone after the deadline.
      const answer = event && ctx.job.personId ? (await deps.db.rsvp.findUnique({ where: { personId_eventId: { personId: ctx.job.personId, eventId: event.id } }, select: { status: true } }))?.status : undefined;
      // In a channel the card is for everyone: no answer buttons there (answers are personal, in the 1:1 chat).
      const card = announcementCard(translator(lang), lang, a, author?.name ?? '', event, answer, { channel: !!payload.conversationId, now: deps.clock.now() });
      const to = payload.conversationId ? { conversationId: payload.conversationId } : { personId: ctx.job.personId! };
      return { status: 'delivered', outcome: await ctx.deliver(to, card, a.title, async () => withdrawal(await status(a.id))) };
    },
  };
}

/** Queues an announcement's per-recipient jobs (see fanOut). */
export function announcementFanoutJob(deps: { db: Db; clock: Clock }): JobHandler<z.infer<typeof announcementPayload>> {
  return {
    kind: 'announcement-fanout',
    payload: announcementPayload,
    async run(_ctx, payload) {
      const queued = await fanOut(deps, payload.announcementId);
      return { status: 'done', note: `queued ${queued}` };
    },
  };
}
