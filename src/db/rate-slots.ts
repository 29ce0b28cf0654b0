import type { Db } from './client.js';

/**
 * Shared pacing for every instance on one database: reserves the next send slot for a key (e.g. a tenant) with
 * one atomic statement, so two instances share a ceiling instead of each getting it. Each reservation moves the
 * key's next free time forward by `intervalMs`; the caller waits until the returned slot. The statement is plain
 * SQL that SQLite (≥ 3.35) and PostgreSQL both run.
 */
export async function reserveSlot(db: Db, key: string, nowMs: number, intervalMs: number): Promise<number> {
  const rows = await db.$queryRaw<{ nextAt: number }[]>`
    INSERT INTO "RateSlot" ("key", "nextAt") VALUES (${key}, ${nowMs + intervalMs})
    ON CONFLICT ("key") DO UPDATE SET "nextAt" =
      (CASE WHEN "RateSlot"."nextAt" > ${nowMs} THEN "RateSlot"."nextAt" ELSE ${nowMs} END) + ${intervalMs}
    RETURNING "nextAt"`;
  return Number(rows[0]!.nextAt) - intervalMs;
}
