import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createDb, type Db } from '../../src/db/client.js';
import { loadContent } from '../../src/features/content/content.service.js';
import { contentDir } from '../../src/lib/paths.js';

export type TestDb = { db: Db; url: string; file: string; close(): Promise<void> };

/** A fresh, migrated database file for one test (a copy of the template built in global-setup). */
export async function createTestDb(opts: { content?: boolean; extraTenants?: { organisationId: string; tenantId: string }[] } = {}): Promise<TestDb> {
  const template = process.env.REXVET_TEMPLATE_DB;
  if (!template) throw new Error('REXVET_TEMPLATE_DB is not set: run the tests through jest (global-setup)');
  const file = path.join(path.dirname(template), `${crypto.randomUUID()}.db`);
  fs.copyFileSync(template, file);
  const url = `file:${file}`;
  const db = await createDb(url);
  if (opts.content !== false) await loadContent(db, { dir: contentDir, extraTenants: opts.extraTenants ?? [] });
  return {
    db,
    url,
    file,
    async close() {
      await db.$disconnect();
      for (const suffix of ['', '-wal', '-shm', '.issuer-key.json']) fs.rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/** The sender's own last-seen record, which every turn refreshes by design. */
const LAST_SEEN: Record<string, string[]> = { Person: ['lastSeenAt'], Conversation: ['updatedAt'] };

/** Every row of every table, for "nothing changed" assertions (last-seen columns left out). */
export async function snapshotTables(db: Db): Promise<Record<string, unknown[]>> {
  const tables = (await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma_%' ORDER BY name",
  )).map((t) => t.name);
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}" ORDER BY 1`);
    snapshot[table] = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([col]) => !LAST_SEEN[table]?.includes(col))));
  }
  return snapshot;
}
