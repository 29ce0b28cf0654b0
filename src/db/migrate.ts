import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { createDb } from './client.js';

const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

/** Migrations in prisma/migrations that the database has not applied yet (all of them for a new file). */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const all = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const db = await createDb(databaseUrl);
  try {
    const table = await db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'");
    if (table.length === 0) return all;
    const applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(applied.map((m) => m.migration_name));
    return all.filter((m) => !done.has(m));
  } finally {
    await db.$disconnect();
  }
}

/**
 * Applies pending migrations with the Prisma CLI (`migrate deploy` works offline with the JS engine). It needs the
 * file to itself, so it only runs when something is pending: the CLI can then be used next to a running bot.
 */
export async function migrateDeploy(databaseUrl: string): Promise<string[]> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return [];
  const cli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`prisma migrate deploy failed (${code}); is another process (a running bot) using ${databaseUrl}?\n${output}`)),
    );
  });
  return pending;
}
