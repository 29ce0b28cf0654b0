import { CardFactory, MessageFactory, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Db } from '../db/client.js';
import { PeopleRepository } from '../features/people/people.repository.js';
import type { Card } from '../lib/cards.js';
import type { Logger } from '../lib/logger.js';
import type { DeliveryHooks, Recipient, SendOutcome, Sender } from '../lib/notifier.js';
import { classifySendError, type SendFailure } from './connector-errors.js';
import { conversationFromActivity } from './activity.js';
import { PacingAborted, pauseTenant, waitForSendSlot } from './send-pacing.js';

export type SenderPolicy = {
  /** Sends per second to one tenant, for the whole deployment. */
  tenantPerSecond: number;
  /** Attempts within one delivery before the queue takes over (it tries again later). */
  attemptsPerDelivery: number;
  /** Longest wait between attempts inside one delivery; a longer Retry-After goes back to the queue. */
  maxInlineWaitMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
};

export const defaultSenderPolicy: SenderPolicy = { tenantPerSecond: 25, attemptsPerDelivery: 4, maxInlineWaitMs: 20_000, baseBackoffMs: 1_000, maxBackoffMs: 60_000 };

export type SenderDeps = {
  app: Application<TurnState>;
  botAppId: string;
  db: Db;
  logger: Logger;
  policy: SenderPolicy;
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told once per tenant when Teams answers BotDisabledByAdmin. */
  onTenantDisabled?: (tenantId: string, reason: string) => Promise<void>;
};

type Target = { conversationId: string; tenantId: string | null; reference: Partial<ConversationReference>; personId: string | null };

/**
 * The one module that sends proactive messages. It resolves where a card goes (the person's 1:1 chat, creating it
 * when only their Teams id is known, or a stored channel/group conversation), paces sends under the tenant ceiling
 * and the per-conversation limits, and classifies what the Bot Connector answered. It does not retry forever: a
 * delivery makes a few attempts, then tells the caller (the queue) when to try again.
 */
export class ProactiveSender implements Sender {
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log: Logger;

  constructor(private readonly deps: SenderDeps) {
    this.nowMs = deps.nowMs ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
    this.log = deps.logger.child({ name: 'sender' });
  }

  async deliver(to: Recipient, card: Card, summary: string, hooks: DeliveryHooks = {}): Promise<SendOutcome> {
    const resolved = await this.resolve(to);
    if ('status' in resolved) return resolved;
    let target = resolved;
    const { policy } = this.deps;
    let waited = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // The lease is renewed for every wait, so a long pause after a 429 never lets another worker take the job.
        await waitForSendSlot(
          { db: this.deps.db, nowMs: this.nowMs, sleep: this.sleep, tenantPerSecond: policy.tenantPerSecond, beforeWait: hooks.keepAlive ? (ms) => hooks.keepAlive!(ms) : undefined },
          target.tenantId,
          target.conversationId || `new:${target.personId}`,
        );
      } catch (error) {
        if (error instanceof PacingAborted) return { status: 'abandoned', reason: error.message };
        throw error;
      }
      if (hooks.beforeCall && !(await hooks.beforeCall())) return { status: 'abandoned', reason: 'lease lost before the call' };
      const withdrawn = hooks.stillWanted ? await hooks.stillWanted() : null;
      if (withdrawn) {
        if (hooks.afterNoDelivery) await hooks.afterNoDelivery();
        return { status: 'withdrawn', ...withdrawn };
      }
      let failure: SendFailure;
      try {
        if (!target.conversationId) {
          target = await this.createPersonalConversation(target);
          if (hooks.afterNoDelivery) await hooks.afterNoDelivery();
          continue;
        }
        const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
        activity.summary = summary;
        const response = await this.post(target.reference, activity);
        return { status: 'sent', activityId: response?.id, conversationId: target.conversationId };
      } catch (error) {
        failure = classifySendError(error, this.nowMs());
        this.log.warn({ conversationId: target.conversationId, personId: target.personId, attempt, failure }, 'proactive send failed');
      }
      if (failure.kind !== 'transient') return this.settleFailure(target, failure);
      if (hooks.afterNoDelivery) await hooks.afterNoDelivery();
      const wait = Math.max(failure.retryAfterMs ?? 0, this.backoff(attempt));
      if (failure.throttled) await pauseTenant(this.deps.db, target.tenantId, this.nowMs() + (failure.retryAfterMs ?? wait));
      if (attempt >= policy.attemptsPerDelivery || waited + wait > policy.maxInlineWaitMs) {
        return { status: 'retry_later', afterMs: wait, reason: failure.reason };
      }
      if (hooks.keepAlive && !(await hooks.keepAlive(wait))) return { status: 'abandoned', reason: 'lease lost while waiting' };
      await this.sleep(wait);
      waited += wait;
    }
  }

  /**
   * One Bot Connector call in a continued conversation: what teams-ai's sendProactiveActivity does (the Application's
   * adapter and bot app id), except that the call's error is caught inside the turn — the adapter's turn-error
   * handler would otherwise swallow it and a refused send would look delivered. Local mode has an empty app id (the
   * Playground takes calls without a token), which sendProactiveActivity would warn about on every send.
   */
  private async post(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<ResourceResponse | undefined> {
    let response: ResourceResponse | undefined;
    let failure: unknown = null;
    const logic = async (context: TurnContext) => {
      try {
        response = await context.sendActivity(activity);
      } catch (error) {
        failure = error ?? new Error('send failed');
      }
    };
    await this.deps.app.adapter.continueConversationAsync(this.deps.botAppId, reference, logic);
    if (failure) throw failure;
    return response;
  }

  /** Exponential backoff with full jitter: a random wait up to base·2^(attempt-1), capped. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.deps.policy.maxBackoffMs, this.deps.policy.baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async resolve(to: Recipient): Promise<Target | SendOutcome> {
    const db = this.deps.db;
    if ('conversationId' in to) {
      const conversation = await db.conversation.findUnique({ where: { id: to.conversationId }, select: { id: true, tenantId: true, reference: true, active: true } });
      if (!conversation?.active) return { status: 'unreachable', reason: conversation ? 'conversation inactive' : 'no conversation' };
      const blocked = await this.tenantBlocked(conversation.tenantId);
      if (blocked) return blocked;
      return { conversationId: conversation.id, tenantId: conversation.tenantId, reference: conversation.reference as Partial<ConversationReference>, personId: null };
    }
    const person = await db.person.findUnique({ where: { id: to.personId }, select: { id: true, teamsUserId: true, tenantId: true, unreachableAt: true, unreachableReason: true } });
    if (!person) return { status: 'unreachable', reason: 'no such person' };
    if (person.unreachableAt) return { status: 'unreachable', reason: person.unreachableReason ?? 'unreachable' };
    const blocked = await this.tenantBlocked(person.tenantId);
    if (blocked) return blocked;
    const conversation = await new PeopleRepository(db).findPersonalConversation(person.id);
    if (conversation) return { conversationId: conversation.id, tenantId: person.tenantId, reference: conversation.reference as Partial<ConversationReference>, personId: person.id };
    // No 1:1 chat yet (known from a team roster): Teams can create one with the tenant's service URL.
    const known = person.tenantId
      ? await db.conversation.findFirst({ where: { tenantId: person.tenantId }, orderBy: { updatedAt: 'desc' }, select: { serviceUrl: true, reference: true } })
      : null;
    if (!known) return { status: 'unreachable', reason: 'no conversation and no service URL for the tenant' };
    const bot = (known.reference as Partial<ConversationReference>).bot;
    return {
      conversationId: '',
      tenantId: person.tenantId,
      personId: person.id,
      reference: { serviceUrl: known.serviceUrl, channelId: 'msteams', bot, user: { id: person.teamsUserId, name: '' } },
    };
  }

  private async tenantBlocked(tenantId: string | null): Promise<SendOutcome | null> {
    if (!tenantId) return null;
    const state = await this.deps.db.tenantState.findUnique({ where: { tenantId } });
    return state?.disabledAt ? { status: 'tenant_disabled', reason: state.reason ?? 'BotDisabledByAdmin' } : null;
  }

  private async createPersonalConversation(target: Target): Promise<Target> {
    const { serviceUrl, bot, user } = target.reference;
    let created: Target | null = null;
    await this.deps.app.adapter.createConversationAsync(
      this.deps.botAppId,
      'msteams',
      serviceUrl!,
      '',
      { isGroup: false, bot: bot ?? { id: this.deps.botAppId, name: '' }, members: [{ id: user!.id, name: '' }], tenantId: target.tenantId ?? undefined, channelData: { tenant: { id: target.tenantId } } } as never,
      async (context: TurnContext) => {
        const conversation = conversationFromActivity(context.activity);
        if (!conversation) return;
        await new PeopleRepository(this.deps.db).upsertConversation(conversation.id, {
          kind: 'personal', personId: target.personId, tenantId: target.tenantId, teamId: null, teamName: null, channelName: null,
          serviceUrl: conversation.serviceUrl, reference: conversation.reference,
        });
        created = { ...target, conversationId: conversation.id, reference: conversation.reference };
      },
    );
    if (!created) throw Object.assign(new Error('Teams created no conversation'), { statusCode: 502 });
    return created;
  }

  private async settleFailure(target: Target, failure: Exclude<SendFailure, { kind: 'transient' }>): Promise<SendOutcome> {
    const db = this.deps.db;
    if (failure.kind === 'unreachable') {
      if (target.personId) {
        await db.person.update({ where: { id: target.personId }, data: { unreachableAt: new Date(this.nowMs()), unreachableReason: failure.reason } });
      } else {
        await db.conversation.updateMany({ where: { id: target.conversationId }, data: { active: false } });
      }
      return { status: 'unreachable', reason: failure.reason };
    }
    if (failure.kind === 'tenant_disabled') {
      if (target.tenantId) {
        const before = await db.tenantState.findUnique({ where: { tenantId: target.tenantId } });
        await db.tenantState.upsert({
          where: { tenantId: target.tenantId },
          create: { tenantId: target.tenantId, disabledAt: new Date(this.nowMs()), reason: failure.reason },
          update: { disabledAt: new Date(this.nowMs()), reason: failure.reason },
        });
        this.log.error({ tenantId: target.tenantId, reason: failure.reason }, 'Teams admin disabled the bot for this tenant: sends to it are stopped');
        if (!before?.disabledAt) await this.deps.onTenantDisabled?.(target.tenantId, failure.reason);
      }
      return { status: 'tenant_disabled', reason: failure.reason };
    }
    return { status: failure.kind, reason: failure.reason };
  }
}
