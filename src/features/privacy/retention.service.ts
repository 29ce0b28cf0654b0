import type { Logger } from '../../lib/logger.js';
import { erasePerson, type EraseDeps } from './erase.service.js';

export type RetentionDeps = EraseDeps & { retentionMonths: number; logger: Logger };

/** The instant `months` calendar months before `at` (UTC). */
export function monthsBefore(at: Date, months: number): Date {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  // 31 March minus one month is the last day of February, not 3 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Erases every profile (demo staff included) whose last message to the bot is older than the retention period,
 * with the same use case as `delete my data`; each erasure is its own transaction and re-checks the person is still
 * inactive. Yields between people: the synchronous SQLite driver would otherwise hold up turns and sends.
 */
export async function eraseInactive(deps: RetentionDeps, at: Date): Promise<number> {
  const inactiveBefore = monthsBefore(at, deps.retentionMonths);
  const due = await deps.db.person.findMany({ where: { erasedAt: null, lastSeenAt: { lt: inactiveBefore } }, orderBy: { lastSeenAt: 'asc' }, select: { id: true } });
  let erased = 0;
  for (const { id } of due) {
    try {
      if ((await erasePerson(deps, id, 'retention', { inactiveBefore })).erased) erased += 1;
    } catch (error) {
      deps.logger.error({ err: error, personId: id }, 'retention: could not erase a profile; the next run tries again');
    }
    await yieldToEventLoop();
  }
  if (erased > 0) deps.logger.info({ erased, inactiveBefore: inactiveBefore.toISOString(), months: deps.retentionMonths }, 'retention: inactive profiles erased');
  return erased;
}
