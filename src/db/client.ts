import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../lib/logger.js';
import fs from 'node:fs';
import path from 'node:path';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.js';

const SLOW_QUERY_MS = 200;

/**
 * The one place that knows the database engine. Today: an embedded SQLite file through the better-sqlite3
 * driver adapter (WAL + busy timeout so the CLI and a running bot can share the file).
 */
export async function createDb(url: string, logger?: Logger): Promise<Db> {
  const file = url.replace(/^file:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const adapter = new PrismaBetterSQLite3({ url, timeout: 5000 });
  const db = new PrismaClient({ adapter, log: [{ level: 'query', emit: 'event' }, { level: 'warn', emit: 'event' }] });
  db.$on('query', (e) => {
    if (e.duration >= SLOW_QUERY_MS) logger?.warn({ durationMs: e.duration, query: e.query.slice(0, 300) }, 'slow query');
  });
  db.$on('warn', (e) => logger?.warn({ prisma: e.message }, 'prisma warning'));
  await db.$connect();
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}

/** A write lost a race on a unique key (a double click, two turns at once): the caller finds the winner's row. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}

/** Liveness of the database for /healthz. */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
