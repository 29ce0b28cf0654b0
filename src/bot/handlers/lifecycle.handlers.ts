import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Db } from '../../db/client.js';
import { recordRemoval } from '../../features/people/identity.service.js';
import type { Logger } from '../../lib/logger.js';
import type { PrivacyTerms } from '../../features/privacy/terms.js';
import { sendCard } from '../kit.js';
import { welcomeCard } from '../common.cards.js';
import { getTurn } from '../turn.js';
import { teamIdOf } from '../activity.js';

/**
 * Install and uninstall. The conversation reference itself is stored by beginTurn on every activity; here the
 * bot greets a person who installed it, and stops using a chat or team it was removed from.
 */
export function registerLifecycleHandlers(app: Application<TurnState>, deps: { db: Db; logger: Logger; terms: PrivacyTerms }) {
  const botAdded = (context: TurnContext) => (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
  const botRemoved = (context: TurnContext) => (context.activity.membersRemoved ?? []).some((m) => m.id === context.activity.recipient?.id);

  const greetIfPersonal = async (context: TurnContext) => {
    const turn = getTurn(context);
    const type = context.activity.conversation?.conversationType;
    if (!turn || (type && type !== 'personal')) return;
    if (!turn.person.onboardedAt) await sendCard(context, await welcomeCard(deps.db, turn, deps.terms));
  };

  app.conversationUpdate('membersAdded', async (context) => {
    if (botAdded(context)) {
      deps.logger.info({ conversationType: context.activity.conversation?.conversationType }, 'bot installed');
      await greetIfPersonal(context);
    }
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    if (!botRemoved(context)) return;
    const teamId = teamIdOf(context.activity);
    await recordRemoval(deps.db, { conversationId: context.activity.conversation?.id, teamId });
    deps.logger.info({ teamId }, 'bot removed');
  });

  app.activity('installationUpdate', async (context) => {
    const action: unknown = context.activity.action;
    if (typeof action === 'string' && action.startsWith('remove')) {
      const teamId = teamIdOf(context.activity);
      await recordRemoval(deps.db, { conversationId: context.activity.conversation?.id, teamId });
      deps.logger.info({ teamId }, 'bot uninstalled');
    }
    // "add" is followed by conversationUpdate/membersAdded, which greets; greeting here too would send two cards.
  });
}
