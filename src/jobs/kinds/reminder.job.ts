import { describeReminders, itemVerdict, loadReminderCase, timingVerdict, type ReminderItem } from '../../features/reminders/reminders.delivery.js';
import { remindersCard } from '../../features/reminders/reminders.cards.js';
import { reminderPayload, type ReminderPayload, type RemindersDeps } from '../../features/reminders/reminders.service.js';
import type { JobHandler, JobResult } from '../worker.js';

/** Most reminders in one card. */
const MAX_PER_CARD = 5;

/**
 * Sends a reminder — with the person's other reminders that are due, in one card. Checked again at send time:
 * kind still on, not expired, still relevant, outside quiet hours, under the weekly cap.
 */
export function reminderJob(deps: RemindersDeps & { defaultLanguage: string }): JobHandler<ReminderPayload> {
  return {
    kind: 'reminder',
    payload: reminderPayload,
    async run(ctx, payload): Promise<JobResult> {
      const personId = ctx.job.personId;
      if (!personId) return { status: 'skipped', reason: 'no person' };
      const c = await loadReminderCase(deps, personId, ctx.now);
      if (!c) return { status: 'skipped', reason: 'person gone' };
      const first = itemVerdict(c, payload, ctx.job.createdAt, ctx.now);
      if (first.status !== 'send') return first;
      const timing = timingVerdict(c, new Date(payload.expiresAt), ctx.now);
      if (timing.status !== 'send') return timing;

      const items: ReminderItem[] = [{ jobId: ctx.job.id, payload }];
      for (const other of await ctx.join({ personId, kind: 'reminder' }, MAX_PER_CARD - 1)) {
        const parsed = reminderPayload.safeParse(other.payload);
        const verdict = parsed.success ? itemVerdict(c, parsed.data, other.createdAt, ctx.now) : ({ status: 'skipped', reason: 'bad payload' } as const);
        if (verdict.status !== 'send' || !parsed.success) await ctx.settle(other, verdict.status === 'send' ? { status: 'skipped', reason: 'bad payload' } : verdict);
        else items.push({ jobId: other.id, payload: parsed.data });
      }
      const lines = await describeReminders(deps.db, c, items);
      const card = remindersCard(c.t, lines);
      const summary = lines.length === 1 ? lines[0]!.title : c.t('reminders.heading.many', { count: lines.length });
      return { status: 'delivered', outcome: await ctx.deliver({ personId }, card, summary) };
    },
  };
}
