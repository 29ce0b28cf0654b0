import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { isUniqueViolation, Prisma } from '../db/client.js';

/**
 * Job states. A job is claimed (`leased`) by one worker, marked `sending` right before the Bot Connector call and
 * `sent` after it. Terminal: sent, done (work that sends nothing itself), skipped (no longer wanted: preferences, expired, done), cancelled (the person
 * stopped it), failed (Teams refused for good: blocked, removed, disabled, a bad card), dead (out of attempts),
 * unknown (the process died during the call: it may or may not have arrived, so it is reported, never resent).
 */
export const ACTIVE = ['queued', 'leased', 'sending'] as const;
export type JobStatus = 'queued' | 'leased' | 'sending' | 'sent' | 'done' | 'skipped' | 'cancelled' | 'failed' | 'dead' | 'unknown';

export const jobSelect = {
  id: true, kind: true, idempotencyKey: true, payload: true, personId: true, status: true, runAt: true, attempts: true,
  lastError: true, leaseOwner: true, leaseExpiresAt: true, activityId: true, createdAt: true, finishedAt: true,
} as const;
export type JobRow = Prisma.JobGetPayload<{ select: typeof jobSelect }>;

export type NewJob = { kind: string; key: string; payload: object; runAt: Date; personId?: string | null };

/** The queue is the Job table. Every state change is a conditional update, so two workers never both own a job. */
export class JobQueue {
  constructor(private readonly db: Db) {}

  /** Queues a job once: a second call with the same key returns the first job and `created: false`. */
  async enqueue(job: NewJob, now: Date): Promise<{ job: JobRow; created: boolean }> {
    try {
      const created = await this.db.job.create({
        data: { kind: job.kind, idempotencyKey: job.key, payload: job.payload, runAt: job.runAt, personId: job.personId ?? null, createdAt: now },
        select: jobSelect,
      });
      return { job: created, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { job: (await this.db.job.findUniqueOrThrow({ where: { idempotencyKey: job.key }, select: jobSelect })), created: false };
    }
  }

  /**
   * Claims up to `limit` jobs: due queued ones (business time `now`) and leased ones whose lease ran out (wall time:
   * their worker died before calling Teams). Each claim is `UPDATE … WHERE id = ? AND <still claimable>`; the row
   * count says who won.
   */
  async claim(
    owner: string,
    now: Date,
    wallNow: Date,
    leaseMs: number,
    limit: number,
    where: Prisma.JobWhereInput = {},
    opts: { token?: string; skip?: (c: { kind: string; personId: string | null }, claimed: JobRow[]) => boolean } = {},
  ): Promise<JobRow[]> {
    const candidates = await this.db.job.findMany({
      where: { AND: [where, { OR: [{ status: 'queued', runAt: { lte: now } }, { status: 'leased', leaseExpiresAt: { lt: wallNow } }] }] },
      orderBy: { runAt: 'asc' },
      take: limit * 4,
      select: { id: true, status: true, leaseOwner: true, kind: true, personId: true },
    });
    const claimed: JobRow[] = [];
    for (const c of candidates) {
      if (claimed.length >= limit) break;
      if (opts.skip?.(c, claimed)) continue;
      // Each claim gets its own lease token (owner#random): a worker that takes back its own expired lease is a
      // different holder, so the earlier run's late writes match nothing.
      const token = opts.token ?? `${owner}#${randomUUID().slice(0, 12)}`;
      const stillClaimable = c.status === 'queued'
        ? { status: 'queued', runAt: { lte: now } }
        : { status: 'leased', leaseOwner: c.leaseOwner, leaseExpiresAt: { lt: wallNow } };
      const { count } = await this.db.job.updateMany({
        where: { id: c.id, ...stillClaimable },
        data: { status: 'leased', leaseOwner: token, leaseExpiresAt: new Date(wallNow.getTime() + leaseMs), attempts: { increment: 1 } },
      });
      if (count === 1) claimed.push(await this.db.job.findUniqueOrThrow({ where: { id: c.id }, select: jobSelect }));
    }
    return claimed;
  }

  /**
   * A job still `sending` after its lease ran out belonged to a worker that died during the Bot Connector call.
   * Teams may or may not have shown the message: it becomes `unknown` and is never sent again.
   */
  async markInterrupted(wallNow: Date): Promise<number> {
    const { count } = await this.db.job.updateMany({
      where: { status: 'sending', leaseExpiresAt: { lt: wallNow } },
      data: { status: 'unknown', lastError: 'the worker stopped during the Bot Connector call: it may or may not have arrived', leaseOwner: null, finishedAt: wallNow },
    });
    return count;
  }

  /** leased → sending for every job of one delivery, renewing the lease; false when any of them is no longer ours. */
  async markSending(ids: string[], owner: string, leaseUntil: Date): Promise<boolean> {
    const { count } = await this.db.job.updateMany({
      where: { id: { in: ids }, leaseOwner: owner, status: 'leased' },
      data: { status: 'sending', leaseExpiresAt: leaseUntil },
    });
    if (count === ids.length) return true;
    // Partly lost (cannot happen while leases are renewed): put back what we did mark, send nothing.
    await this.db.job.updateMany({ where: { id: { in: ids }, leaseOwner: owner, status: 'sending' }, data: { status: 'leased' } });
    return false;
  }

  /** After an error with a call possibly made: jobs in `sending` become unknown (never resent), the others go back. */
  async abortUnclear(ids: string[], owner: string, at: Date, reason: string): Promise<void> {
    await this.db.job.updateMany({ where: { id: { in: ids }, leaseOwner: owner, status: 'sending' }, data: { status: 'unknown', finishedAt: at, leaseOwner: null, leaseExpiresAt: null, lastError: reason } });
  }

  /** sending → leased after an answer that proves nothing was delivered (e.g. 429, 503). */
  async markNotSent(ids: string[], owner: string): Promise<void> {
    await this.db.job.updateMany({ where: { id: { in: ids }, leaseOwner: owner, status: 'sending' }, data: { status: 'leased' } });
  }

  async renew(ids: string[], owner: string, leaseUntil: Date): Promise<boolean> {
    const { count } = await this.db.job.updateMany({ where: { id: { in: ids }, leaseOwner: owner, status: { in: ['leased', 'sending'] } }, data: { leaseExpiresAt: leaseUntil } });
    return count === ids.length;
  }

  /** Ends owned jobs in a terminal state. Returns how many were still ours. */
  async finish(ids: string[], owner: string, status: Exclude<JobStatus, 'queued' | 'leased' | 'sending'>, at: Date, fields: { lastError?: string | null; activityId?: string | null } = {}): Promise<number> {
    const { count } = await this.db.job.updateMany({
      where: { id: { in: ids }, leaseOwner: owner, status: { in: ['leased', 'sending'] } },
      data: { status, finishedAt: at, leaseOwner: null, leaseExpiresAt: null, ...fields },
    });
    return count;
  }

  /** Back to the queue for a later try (`consumed: false` gives the attempt back, e.g. quiet hours or shutdown). */
  async requeue(ids: string[], owner: string, runAt: Date, reason: string | null, consumed = true): Promise<number> {
    const { count } = await this.db.job.updateMany({
      where: { id: { in: ids }, leaseOwner: owner, status: { in: ['leased', 'sending'] } },
      data: { status: 'queued', runAt, leaseOwner: null, leaseExpiresAt: null, ...(reason !== null ? { lastError: reason } : {}), ...(consumed ? {} : { attempts: { decrement: 1 } }) },
    });
    return count;
  }

  /**
   * Cancels queued jobs (a person stopped a kind of reminder). Jobs a worker holds right now finish as they are,
   * unless their handler gave the delivery a `stillWanted` check (worker.ts), which stops them before the call.
   */
  async cancelQueued(ids: string[], at: Date, reason: string): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.job.updateMany({ where: { id: { in: ids }, status: 'queued' }, data: { status: 'cancelled', finishedAt: at, lastError: reason } });
    return count;
  }

  find(id: string) {
    return this.db.job.findUnique({ where: { id }, select: jobSelect });
  }

  list(statuses: JobStatus[], take = 200) {
    return this.db.job.findMany({ where: { status: { in: statuses } }, orderBy: [{ status: 'asc' }, { runAt: 'asc' }], take, select: jobSelect });
  }

  counts() {
    return this.db.job.groupBy({ by: ['status'], _count: { _all: true } });
  }
}
