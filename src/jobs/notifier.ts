import type { Db } from '../db/client.js';
import type { Card } from '../lib/cards.js';
import type { Clock } from '../lib/clock.js';
import type { Notifier, NotifyResult } from '../lib/notifier.js';
import { JobQueue } from './queue.js';

/**
 * The Notifier the domain uses: a card for a person becomes a `notify` job with an idempotency key; the worker
 * sends it through the proactive sender. Nothing is sent inside the turn that asked for it.
 */
export class QueueNotifier implements Notifier {
  private readonly queue: JobQueue;
  constructor(private readonly deps: { db: Db; clock: Clock; wake?: () => void }) {
    this.queue = new JobQueue(deps.db);
  }

  async sendToPerson(personId: string, card: Card, summary: string, key: string): Promise<NotifyResult> {
    const person = await this.deps.db.person.findUnique({ where: { id: personId }, select: { unreachableAt: true, unreachableReason: true, erasedAt: true } });
    // A tombstone (an erased badge holder) is nobody: it is never messaged.
    if (!person || person.erasedAt) return { status: 'unreachable', reason: 'no such person' };
    if (person.unreachableAt) return { status: 'unreachable', reason: person.unreachableReason ?? 'unreachable' };
    const now = this.deps.clock.now();
    const { job, created } = await this.queue.enqueue({ kind: 'notify', key: `notify:${key}:${personId}`, payload: { to: { personId }, card, summary }, runAt: now, personId }, now);
    if (created) this.deps.wake?.();
    return { status: created ? 'queued' : 'duplicate', jobId: job.id };
  }
}
