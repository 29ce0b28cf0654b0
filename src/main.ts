import type restify from 'restify';
import { createBot, type Bot } from './bot/app.js';
import { EnvError, loadEnv, type Env } from './config/env.js';
import { createDb, type Db } from './db/client.js';
import { migrateDeploy } from './db/migrate.js';
import { loadContent } from './features/content/content.service.js';
import { createServer } from './http/server.js';
import { systemClock, type Clock } from './lib/clock.js';
import { contentDir } from './lib/paths.js';
import { createLogger, routeConsoleTo, type Logger } from './lib/logger.js';
import type { Notifier } from './lib/notifier.js';

export type RunningApp = { server: restify.Server; bot: Bot; db: Db; url: string; close(): Promise<void> };

/**
 * Composition: env → db (migrated, content loaded) → bot → http. Used by `npm start`, `npm run serve` and the
 * HTTP tests, so all three run the same wiring.
 */
export async function startApp(opts: { env: Env; logger: Logger; clock?: Clock; notifier?: Notifier; migrate?: boolean; port?: number }): Promise<RunningApp> {
  const { env, logger } = opts;
  if (opts.migrate !== false) await migrateDeploy(env.DATABASE_URL);
  const db = await createDb(env.DATABASE_URL, logger.child({ name: 'db' }));
  const results = await loadContent(db, { dir: contentDir, extraTenants: env.ORG_TENANTS });
  logger.info({ content: results.map((r) => `${r.file}@${r.version}:${r.status}`) }, 'content ready');
  const bot = createBot({ env, db, logger, clock: opts.clock ?? systemClock, notifier: opts.notifier });
  const server = createServer({ bot, db, logger });
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
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
