import type { Db } from '../../db/client.js';
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

/** How long a finished message keeps what it said (for support: "what did that card say?"). */
export const MESSAGE_CONTENT_DAYS = 30;

/**
 * Payloads that carry what a message said: `notify` cards (names, e-mails, evidence, decisions) and `event-change`
 * notices (old and new place and link as typed). The other kinds hold only ids the row is about, and a sent
 * reminder's buttons (snooze, stop) still read its payload: those stay.
 */
const CONTENT_KINDS = ['notify', 'event-change'];
const PRUNED = { pruned: true };

/**
 * Nightly, with the retention run: expired download links (`/exports`: a delivery list names its recipients) and
 * `my data` links are deleted, and messages finished more than MESSAGE_CONTENT_DAYS ago lose their content. The job
 * rows stay — an announcement's per-recipient rows are its delivery report, and every row's idempotency key keeps
 * a replay from sending the message again — only their payload becomes `{pruned: true}` (once: a pruned row is not
 * rewritten).
 */
export async function purgeExpired(deps: { db: Db; logger: Logger }, at: Date): Promise<void> {
  const exportLinks = await deps.db.exportLink.deleteMany({ where: { expiresAt: { lte: at } } });
  const privacyLinks = await deps.db.privacyExport.deleteMany({ where: { expiresAt: { lte: at } } });
  const before = new Date(at.getTime() - MESSAGE_CONTENT_DAYS * 86_400_000);
  const messages = await deps.db.job.updateMany({
    where: { kind: { in: CONTENT_KINDS }, finishedAt: { lt: before }, NOT: { payload: { equals: PRUNED } } },
    data: { payload: PRUNED },
  });
  const removed = { links: exportLinks.count + privacyLinks.count, messages: messages.count };
  if (removed.links + removed.messages > 0) deps.logger.info({ ...removed, messagesFinishedBefore: before.toISOString() }, 'retention: expired links deleted, old message contents emptied');
}
