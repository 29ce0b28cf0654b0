import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** One structured (JSON) logger per process; modules take a named child: `logger.child({ name: 'bot' })`. */
export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { app: 'rex-vet-mentor' }, timestamp: pino.stdTimeFunctions.isoTime, redact: ['*.password', '*.BOT_PASSWORD'] },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that discards everything (for CLI commands' quiet paths and for tests that do not look at logs). */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * Libraries (botbuilder logs refused tokens with console.error) write to the console; in the running app those lines
 * become structured log entries too. Only the entry points call this, never tests.
 */
export function routeConsoleTo(logger: Logger) {
  const lib = logger.child({ name: 'library' });
  const format = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  /* eslint-disable no-console -- this is the one place that takes over the console */
  console.error = (...args: unknown[]) => lib.error(format(args));
  console.warn = (...args: unknown[]) => lib.warn(format(args));
  console.log = (...args: unknown[]) => lib.info(format(args));
  /* eslint-enable no-console */
}
