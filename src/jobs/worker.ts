import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { z } from 'zod';
import type { Db, Prisma } from '../db/client.js';
import type { Card } from '../lib/cards.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Recipient, SendOutcome, Sender, Withdrawal } from '../lib/notifier.js';
import { JobQueue, type JobRow } from './queue.js';

export type JobResult =
  | { status: 'delivered'; outcome: SendOutcome }
  | { status: 'skipped'; reason: string }
  /** Someone stopped it (e.g. the announcement was cancelled). */
  | { status: 'cancelled'; reason: string }
  /** Not now (quiet hours, the weekly cap): back to the queue without using an attempt. */
  | { status: 'deferred'; until: Date; reason: string }
  /** Work that sends nothing itself (it may queue sends), finished. */
  | { status: 'done'; note: string };

export type JobContext = {
  job: JobRow;
  /** Business time: what is due (the CLI's `run-due --until` sets it). */
  now: Date;
  /** Claims more due jobs into this delivery (e.g. the person's other reminders, so they get one card). */
  join(where: Prisma.JobWhereInput, limit: number): Promise<JobRow[]>;
  /** Ends a joined job on its own; it is then no part of the delivery. */
  settle(job: JobRow, result: Exclude<JobResult, { status: 'delivered' }>): Promise<void>;
  /**
   * Sends the card; this job and the joined ones follow the call: sending → sent / back to the queue / unknown.
   * `stillWanted` is asked again right before every call, after any wait for a send slot: a withdrawal ends the jobs
   * cancelled or skipped with its reason, and nothing is sent.
   */
  deliver(to: Recipient, card: Card, summary: string, stillWanted?: () => Promise<Withdrawal | null>): Promise<SendOutcome>;
};

/** One file per job kind in src/jobs/kinds: its payload schema and what it does. */
export type JobHandler<P = unknown> = { kind: string; payload: z.ZodType<P>; run(ctx: JobContext, payload: P): Promise<JobResult> };

export type WorkerOptions = {
  db: Db;
  sender: Sender;
  handlers: JobHandler<never>[];
  logger: Logger;
  /** Business clock (what is due). */
  clock?: Clock;
  /** Wall clock for leases; leases never follow a simulated business clock. */
  wall?: Clock;
  owner?: string;
  /** Must outlast one Bot Connector call; it is renewed before every call and every wait. */
  leaseMs?: number;
  concurrency?: number;
  pollMs?: number;
  /** Claims per job before it is dead-lettered. */
  maxAttempts?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Claims due jobs with a lease and runs them, `concurrency` at a time. Two workers (in one process or two) never
 * run one job together: every transition is conditional on the lease (queue.ts).
 */
export class Worker {
  readonly owner: string;
  private readonly queue: JobQueue;
  private readonly handlers: Map<string, JobHandler<never>>;
  private readonly clock: Clock;
  private readonly wall: Clock;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private readonly running = new Set<Promise<void>>();
  /** Jobs this worker is running now (never claimed again while running) and the people whose reminders are in hand. */
  private readonly runningIds = new Set<string>();
  private readonly reminderPeople = new Set<string>();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly opts: WorkerOptions) {
    this.owner = opts.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.queue = new JobQueue(opts.db);
    this.handlers = new Map(opts.handlers.map((h) => [h.kind, h]));
    this.clock = opts.clock ?? systemClock;
    this.wall = opts.wall ?? systemClock;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.concurrency = opts.concurrency ?? 8;
    this.pollMs = opts.pollMs ?? 1_000;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.log = opts.logger.child({ name: 'worker', owner: this.owner });
  }

  /** Runs every job that is due now, then returns (the CLI's run-due, tests). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const started = await this.fill();
      total += started;
      if (started === 0 && this.running.size === 0) return total;
      if (this.running.size > 0) await Promise.race(this.running);
    }
  }

  /** Polls until stop(). */
  start(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          const started = await this.fill();
          if (started === 0 || this.running.size >= this.concurrency) {
            await Promise.race([...this.running, new Promise<void>((resolve) => { this.wake = resolve; setTimeout(resolve, this.pollMs); })]);
          }
        } catch (error) {
          this.log.error({ err: error }, 'worker loop failed; trying again');
          await sleep(this.pollMs);
        }
      }
    })();
  }

  /** A job was queued for now: look without waiting for the next poll. */
  nudge(): void {
    this.wake?.();
  }

  /** Graceful: claims nothing more; jobs in a call finish, jobs waiting between attempts go back to the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private async fill(): Promise<number> {
    if (this.stopping) return 0;
    const interrupted = await this.queue.markInterrupted(this.wall.now());
    if (interrupted > 0) this.log.warn({ interrupted }, 'jobs interrupted during a Bot Connector call are now unknown (not resent)');
    const free = this.concurrency - this.running.size;
    if (free <= 0) return 0;
    // Only kinds this worker can run: a job of another kind waits for a worker that knows it.
    // One reminder job per person at a time: the run joins that person's other due reminders into one card.
    const oneReminderPerPerson = (c: { kind: string; personId: string | null }, claimed: JobRow[]) =>
      c.kind === 'reminder' && !!c.personId && (this.reminderPeople.has(c.personId) || claimed.some((j) => j.kind === 'reminder' && j.personId === c.personId));
    const jobs = await this.queue.claim(
      this.owner, this.clock.now(), this.wall.now(), this.leaseMs, free,
      { kind: { in: [...this.handlers.keys()] }, id: { notIn: [...this.runningIds] } },
      { skip: oneReminderPerPerson },
    );
    for (const job of jobs) {
      this.runningIds.add(job.id);
      if (job.kind === 'reminder' && job.personId) this.reminderPeople.add(job.personId);
      const run: Promise<void> = this.process(job)
        .catch((error) => this.log.error({ err: error, jobId: job.id }, 'job bookkeeping failed; the lease will expire and the job is recovered'))
        .finally(() => {
          this.running.delete(run);
          this.runningIds.delete(job.id);
          if (job.kind === 'reminder' && job.personId) this.reminderPeople.delete(job.personId);
        });
      this.running.add(run);
    }
    return jobs.length;
  }

  private leaseUntil(extraMs = 0) {
    return new Date(this.wall.now().getTime() + this.leaseMs + extraMs);
  }

  private async process(job: JobRow): Promise<void> {
    const token = job.leaseOwner!;
    const group: JobRow[] = [job];
    const ids = () => group.map((j) => j.id);
    const log = this.log.child({ jobId: job.id, kind: job.kind, key: job.idempotencyKey });
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      const parsed = handler.payload.safeParse(job.payload);
      if (!parsed.success) {
        await this.queue.finish([job.id], token, 'dead', this.wall.now(), { lastError: `bad payload: ${parsed.error.issues[0]?.message}` });
        return;
      }
      const ctx: JobContext = {
        job,
        now: this.clock.now(),
        join: async (where, limit) => {
          const more = await this.queue.claim(this.owner, this.clock.now(), this.wall.now(), this.leaseMs, limit, { AND: [where, { id: { notIn: [...ids(), ...this.runningIds] } }] }, { token });
          group.push(...more);
          return more;
        },
        settle: async (joined, result) => {
          group.splice(group.findIndex((j) => j.id === joined.id), 1);
          await this.settle([joined.id], token, joined.attempts, result, log);
        },
        deliver: (to, card, summary, stillWanted) =>
          this.opts.sender.deliver(to, card, summary, {
            beforeCall: async () => !this.stopping && this.queue.markSending(ids(), token, this.leaseUntil()),
            afterNoDelivery: () => this.queue.markNotSent(ids(), token),
            keepAlive: async (ms) => !this.stopping && this.queue.renew(ids(), token, this.leaseUntil(ms)),
            stillWanted,
          }),
      };
      const result = await handler.run(ctx, parsed.data as never);
      await this.settle(ids(), token, job.attempts, result, log);
    } catch (error) {
      log.error({ err: error }, 'job failed');
      const reason = error instanceof Error ? error.message : String(error);
      // A job already marked `sending` may have reached Teams: it is reported, never resent.
      await this.queue.abortUnclear(ids(), token, this.wall.now(), `failed after the call may have been made: ${reason}`);
      if (job.attempts >= this.maxAttempts) await this.queue.finish(ids(), token, 'dead', this.wall.now(), { lastError: reason });
      else await this.queue.requeue(ids(), token, new Date(this.clock.now().getTime() + 2 ** job.attempts * 1000), reason);
    }
  }

  private async settle(ids: string[], token: string, attempts: number, result: JobResult, log: Logger): Promise<void> {
    if (ids.length === 0) return;
    const at = this.wall.now();
    if (result.status === 'skipped' || result.status === 'cancelled') {
      await this.queue.finish(ids, token, result.status, at, { lastError: result.reason });
      return;
    }
    if (result.status === 'done') {
      await this.queue.finish(ids, token, 'done', at, { lastError: result.note });
      return;
    }
    if (result.status === 'deferred') {
      await this.queue.requeue(ids, token, result.until, result.reason, false);
      return;
    }
    const outcome = result.outcome;
    switch (outcome.status) {
      case 'sent': {
        const owned = await this.queue.finish(ids, token, 'sent', at, { activityId: outcome.activityId ?? null, lastError: null });
        if (owned < ids.length) log.error({ ids }, 'sent, but the lease had been taken over: the job list may show unknown for a message that arrived');
        return;
      }
      case 'retry_later':
        if (attempts >= this.maxAttempts) await this.queue.finish(ids, token, 'dead', at, { lastError: `${outcome.reason} (after ${attempts} attempts)` });
        else await this.queue.requeue(ids, token, new Date(this.clock.now().getTime() + outcome.afterMs), outcome.reason);
        return;
      case 'abandoned':
        // Stopping, or the lease was lost: give the job back (only if it is still ours).
        await this.queue.requeue(ids, token, this.clock.now(), null, false);
        return;
      case 'unknown':
        await this.queue.finish(ids, token, 'unknown', at, { lastError: outcome.reason });
        return;
      case 'withdrawn':
        await this.queue.finish(ids, token, outcome.ends, at, { lastError: outcome.reason });
        return;
      default:
        await this.queue.finish(ids, token, 'failed', at, { lastError: `${outcome.status}: ${outcome.reason}` });
    }
  }
}
