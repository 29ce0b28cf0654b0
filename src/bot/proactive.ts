import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Db } from '../db/client.js';
import { PeopleRepository } from '../features/people/people.repository.js';
import type { Card } from '../lib/cards.js';
import type { Logger } from '../lib/logger.js';
import type { Notifier, NotifyResult } from '../lib/notifier.js';

/**
 * The one module that sends proactive messages (cards to people outside the current turn).
 * It sends to the stored 1:1 conversation reference through the adapter; in local mode the adapter has no
 * credentials and the Playground's mock connector accepts the call without a token.
 * (The scheduler issue adds queuing, rate limits and retry classification here.)
 */
export class ProactiveNotifier implements Notifier {
  constructor(private readonly deps: { adapter: CloudAdapter; botAppId: string; db: Db; logger: Logger }) {}

  async sendToPerson(personId: string, card: Card, summary: string): Promise<NotifyResult> {
    const conversation = await new PeopleRepository(this.deps.db).findPersonalConversation(personId);
    if (!conversation) return { status: 'unreachable', reason: 'no-conversation' };
    const reference = conversation.reference as Partial<ConversationReference>;
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (context) => {
        const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
        activity.summary = summary;
        await context.sendActivity(activity);
      });
      return { status: 'sent' };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      this.deps.logger.warn({ personId, status, err: error }, 'proactive send failed');
      return status === 403 || status === 404 ? { status: 'unreachable', reason: `http-${status}` } : { status: 'failed', reason: String(status ?? 'network') };
    }
  }
}
