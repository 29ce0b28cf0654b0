import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAdapter, createBot } from '../src/bot/app.js';
import { EnvError, loadEnv, type Env } from '../src/config/env.js';
import { createDb, type Db } from '../src/db/client.js';
import { migrateDeploy } from '../src/db/migrate.js';
import { systemClock } from '../src/lib/clock.js';
import { createLogger, type Logger } from '../src/lib/logger.js';
import { ACTIVE } from '../src/jobs/queue.js';
import { createSender, jobHandlers } from '../src/jobs/runtime.js';
import { Worker } from '../src/jobs/worker.js';
import { FakeConnector } from './fake-connector.js';

export const remindersUsage = `npm run bench -- reminders [options]

  Queues one real reminder job (an unfinished self-assessment) for each of <count> people and sends them all
  through the real queue, database and proactive sender, over HTTP, to a local fake Bot Connector that answers
  429 above the tenant ceiling. Prints throughput as a fraction of the ceiling, duplicates and losses; exits 1
  on any duplicate or loss.

  --count <n>         reminders (one person each)                 default 10000
  --rate <n>          tenant ceiling, sends per second (the sender's
                      pacing and the fake connector's limit)      default PROACTIVE_TENANT_RATE or 25
  --sender-rate <n>   pace the sender at this rate instead (headroom
                      experiments; the connector keeps --rate)    default --rate
  --workers <n>       Worker instances in this process, each with
                      its own owner, bot adapter and sender       default 2
  --concurrency <n>   jobs each worker runs at once               default JOB_CONCURRENCY or 8
  --timeout <s>       give up after this long                     default 2 × count / rate + 120
  --log-level <lvl>   app log level, to stderr                    default error
  --db-per-worker     each worker gets its own database client (default: one client shared, as in one process
                      of the app). Note: better-sqlite3 is synchronous, so two clients in one thread can stall
                      for the 5 s busy timeout when one waits for the other's lock.
  --keep-db           keep the database file (its path is printed)
`;

type Options = { count: number; rate: number | null; senderRate: number | null; workers: number; concurrency: number | null; timeoutS: number | null; logLevel: string; dbPerWorker: boolean; keepDb: boolean };

// Shared with the other queue benches (broadcast.bench.ts).
export const CHUNK = 500;
export const POLL_MS = 250;
export const PROGRESS_MS = 15_000;
export const TENANT_ID = 'bench-tenant-0000-0000-000000000001';

export class UsageError extends Error {}

export function positive(name: string, raw: string | undefined, integer: boolean): number | null {
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not "${raw}"`);
  return n;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      count: { type: 'string' },
      rate: { type: 'string' },
      'sender-rate': { type: 'string' },
      workers: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      'log-level': { type: 'string' },
      'db-per-worker': { type: 'boolean' },
      'keep-db': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  const logLevel = values['log-level'] ?? 'error';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new UsageError(`--log-level must be a pino level, not "${logLevel}"`);
  return {
    count: positive('count', values.count, true) ?? 10_000,
    rate: positive('rate', values.rate, false),
    senderRate: positive('sender-rate', values['sender-rate'], false),
    workers: positive('workers', values.workers, true) ?? 2,
    concurrency: positive('concurrency', values.concurrency, true),
    timeoutS: positive('timeout', values.timeout, false),
    logLevel,
    dbPerWorker: values['db-per-worker'] ?? false,
    keepDb: values['keep-db'] ?? false,
  };
}

export const out = (line = '') => process.stdout.write(`${line}\n`);
export const note = (line: string) => process.stderr.write(`${line}\n`);

/** People, their 1:1 chats, an in-progress assessment each and one queued reminder about it: createMany in chunks. */
async function seed(db: Db, count: number, serviceUrl: string, now: Date): Promise<{ personIds: string[]; conversationOf: Map<string, string>; jobOf: Map<string, string> }> {
  const personIds: string[] = [];
  const conversationOf = new Map<string, string>();
  const jobOf = new Map<string, string>();
  const width = String(count).length;
  const prefs = { quietStart: '00:00', quietEnd: '00:00', weeklyCap: 0 };
  const expiresAt = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  for (let start = 0; start < count; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => String(start + k + 1).padStart(width, '0'));
    const people = ids.map((n) => ({ id: `bench-person-${n}`, teamsUserId: `29:bench-user-${n}`, n }));
    await db.person.createMany({
      data: people.map((p) => ({ id: p.id, teamsUserId: p.teamsUserId, tenantId: TENANT_ID, name: `Bench ${p.n}`, language: 'en', onboardedAt: now, reminderPrefs: prefs, lastSeenAt: now, createdAt: now })),
    });
    await db.conversation.createMany({
      data: people.map((p) => {
        const conversationId = `a:bench-conversation-${p.n}`;
        return {
          id: conversationId, kind: 'personal', personId: p.id, tenantId: TENANT_ID, serviceUrl, active: true,
          reference: { channelId: 'msteams', serviceUrl, conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID }, bot: { id: 'bot', name: 'REX VET Mentor' }, user: { id: p.teamsUserId } },
        };
      }),
    });
    await db.assessment.createMany({
      data: people.map((p) => ({ id: `bench-assessment-${p.n}`, personId: p.id, status: 'in_progress', openKey: p.id, frameworkVersion: 'bench', startedAt: now })),
    });
    await db.job.createMany({
      data: people.map((p) => ({
        id: `bench-job-${p.n}`,
        kind: 'reminder',
        idempotencyKey: `reminder:assessment-unfinished:bench-assessment-${p.n}:${p.id}`,
        payload: { type: 'assessment-unfinished', refId: `bench-assessment-${p.n}`, expiresAt },
        personId: p.id,
        runAt: now,
        createdAt: now,
      })),
    });
    for (const p of people) {
      personIds.push(p.id);
      conversationOf.set(p.id, `a:bench-conversation-${p.n}`);
      jobOf.set(p.id, `bench-job-${p.n}`);
    }
  }
  return { personIds, conversationOf, jobOf };
}

/** The app's env for a bench run: production settings, no bot credentials, the bench's rate, concurrency and log level. */
export function benchEnv(opts: Pick<Options, 'rate' | 'concurrency' | 'logLevel'>, databaseUrl: string): Env {
  const env = loadEnv({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    BOT_ID: '',
    BOT_PASSWORD: '',
    BOT_TENANT_ID: '',
    LOG_LEVEL: opts.logLevel,
    ...(opts.concurrency !== null ? { JOB_CONCURRENCY: String(opts.concurrency) } : {}),
  });
  // The env schema caps PROACTIVE_TENANT_RATE (Teams' documented ceiling); the bench may try others.
  return opts.rate !== null ? { ...env, PROACTIVE_TENANT_RATE: opts.rate } : env;
}

export function removeDbFiles(file: string) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export async function runRemindersBench(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      if ((error as Error).message) note(`bench reminders: ${(error as Error).message}\n`);
      note(remindersUsage);
      return 2;
    }
    throw error;
  }

  const file = path.join(os.tmpdir(), `rexvet-bench-${process.pid}.db`);
  const databaseUrl = `file:${file}`;
  let env: Env;
  try {
    env = benchEnv(opts, databaseUrl);
  } catch (error) {
    if (error instanceof EnvError) {
      note(error.message);
      return 2;
    }
    throw error;
  }
  const rate = env.PROACTIVE_TENANT_RATE;
  if (opts.senderRate !== null) env = { ...env, PROACTIVE_TENANT_RATE: opts.senderRate };
  const concurrency = env.JOB_CONCURRENCY;
  const timeoutMs = (opts.timeoutS ?? Math.ceil((2 * opts.count) / rate) + 120) * 1000;
  const logger: Logger = createLogger(opts.logLevel as 'error', process.stderr);

  removeDbFiles(file);
  const fake = new FakeConnector(rate);
  const clients: Db[] = [];
  const workers: Worker[] = [];
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    note('\ninterrupted: stopping the workers…');
  };
  process.once('SIGINT', onSignal);
  try {
    const serviceUrl = await fake.listen();
    note(`database ${file}; fake Bot Connector ${serviceUrl}`);
    let t = Date.now();
    await migrateDeploy(databaseUrl);
    const db = await createDb(databaseUrl, logger.child({ name: 'bench-db' }));
    clients.push(db);
    const seeded = await seed(db, opts.count, serviceUrl, new Date());
    note(`migrated and seeded ${fmt(opts.count)} people, chats, assessments and reminder jobs in ${fmt((Date.now() - t) / 1000, 1)} s`);

    for (let i = 0; i < opts.workers; i += 1) {
      const wdb = opts.dbPerWorker ? await createDb(databaseUrl, logger.child({ name: `db-${i + 1}` })) : db;
      if (opts.dbPerWorker) clients.push(wdb);
      const wlog = logger.child({ name: `instance-${i + 1}` });
      const deps = { env, db: wdb, logger: wlog, clock: systemClock };
      const bot = createBot({ ...deps, adapter: createAdapter(env) });
      const sender = createSender({ ...deps, app: bot.app });
      workers.push(new Worker({ db: wdb, sender, handlers: jobHandlers(deps), logger: wlog, clock: systemClock, concurrency, owner: `bench-worker-${i + 1}` }));
    }

    out(`reminders bench: ${fmt(opts.count)} reminders, ceiling ${fmt(rate, rate % 1 ? 2 : 0)}/s${opts.senderRate !== null ? ` (sender paced at ${opts.senderRate}/s)` : ''}, ${opts.workers} worker${opts.workers === 1 ? '' : 's'} × ${concurrency} concurrency${opts.dbPerWorker ? ', one database client each' : ', one shared database client'}`);
    const started = Date.now();
    for (const w of workers) w.start();

    let active = opts.count;
    let lastProgress = started;
    t = started;
    let timedOut = false;
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      active = await db.job.count({ where: { status: { in: [...ACTIVE] } } });
      t = Date.now();
      if (active === 0) break;
      if (interrupted) break;
      if (t - started > timeoutMs) {
        timedOut = true;
        break;
      }
      if (t - lastProgress >= PROGRESS_MS) {
        lastProgress = t;
        const s = (t - started) / 1000;
        note(`  ${fmt(s, 0).padStart(5)} s  delivered ${fmt(fake.stats.accepted).padStart(6)}  429s ${fmt(fake.stats.throttled).padStart(5)}  active ${fmt(active).padStart(6)}  ${fmt(fake.stats.accepted / s, 2)}/s`);
      }
    }
    const finished = t;
    await Promise.all(workers.map((w) => w.stop()));
    workers.length = 0;

    // ---- what happened ----
    const seconds = (finished - started) / 1000;
    const delivered = fake.stats.accepted;
    const throughput = delivered / seconds;
    const byStatus = await db.job.groupBy({ by: ['status'], _count: { _all: true }, orderBy: { status: 'asc' } });
    const jobs = await db.job.findMany({ select: { id: true, personId: true, status: true, attempts: true, lastError: true } });
    const jobById = new Map(jobs.map((j) => [j.id, j]));

    let duplicates = 0;
    let extraDeliveries = 0;
    for (const n of fake.perConversation.values()) {
      if (n > 1) {
        duplicates += 1;
        extraDeliveries += n - 1;
      }
    }
    const lost: { personId: string; status: string; deliveries: number; lastError: string | null }[] = [];
    for (const personId of seeded.personIds) {
      const job = jobById.get(seeded.jobOf.get(personId)!);
      const deliveries = fake.perConversation.get(seeded.conversationOf.get(personId)!) ?? 0;
      if (job?.status !== 'sent' || deliveries === 0) lost.push({ personId, status: job?.status ?? 'missing', deliveries, lastError: job?.lastError ?? null });
    }
    // A card must carry the job it was sent for, in that person's chat (the fake records the cards' job ids).
    const expectedJobOfConversation = new Map(seeded.personIds.map((p) => [seeded.conversationOf.get(p)!, seeded.jobOf.get(p)!]));
    const misrouted = fake.deliveries.filter((d) => d.jobIds.length !== 1 || d.jobIds[0] !== expectedJobOfConversation.get(d.conversationId)).length;
    const sentNotDelivered = lost.filter((l) => l.status === 'sent').length;
    const deliveredNotSent = lost.filter((l) => l.status !== 'sent' && l.deliveries > 0).length;
    const reclaimed = jobs.filter((j) => j.attempts > 1).length;
    const maxAttempts = jobs.reduce((m, j) => Math.max(m, j.attempts), 0);
    const spanS = fake.stats.firstAcceptedAt !== null && fake.stats.lastAcceptedAt !== null ? (fake.stats.lastAcceptedAt - fake.stats.firstAcceptedAt) / 1000 : 0;

    const rows: [string, string][] = [
      ['wall time (start → all jobs terminal)', `${fmt(seconds, 1)} s`],
      ['requests to the connector', fmt(fake.stats.requests)],
      ['  accepted (201)', fmt(delivered)],
      ['  throttled (429)', `${fmt(fake.stats.throttled)} (${fmt((100 * fake.stats.throttled) / Math.max(1, fake.stats.requests), 2)} %)`],
      ['most accepted in one window', `${fmt(fake.stats.maxInWindow)} (ceiling ${fmt(rate, rate % 1 ? 2 : 0)}/s)`],
      ['throughput', `${fmt(throughput, 2)} /s`],
      ['fraction of the ceiling', `${fmt((100 * throughput) / rate, 1)} %`],
      ['  (first → last delivery)', spanS > 0 ? `${fmt(spanS, 1)} s, ${fmt((100 * (delivered - 1)) / spanS / rate, 1)} %` : '-'],
      ['jobs by status', byStatus.map((s) => `${s.status} ${fmt(s._count._all)}`).join(', ')],
      ['jobs claimed more than once', `${fmt(reclaimed)} (most claims ${maxAttempts})`],
      ['duplicates (chats with > 1 card)', `${fmt(duplicates)}${extraDeliveries ? ` (${fmt(extraDeliveries)} extra cards)` : ''}`],
      ['losses (job not sent or no card)', `${fmt(lost.length)}${lost.length ? ` (sent but no card ${fmt(sentNotDelivered)}, card but not sent ${fmt(deliveredNotSent)})` : ''}`],
      ['cards with the wrong job id', fmt(misrouted)],
    ];
    if (timedOut) rows.push(['timed out', `after ${fmt(timeoutMs / 1000)} s with ${fmt(active)} jobs still active`]);
    if (interrupted) rows.push(['interrupted', `with ${fmt(active)} jobs still active`]);
    const width = Math.max(...rows.map(([k]) => k.length));
    out();
    for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v}`);
    for (const l of lost.slice(0, 10)) out(`    lost: ${l.personId} job ${l.status}, ${l.deliveries} card(s)${l.lastError ? `: ${l.lastError}` : ''}`);
    if (lost.length > 10) out(`    … and ${fmt(lost.length - 10)} more`);
    const ok = duplicates === 0 && lost.length === 0 && misrouted === 0 && !timedOut && !interrupted;
    out();
    out(ok ? 'OK: every reminder delivered exactly once' : 'FAILED: duplicates or losses (see above)');
    if (opts.keepDb) out(`database kept: ${file}`);
    return ok ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await Promise.allSettled(workers.map((w) => w.stop()));
    await Promise.allSettled(clients.map((c) => c.$disconnect()));
    await fake.close().catch(() => undefined);
    if (!opts.keepDb) removeDbFiles(file);
    logger.flush();
  }
}
