import { EnvError, loadEnv } from './config/env.js';
import { createLogger, routeConsoleTo } from './lib/logger.js';
import { startApp } from './main.js';

/** Production entry (`npm run serve`): the bot alone, Bot Framework credentials required. */
async function main() {
  let env;
  try {
    env = loadEnv(process.env, { requireBotCredentials: process.env.NODE_ENV === 'production' });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\nSee env.example and the README.\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  routeConsoleTo(logger);
  const app = await startApp({ env, logger });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
