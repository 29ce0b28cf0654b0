import { Cron } from 'croner';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

/**
 * Recurring work, one file per job in src/jobs/recurring: a cron expression read in each recipient's time zone,
 * and what to queue for one recipient at one occurrence (idempotent: the queue's keys make a repeat harmless).
 */
export type RecurringJob = {
  name: string;
  recipients(): Promise<{ id: string; cron: string; timeZone: string }[]>;
  run(recipientId: string, occurrence: Date): Promise<number>;
};

export type TickReport = { name: string; recipients: number; occurrences: number; queued: number };

/** The most recent occurrence of a cron expression in (after, upTo], in a time zone; null when there is none. */
export function lastOccurrence(pattern: string, timeZone: string, after: Date, upTo: Date): Date | null {
  const cron = new Cron(pattern, { timezone: timeZone, paused: true });
  let last: Date | null = null;
  let cursor: Date | null = after;
  for (let i = 0; i < 10_000 && cursor; i += 1) {
    const next: Date | null = cron.nextRun(cursor);
    if (!next || next > upTo) break;
    last = next;
    cursor = next;
  }
  return last;
}

/**
 * Each tick looks at the time since the previous tick (stored per job, so a restart or a second instance carries
 * on where the last tick ended) and runs each recipient's latest occurrence in it. A service that was down for days
 * catches up with one look, not one per missed day: reminders tied to a day that passed are not sent late.
 */
export class Scheduler {
  constructor(private readonly deps: { db: Db; clock: Clock; logger: Logger; jobs: RecurringJob[]; firstLookbackMs?: number }) {}

  async tick(): Promise<TickReport[]> {
    const now = this.deps.clock.now();
    const reports: TickReport[] = [];
    for (const job of this.deps.jobs) {
      const row = await this.deps.db.recurringRun.findUnique({ where: { name: job.name } });
      const since = row?.lastTickAt ?? new Date(now.getTime() - (this.deps.firstLookbackMs ?? 3_600_000));
      if (since >= now) continue;
      const report: TickReport = { name: job.name, recipients: 0, occurrences: 0, queued: 0 };
      for (const r of await job.recipients()) {
        report.recipients += 1;
        const at = lastOccurrence(r.cron, r.timeZone, since, now);
        if (!at) continue;
        report.occurrences += 1;
        try {
          report.queued += await job.run(r.id, at);
        } catch (error) {
          this.deps.logger.error({ err: error, job: job.name, recipientId: r.id }, 'recurring job failed for one recipient');
        }
      }
      await this.markTicked(job.name, now);
      reports.push(report);
      if (report.queued > 0) this.deps.logger.info(report, 'recurring job queued work');
    }
    return reports;
  }

  private async markTicked(name: string, now: Date) {
    const { count } = await this.deps.db.recurringRun.updateMany({ where: { name, lastTickAt: { lt: now } }, data: { lastTickAt: now } });
    if (count > 0) return;
    try {
      await this.deps.db.recurringRun.create({ data: { name, lastTickAt: now } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
