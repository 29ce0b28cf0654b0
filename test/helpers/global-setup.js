// Runs once before the jest workers: builds a migrated template database that each test copies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rexvet-test-'));
  const file = path.join(dir, 'template.db');
  const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: `file:${file}`, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrate deploy failed for the test template:\n${result.stdout}\n${result.stderr}`);
  process.env.REXVET_TEMPLATE_DB = file;
  process.env.REXVET_TEST_DIR = dir;
}
