import { processSetup, startApp } from './main.js';

/** Production entry (`npm run serve`): the bot alone, Bot Framework credentials required. */
async function main() {
  const { env, logger } = processSetup(process.env, { requireBotCredentials: process.env.NODE_ENV === 'production' });
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
