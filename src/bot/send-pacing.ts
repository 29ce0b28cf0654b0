import type { Db } from '../db/client.js';
import { reserveSlot } from '../db/rate-slots.js';

/** Teams' limits per bot per conversation (teams-platform.md): sends within a sliding window. */
export const CONVERSATION_LIMITS = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1_800 },
] as const;

export type PacingDeps = {
  db: Db;
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  tenantPerSecond: number;
  /** Before each wait (e.g. to renew a job's lease for it); false gives up. */
  beforeWait?(ms: number): Promise<boolean>;
};

/** The wait was given up (the job's lease could not be renewed, or the worker is stopping). */
export class PacingAborted extends Error {}

async function wait(deps: PacingDeps, ms: number) {
  if (deps.beforeWait && !(await deps.beforeWait(ms))) throw new PacingAborted('gave up waiting for a send slot');
  await deps.sleep(ms);
}

/**
 * Sends are spaced for this share of the tenant ceiling. Spacing at exactly the ceiling still lets a strict 1-second
 * window see one send too many now and then (the time between reserving a slot and the request reaching Teams
 * varies), and every 429 holds the whole tenant for its Retry-After: measured with `npm run bench -- reminders`,
 * a little headroom delivers more per second than none.
 */
export const TENANT_HEADROOM = 0.92;

/**
 * Waits until one more send is allowed: first the conversation's sliding windows, then a slot of the tenant's
 * ceiling (shared by every instance through the database) — last, so the slot is as close to the call as it can be.
 * The conversation check records the send first and counts after, so two instances racing for one chat both see
 * each other (and one waits) rather than both passing.
 */
export async function waitForSendSlot(deps: PacingDeps, tenantId: string | null, conversationId: string): Promise<number> {
  let waited = 0;
  for (;;) {
    const now = deps.nowMs();
    const mine = await deps.db.sendLog.create({ data: { conversationId, at: new Date(now) }, select: { id: true } });
    const recent = await deps.db.sendLog.findMany({
      where: { conversationId, at: { gt: new Date(now - CONVERSATION_LIMITS[3].windowMs) } },
      orderBy: { at: 'desc' },
      take: CONVERSATION_LIMITS[3].max + 1,
      select: { at: true },
    });
    const pause = waitFor(recent.map((r) => r.at.getTime()), now);
    if (pause <= 0) break;
    await deps.db.sendLog.delete({ where: { id: mine.id } });
    await wait(deps, pause);
    waited += pause;
  }
  const slot = await reserveSlot(deps.db, `tenant:${tenantId ?? 'unknown'}`, deps.nowMs(), 1000 / (deps.tenantPerSecond * TENANT_HEADROOM));
  const tenantWait = slot - deps.nowMs();
  if (tenantWait > 0) {
    await wait(deps, tenantWait);
    waited += tenantWait;
  }
  return waited;
}

/** How long until every window has room, given send times (newest first, including this one). */
export function waitFor(times: number[], now: number): number {
  let wait = 0;
  for (const limit of CONVERSATION_LIMITS) {
    const inWindow = times.filter((t) => t > now - limit.windowMs);
    if (inWindow.length > limit.max) {
      // The oldest send that must leave the window before this one fits.
      const oldest = inWindow[limit.max]!;
      wait = Math.max(wait, oldest + limit.windowMs - now + 1);
    }
  }
  return wait;
}

/** After Teams answered 429 for a tenant, every instance holds its sends to that tenant until `untilMs`. */
export async function pauseTenant(db: Db, tenantId: string | null, untilMs: number): Promise<void> {
  const key = `tenant:${tenantId ?? 'unknown'}`;
  await db.rateSlot.upsert({ where: { key }, create: { key, nextAt: untilMs }, update: {} });
  await db.rateSlot.updateMany({ where: { key, nextAt: { lt: untilMs } }, data: { nextAt: untilMs } });
}

/** Send records older than the longest window are no longer needed. */
export async function pruneSendLog(db: Db, nowMs: number): Promise<number> {
  const { count } = await db.sendLog.deleteMany({ where: { at: { lt: new Date(nowMs - CONVERSATION_LIMITS[3].windowMs) } } });
  return count;
}
