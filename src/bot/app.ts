import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Env } from '../config/env.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Notifier } from '../lib/notifier.js';
import { errorRef } from '../lib/errors.js';
import { sendCard, BotKit } from './kit.js';
import { errorCard } from './common.cards.js';
import { registerHelpHandlers } from './handlers/help.handlers.js';
import { registerLifecycleHandlers } from './handlers/lifecycle.handlers.js';
import { registerOnboardingHandlers } from './handlers/onboarding.handlers.js';
import { registerRequestHandlers } from './handlers/requests.handlers.js';
import { registerGrantHandlers } from './handlers/grants.handlers.js';
import { registerAssessmentHandlers } from './handlers/assessment.handlers.js';
import { registerLearningHandlers } from './handlers/learning.handlers.js';
import { registerPathHandlers } from './handlers/path.handlers.js';
import { registerReminderHandlers } from './handlers/reminders.handlers.js';
import { registerBadgeHandlers } from './handlers/badges.handlers.js';
import { registerDigestHandlers } from './handlers/digest.handlers.js';
import { registerAnnouncementHandlers } from './handlers/announcements.handlers.js';
import { registerPrivacyHandlers } from './handlers/privacy.handlers.js';
import { privacyTerms } from '../features/privacy/terms.js';
import { requestBadgeCheck } from '../features/badges/badges.service.js';
import type { BadgeIssuer } from '../features/badges/issuer.js';
import { recordModuleCompleted } from '../features/path/path.service.js';
import { QueueNotifier } from '../jobs/notifier.js';
import { useOwnConnectorPolicy } from './connector-policy.js';
import { Registry } from './registry.js';
import { beginTurn, getTurn } from './turn.js';

export type BotDeps = { env: Env; db: Db; logger: Logger; clock: Clock; notifier?: Notifier; badges?: BadgeIssuer };
export type Bot = { app: Application<TurnState>; adapter: CloudAdapter; registry: Registry; notifier: Notifier; run(context: TurnContext): Promise<void> };

/** One Bot Connector call; the worker's lease (60 s) outlasts it. */
const CONNECTOR_TIMEOUT_MS = 20_000;

/** With BOT_ID empty (local mode) the adapter has no credentials: it accepts unauthenticated requests. */
export function createAdapter(env: Env): TeamsAdapter {
  const config = env.localMode
    ? {}
    : { MicrosoftAppId: env.BOT_ID, MicrosoftAppPassword: env.BOT_PASSWORD, MicrosoftAppType: env.BOT_TYPE, MicrosoftAppTenantId: env.BOT_TENANT_ID };
  const adapter = new TeamsAdapter(config, new ConfigurationServiceClientCredentialFactory(config));
  useOwnConnectorPolicy(adapter, CONNECTOR_TIMEOUT_MS);
  return adapter;
}

export function createBot(deps: BotDeps & { adapter?: TeamsAdapter }): Bot {
  const logger = deps.logger.child({ name: 'bot' });
  const adapter = deps.adapter ?? createAdapter(deps.env);
  const botAppId = deps.env.BOT_ID ?? '';
  const app = new Application<TurnState>({ adapter, botAppId, removeRecipientMention: true, startTypingTimer: false });
  const notifier = deps.notifier ?? new QueueNotifier({ db: deps.db, clock: deps.clock });
  const registry = new Registry();
  const terms = privacyTerms(deps.env);
  const kit = new BotKit({ app, registry, logger, db: deps.db, terms });
  const defaultLanguage = deps.env.DEFAULT_LANGUAGE;
  const requestDeps = { db: deps.db, clock: deps.clock, notifier, logger, defaultLanguage };

  app.turn('beforeTurn', async (context) => {
    // teams-ai's Action.Submit router reads value[verb] of any value typed 'object', null included.
    if (context.activity.value === null) delete context.activity.value;
    await beginTurn({ db: deps.db, clock: deps.clock, logger, bootstrapAdmins: deps.env.BOOTSTRAP_ADMINS, defaultLanguage, defaultTimeZone: deps.env.DEFAULT_TIME_ZONE }, context);
    return true;
  });

  registerLifecycleHandlers(app, { db: deps.db, logger, terms });
  registerHelpHandlers(kit, registry);
  registerPrivacyHandlers(kit, { db: deps.db, clock: deps.clock, publicBaseUrl: deps.env.PUBLIC_BASE_URL, pseudonymKey: deps.env.PRIVACY_PSEUDONYM_KEY });
  registerOnboardingHandlers(kit, { ...requestDeps, registry, defaultTimeZone: deps.env.DEFAULT_TIME_ZONE });
  registerRequestHandlers(kit, requestDeps);
  registerGrantHandlers(kit, requestDeps);
  // Completing a module or an assessment may earn a badge: the worker checks (signing stays out of the card action).
  const checkBadges = (personId: string, reason: string) => (deps.badges ? requestBadgeCheck(deps.db, deps.clock, personId, reason) : Promise.resolve());
  registerAssessmentHandlers(kit, { db: deps.db, clock: deps.clock, publicBaseUrl: deps.env.PUBLIC_BASE_URL, onCompleted: (personId, assessmentId) => checkBadges(personId, `assessment:${assessmentId}`) });
  const pathDeps = { db: deps.db, clock: deps.clock };
  registerLearningHandlers(kit, {
    ...pathDeps,
    onModuleCompleted: async (personId, moduleId) => {
      await recordModuleCompleted(pathDeps, personId, moduleId);
      await checkBadges(personId, `module:${moduleId}`);
    },
  });
  registerAnnouncementHandlers(kit, { db: deps.db, clock: deps.clock, publicBaseUrl: deps.env.PUBLIC_BASE_URL });
  registerDigestHandlers(kit, { db: deps.db, clock: deps.clock, k: deps.env.PRIVACY_MIN_GROUP, publicBaseUrl: deps.env.PUBLIC_BASE_URL });
  if (deps.badges) registerBadgeHandlers(kit, { db: deps.db, clock: deps.clock, issuer: deps.badges, notifier, defaultLanguage });
  registerPathHandlers(kit, pathDeps);
  registerReminderHandlers(kit, { db: deps.db, clock: deps.clock, defaultTimeZone: deps.env.DEFAULT_TIME_ZONE, nudgeAfterWeeks: deps.env.NUDGE_AFTER_WEEKS });
  kit.listen();

  app.error(async (context, error) => {
    const ref = errorRef();
    logger.error({ err: error, ref, activityType: context.activity?.type }, 'unhandled error in turn');
    if (context.activity?.type === 'message') {
      await sendCard(context, errorCard(getTurn(context), 'generic', ref)).catch(() => undefined);
    }
  });

  return { app, adapter, registry, notifier, run: (context) => app.run(context).then(() => undefined) };
}
