/**
 * A worker in its own OS process, for the crash and two-process tests: `node --import tsx worker-process.ts`.
 * DATABASE_URL: the shared test database. LEASE_MS: its lease. CRASH=before-send: the process kills itself after
 * claiming a job and before calling the Bot Connector (SIGKILL: no cleanup).
 */
import { createDb } from '../../src/db/client.js';
import { createAdapter, createBot } from '../../src/bot/app.js';
import { loadEnv } from '../../src/config/env.js';
import { createSender, jobHandlers } from '../../src/jobs/runtime.js';
import { Worker } from '../../src/jobs/worker.js';
import { systemClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Sender } from '../../src/lib/notifier.js';

const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: process.env.DATABASE_URL });
const db = await createDb(env.DATABASE_URL);
const bot = createBot({ env, db, logger: silentLogger, clock: systemClock, adapter: createAdapter(env) });
const real = createSender({ env, db, logger: silentLogger, clock: systemClock, app: bot.app, tenantPerSecond: 50 });
const sender: Sender = process.env.CRASH === 'before-send'
  ? { deliver: async () => { process.kill(process.pid, 'SIGKILL'); return new Promise(() => undefined); } }
  : real;
const worker = new Worker({ db, sender, handlers: jobHandlers({ env, db, logger: silentLogger, clock: systemClock }), logger: silentLogger, leaseMs: Number(process.env.LEASE_MS ?? 60_000), concurrency: 4 });
process.stdout.write('ready\n');
const ran = await worker.drain();
process.stdout.write(`ran ${ran}\n`);
await db.$disconnect();
process.exit(0);
