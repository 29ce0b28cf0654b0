import type { Card } from './cards.js';

/** Where a proactive card goes: a person's 1:1 chat with the bot, or a stored conversation (a channel, a group chat). */
export type Recipient = { personId: string } | { conversationId: string };

/** What happened to one delivery. Only `sent` means the person saw it; `unknown` means nobody can tell. */
export type SendOutcome =
  | { status: 'sent'; activityId?: string; conversationId: string }
  /** Not delivered; the queue should try again after `afterMs`. */
  | { status: 'retry_later'; afterMs: number; reason: string }
  | { status: 'unreachable'; reason: string }
  | { status: 'tenant_disabled'; reason: string }
  | { status: 'rejected'; reason: string }
  | { status: 'unknown'; reason: string }
  /** The worker lost its lease: another worker owns the job now. Nothing was sent by this one. */
  | { status: 'abandoned'; reason: string }
  /** No longer wanted when its turn came (e.g. the announcement was cancelled while it waited for a send slot). Not sent. */
  | { status: 'withdrawn'; reason: string; ends: Withdrawal['ends'] };

/** Why a message is no longer wanted, and how its job ends: `cancelled` (someone stopped it) or `skipped`. */
export type Withdrawal = { ends: 'cancelled' | 'skipped'; reason: string };

/** Callbacks a queue worker gives the sender so the job's state follows the call (src/jobs/worker.ts). */
export type DeliveryHooks = {
  /** Right before each Bot Connector call; false stops (the lease was lost). */
  beforeCall?(): Promise<boolean>;
  /** The call definitely did not deliver (an HTTP answer said so). */
  afterNoDelivery?(): Promise<void>;
  /** Before waiting `ms` between attempts; false stops. */
  keepAlive?(ms: number): Promise<boolean>;
  /**
   * Asked after `beforeCall`, right before each call (so after every wait for a send slot): a withdrawal stops the
   * delivery, nothing is sent. Asked after the job is marked `sending`, so a cancel either is seen here or finds the
   * message already on its way.
   */
  stillWanted?(): Promise<Withdrawal | null>;
};

/** The proactive sender (src/bot/proactive.ts). Only the queue calls it. */
export interface Sender {
  deliver(to: Recipient, card: Card, summary: string, hooks?: DeliveryHooks): Promise<SendOutcome>;
}

export type NotifyResult = { status: 'queued'; jobId: string } | { status: 'duplicate'; jobId: string } | { status: 'unreachable'; reason: string };

/**
 * The domain's only way to reach someone outside the current turn: it queues a card (src/jobs), the worker sends it
 * through the proactive sender. `key` makes the notification idempotent: the same key is never queued twice.
 */
export interface Notifier {
  sendToPerson(personId: string, card: Card, summary: string, key: string): Promise<NotifyResult>;
}
