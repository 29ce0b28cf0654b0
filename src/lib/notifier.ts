import type { Card } from './cards.js';

export type NotifyResult = { status: 'sent' } | { status: 'unreachable'; reason: string } | { status: 'failed'; reason: string };

/**
 * The domain's only way to reach someone who is not in the current turn. Implemented by src/bot/proactive.ts,
 * the one module that sends proactive messages.
 */
export interface Notifier {
  /** Sends a card to the person's 1:1 chat with the bot. `summary` is the notification text shown in the activity feed. */
  sendToPerson(personId: string, card: Card, summary: string): Promise<NotifyResult>;
}
