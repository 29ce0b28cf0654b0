import type restify from 'restify';
import { createAdapter, createBot, type Bot } from './bot/app.js';
import { Background, createSender, openBadgeIssuer } from './jobs/runtime.js';
import { QueueNotifier } from './jobs/notifier.js';
import type { BadgeIssuer } from './features/badges/issuer.js';
import { EnvError, loadEnv, type Env } from './config/env.js';
import { createDb, type Db } from './db/client.js';
import { migrateDeploy } from './db/migrate.js';
import { loadContent } from './features/content/content.service.js';
import { createServer } from './http/server.js';
import { systemClock, type Clock } from './lib/clock.js';
import { contentDir } from './lib/paths.js';
import { createLogger, routeConsoleTo, type Logger } from './lib/logger.js';
import type { Notifier } from './lib/notifier.js';

export type RunningApp = { server: restify.Server; bot: Bot; db: Db; url: string; background: Background | null; badges: BadgeIssuer; close(): Promise<void> };

/**
 * Composition: env → db (migrated, content loaded) → bot → http. Used by `npm start`, `npm run serve` and the
 * HTTP tests, so all three run the same wiring.
 */
export async function startApp(opts: {
  env: Env;
  logger: Logger;
  clock?: Clock;
  notifier?: Notifier;
  migrate?: boolean;
  port?: number;
  /** The worker and scheduler (door 3); on unless a test says otherwise. */
  background?: boolean;
}): Promise<RunningApp> {
  const { env, logger } = opts;
  if (opts.migrate !== false) await migrateDeploy(env.DATABASE_URL);
  const db = await createDb(env.DATABASE_URL, logger.child({ name: 'db' }));
  const results = await loadContent(db, { dir: contentDir, extraTenants: env.ORG_TENANTS });
  logger.info({ content: results.map((r) => `${r.file}@${r.version}:${r.status}`) }, 'content ready');
  const clock = opts.clock ?? systemClock;
  const adapter = createAdapter(env);
  // The bot needs the queue's notifier and the sender needs the bot's Application: the notifier wakes the worker late-bound.
  let background: Background | null = null;
  const notifier = opts.notifier ?? new QueueNotifier({ db, clock, wake: () => background?.worker.nudge() });
  const badges = await openBadgeIssuer(env, db, clock);
  logger.info({ issuer: badges.ids.issuerId, keyFile: env.BADGE_KEY_FILE }, 'Open Badges issuer ready');
  const bot = createBot({ env, db, logger, clock, notifier, adapter, badges });
  if (opts.background !== false) {
    background = new Background({ env, db, logger: logger.child({ name: 'jobs' }), clock, badges, sender: createSender({ env, db, logger, clock, app: bot.app }) });
    background.start();
  }
  const server = createServer({ bot, db, logger, badges, clock, defaultLanguage: env.DEFAULT_LANGUAGE, publicBaseUrl: env.PUBLIC_BASE_URL });
  const port = opts.port ?? env.PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Local mode accepts unauthenticated requests: only from this machine.
    if (env.localMode) server.listen(port, '127.0.0.1', () => resolve());
    else server.listen(port, () => resolve());
  });
  const address = server.address();
  const url = `http://${env.localMode ? '127.0.0.1' : 'localhost'}:${typeof address === 'object' && address ? address.port : port}`;
  logger.info({ url: `${url}/api/messages`, mode: env.localMode ? 'local (no Bot credentials)' : 'Teams (JWT validated)' }, 'bot listening');
  let closed = false;
  return {
    server,
    bot,
    db,
    url,
    background,
    badges,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await background?.stop();
      await db.$disconnect();
    },
  };
}

/**
 * For the app's entry points: parse the environment (or print every bad key and exit 2), then the process logger,
 * which also takes over library console output.
 */
export function processSetup(source: Record<string, string | undefined>, opts: { requireBotCredentials?: boolean } = {}): { env: Env; logger: Logger } {
  let env: Env;
  try {
    env = loadEnv(source, opts);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\nSee env.example and the README.\n`);
    process.exit(2);
  }
  const logger = createLogger(env.LOG_LEVEL);
  routeConsoleTo(logger);
  return { env, logger };
}
