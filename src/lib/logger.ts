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
