import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createAdapter, createBot } from '../src/bot/app.js';
import { EnvError, type Env } from '../src/config/env.js';
import { createDb, type Db } from '../src/db/client.js';
import { migrateDeploy } from '../src/db/migrate.js';
import { sendAnnouncement } from '../src/features/announcements/announcements.service.js';
import { loadContent } from '../src/features/content/content.service.js';
import type { Actor } from '../src/features/people/authorise.js';
import { systemClock } from '../src/lib/clock.js';
import { createLogger, type Logger } from '../src/lib/logger.js';
import { contentDir } from '../src/lib/paths.js';
import { ACTIVE } from '../src/jobs/queue.js';
import { createSender, jobHandlers } from '../src/jobs/runtime.js';
import { Worker } from '../src/jobs/worker.js';
import { FakeConnector } from './fake-connector.js';
import { benchEnv, CHUNK, fmt, note, out, POLL_MS, positive, PROGRESS_MS, removeDbFiles, TENANT_ID, UsageError } from './reminders.bench.js';

export const broadcastUsage = `npm run bench -- broadcast [options]

  A coordinator's announcement to <count> onboarded people of one organisation, sent the way the app sends it:
  sendAnnouncement fans out one queued job per reachable recipient while the workers run, and the real queue,
  database and proactive sender post the cards over HTTP to a local fake Bot Connector that answers 429 above the
  tenant ceiling and a permanent 403 ConversationBlockedByUser for --blocked-percent of the chats. Prints the
  completion time, the send rate as a fraction of the ceiling, duplicates and losses; exits 1 on any duplicate,
  loss or wrongly settled blocked recipient.

  --count <n>            recipients (one person and 1:1 chat each)      default 10000
  --rate <n>             tenant ceiling, sends per second (the sender's
                         pacing and the fake connector's limit)         default PROACTIVE_TENANT_RATE or 25
  --workers <n>          Worker instances in this process, each with its
                         own owner, bot adapter and sender (one shared
                         database client, as in one app process)        default 2
  --concurrency <n>      jobs each worker runs at once                  default JOB_CONCURRENCY or 8
  --blocked-percent <p>  share of the chats whose user blocked the bot
                         (0 to 100, spread evenly over the recipients)  default 1
  --timeout <s>          give up after this long                        default 2 × count / rate + 180
  --log-level <lvl>      app log level, to stderr                       default error
  --keep-db              keep the database file (its path is printed)
`;

type Options = { count: number; rate: number | null; workers: number; concurrency: number | null; blockedPercent: number; timeoutS: number | null; logLevel: string; keepDb: boolean };

const ORGANISATION = 'luovi';
const COORDINATOR_ID = 'bench-coordinator';

function percent(name: string, raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`--${name} must be a number from 0 to 100, not "${raw}"`);
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
      workers: { type: 'string' },
      concurrency: { type: 'string' },
      'blocked-percent': { type: 'string' },
      timeout: { type: 'string' },
      'log-level': { type: 'string' },
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
    workers: positive('workers', values.workers, true) ?? 2,
    concurrency: positive('concurrency', values.concurrency, true),
    blockedPercent: percent('blocked-percent', values['blocked-percent']) ?? 1,
    timeoutS: positive('timeout', values.timeout, false),
    logLevel,
    keepDb: values['keep-db'] ?? false,
  };
}

type Recipient = { personId: string; conversationId: string; blocked: boolean };

/** Recipient k (0-based) is blocked when the running share of blocked ones crosses a whole number: evenly spread. */
const isBlocked = (k: number, percentBlocked: number) => Math.floor(((k + 1) * percentBlocked) / 100) > Math.floor((k * percentBlocked) / 100);

/**
 * The coordinator (outside the audience: no organisation), then <count> onboarded people of the organisation, each
 * with an active 1:1 chat whose service URL is the fake connector: createMany in chunks.
 */
async function seed(db: Db, count: number, blockedPercent: number, serviceUrl: string, now: Date): Promise<Recipient[]> {
  await db.person.create({ data: { id: COORDINATOR_ID, teamsUserId: '29:bench-coordinator', tenantId: TENANT_ID, name: 'Bench Coordinator', language: 'en', lastSeenAt: now, createdAt: now } });
  // The fan-out checks that the author may still address the audience.
  await db.grant.create({ data: { personId: COORDINATOR_ID, role: 'coordinator', scope: ORGANISATION, grantedBy: 'bench' } });
  const recipients: Recipient[] = [];
  const width = String(count).length;
  for (let start = 0; start < count; start += CHUNK) {
    const people = Array.from({ length: Math.min(CHUNK, count - start) }, (_, i) => {
      const k = start + i;
      const n = String(k + 1).padStart(width, '0');
      return { id: `bench-person-${n}`, teamsUserId: `29:bench-user-${n}`, conversationId: `a:bench-conversation-${n}`, n, blocked: isBlocked(k, blockedPercent) };
    });
    await db.person.createMany({
      data: people.map((p) => ({ id: p.id, teamsUserId: p.teamsUserId, tenantId: TENANT_ID, name: `Bench ${p.n}`, language: 'en', organisationId: ORGANISATION, onboardedAt: now, lastSeenAt: now, createdAt: now })),
    });
    await db.conversation.createMany({
      data: people.map((p) => ({
        id: p.conversationId, kind: 'personal', personId: p.id, tenantId: TENANT_ID, serviceUrl, active: true,
        reference: { channelId: 'msteams', serviceUrl, conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID }, bot: { id: 'bot', name: 'REX VET Mentor' }, user: { id: p.teamsUserId } },
      })),
    });
    for (const p of people) recipients.push({ personId: p.id, conversationId: p.conversationId, blocked: p.blocked });
  }
  return recipients;
}

export async function runBroadcastBench(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      if ((error as Error).message) note(`bench broadcast: ${(error as Error).message}\n`);
      note(broadcastUsage);
      return 2;
    }
    throw error;
  }

  const file = path.join(os.tmpdir(), `rexvet-broadcast-bench-${process.pid}.db`);
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
  const concurrency = env.JOB_CONCURRENCY;
  const timeoutMs = (opts.timeoutS ?? Math.ceil((2 * opts.count) / rate) + 180) * 1000;
  const logger: Logger = createLogger(opts.logLevel as 'error', process.stderr);

  removeDbFiles(file);
  const fake = new FakeConnector(rate);
  let db: Db | null = null;
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
    db = await createDb(databaseUrl, logger.child({ name: 'bench-db' }));
    await loadContent(db, { dir: contentDir });
    const now = new Date();
    const recipients = await seed(db, opts.count, opts.blockedPercent, serviceUrl, now);
    const blocked = recipients.filter((r) => r.blocked);
    fake.block(blocked.map((r) => r.conversationId));
    const announcement = await db.announcement.create({
      data: {
        createdBy: COORDINATOR_ID,
        title: `Bench broadcast ${process.pid}`,
        text: 'The partnership meeting moves to Thursday. This is a benchmark announcement.',
        eventId: null,
        audience: { organisations: [ORGANISATION], roles: [] },
        status: 'draft',
        createdAt: now,
      },
    });
    note(`migrated, loaded content and seeded ${fmt(opts.count)} people and chats (${fmt(blocked.length)} blocked) in ${fmt((Date.now() - t) / 1000, 1)} s`);

    const actor: Actor = { personId: COORDINATOR_ID, onboarded: true, organisationId: ORGANISATION, grants: [{ role: 'coordinator', scope: ORGANISATION }] };
    for (let i = 0; i < opts.workers; i += 1) {
      const wlog = logger.child({ name: `instance-${i + 1}` });
      const deps = { env, db, logger: wlog, clock: systemClock };
      const bot = createBot({ ...deps, adapter: createAdapter(env) });
      const sender = createSender({ ...deps, app: bot.app });
      workers.push(new Worker({ db, sender, handlers: jobHandlers(deps), logger: wlog, clock: systemClock, concurrency, owner: `bench-worker-${i + 1}` }));
    }

    out(`broadcast bench: one announcement to ${fmt(opts.count)} recipients (${fmt(blocked.length)} blocked the bot), ceiling ${fmt(rate, rate % 1 ? 2 : 0)}/s, ${opts.workers} worker${opts.workers === 1 ? '' : 's'} × ${concurrency} concurrency, one shared database client`);
    // The workers are already running when the coordinator presses Send, as in the app.
    for (const w of workers) w.start();
    // Everything (workers, sender, fake connector) shares this thread: a long synchronous stretch stalls all of it.
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    const started = Date.now();
    const sent = await sendAnnouncement({ db, clock: systemClock }, actor, announcement.id);
    const answeredS = (Date.now() - started) / 1000;
    if (sent.already) throw new Error('sendAnnouncement found the fresh draft already sent');

    // The per-recipient jobs, however they are queued (inline by sendAnnouncement or by a fan-out job it queues).
    const jobWhere = { kind: 'announcement', idempotencyKey: { startsWith: `announce:${announcement.id}:` } };
    let queued = await db.job.count({ where: jobWhere });
    let fanOutS: number | null = queued >= opts.count ? answeredS : null;
    note(`  sendAnnouncement answered in ${fmt(answeredS, 1)} s with ${fmt(queued)} recipient jobs queued (${fmt(fake.stats.accepted)} delivered meanwhile)`);
    // Every job in this database is the announcement's (recipients and any fan-out job): done when none is active.
    let active = await db.job.count({ where: { status: { in: [...ACTIVE] } } });
    let lastProgress = started;
    t = started;
    let timedOut = false;
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (fanOutS === null) {
        queued = await db.job.count({ where: jobWhere });
        if (queued >= opts.count) {
          fanOutS = (Date.now() - started) / 1000;
          note(`  all ${fmt(queued)} recipient jobs queued ${fmt(fanOutS, 1)} s after Send (${fmt(fake.stats.accepted)} delivered meanwhile)`);
        }
      }
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
        note(`  ${fmt(s, 0).padStart(5)} s  queued ${fmt(queued).padStart(6)}  delivered ${fmt(fake.stats.accepted).padStart(6)}  403s ${fmt(fake.stats.blocked).padStart(4)}  429s ${fmt(fake.stats.throttled).padStart(5)}  active ${fmt(active).padStart(6)}  ${fmt(fake.stats.accepted / s, 2)}/s`);
      }
    }
    const finished = t;
    loopDelay.disable();
    await Promise.all(workers.map((w) => w.stop()));
    workers.length = 0;

    // ---- what happened ----
    const seconds = (finished - started) / 1000;
    const delivered = fake.stats.accepted;
    const sendRate = delivered / seconds;
    const byStatus = await db.job.groupBy({ by: ['status'], where: jobWhere, _count: { _all: true }, orderBy: { status: 'asc' } });
    const others = await db.job.findMany({ where: { NOT: jobWhere }, select: { kind: true, status: true, lastError: true }, orderBy: { createdAt: 'asc' } });
    const jobs = await db.job.findMany({ where: jobWhere, select: { personId: true, status: true, attempts: true, lastError: true } });
    const jobsOf = new Map<string, typeof jobs>();
    for (const j of jobs) jobsOf.set(j.personId ?? '', [...(jobsOf.get(j.personId ?? '') ?? []), j]);
    const markedUnreachable = new Set(
      (await db.person.findMany({ where: { id: { in: blocked.map((r) => r.personId) }, unreachableAt: { not: null } }, select: { id: true } })).map((p) => p.id),
    );

    // Duplicates: a chat with more than one card, or a blocked chat posted more than once (its one 403 is expected).
    let duplicates = 0;
    let extraPosts = 0;
    const lost: { personId: string; status: string; cards: number; lastError: string | null }[] = [];
    const misSettled: { personId: string; status: string; posts: number; unreachable: boolean; lastError: string | null }[] = [];
    for (const r of recipients) {
      const cards = fake.perConversation.get(r.conversationId) ?? 0;
      const refused = fake.blockedPerConversation.get(r.conversationId) ?? 0;
      const own = jobsOf.get(r.personId) ?? [];
      const job = own[0];
      if (own.length > 1) {
        duplicates += 1;
        extraPosts += own.length - 1;
      }
      if (r.blocked) {
        if (refused > 1) {
          duplicates += 1;
          extraPosts += refused - 1;
        }
        const settled = refused === 1 && job?.status === 'failed' && (job.lastError ?? '').includes('ConversationBlockedByUser') && markedUnreachable.has(r.personId);
        if (!settled) misSettled.push({ personId: r.personId, status: job?.status ?? 'missing', posts: refused, unreachable: markedUnreachable.has(r.personId), lastError: job?.lastError ?? null });
        continue;
      }
      if (cards > 1) {
        duplicates += 1;
        extraPosts += cards - 1;
      }
      if (job?.status !== 'sent' || cards === 0) lost.push({ personId: r.personId, status: job?.status ?? 'missing', cards, lastError: job?.lastError ?? null });
    }
    const known = new Set(recipients.map((r) => r.conversationId));
    const strayCards = fake.deliveries.filter((d) => !known.has(d.conversationId)).length;
    const audience = new Set(recipients.map((r) => r.personId));
    const orphanJobs = jobs.filter((j) => !j.personId || !audience.has(j.personId)).length;
    const sentNotDelivered = lost.filter((l) => l.status === 'sent').length;
    const deliveredNotSent = lost.filter((l) => l.status !== 'sent' && l.cards > 0).length;
    const reclaimed = jobs.filter((j) => j.attempts > 1).length;
    const maxAttempts = jobs.reduce((m, j) => Math.max(m, j.attempts), 0);
    const spanS = fake.stats.firstAcceptedAt !== null && fake.stats.lastAcceptedAt !== null ? (fake.stats.lastAcceptedAt - fake.stats.firstAcceptedAt) / 1000 : 0;
    const ceiling = fmt(rate, rate % 1 ? 2 : 0);
    const fraction = sendRate / rate;

    const rows: [string, string][] = [
      ['Send answered (sendAnnouncement)', `${fmt(answeredS, 2)} s`],
      ['fan-out (Send → all recipient jobs queued)', fanOutS !== null ? `${fmt(jobs.length)} jobs in ${fmt(fanOutS, 1)} s` : `incomplete: ${fmt(jobs.length)} of ${fmt(opts.count)} jobs`],
      ['first card after Send', fake.stats.firstAcceptedAt !== null ? `${fmt((fake.stats.firstAcceptedAt - started) / 1000, 1)} s` : '-'],
      ['completion time (Send → all jobs terminal)', `${fmt(seconds, 1)} s`],
      ['requests to the connector', fmt(fake.stats.requests)],
      ['  accepted (201)', fmt(delivered)],
      ['  blocked (403 ConversationBlockedByUser)', `${fmt(fake.stats.blocked)} (${fmt(blocked.length)} blocked recipients)`],
      ['  throttled (429)', `${fmt(fake.stats.throttled)} (${fmt((100 * fake.stats.throttled) / Math.max(1, fake.stats.requests), 2)} %)`],
      ['connections the sender opened', fmt(fake.stats.connections)],
      ['longest event-loop stall', `${fmt(loopDelay.max / 1e6)} ms (99th percentile ${fmt(loopDelay.percentile(99) / 1e6)} ms)`],
      ['most answered in one window', `${fmt(fake.stats.maxInWindow)} (ceiling ${ceiling}/s)`],
      ['send rate (accepted / completion time)', `${fmt(sendRate, 2)} /s`],
      ['fraction of the ceiling', `${fmt(fraction, 3)} (${fmt(100 * fraction, 1)} %)${fraction >= 0.9 ? '' : ' — below the 0.9 aim'}`],
      ['  (201 + 403 answers / completion time)', `${fmt((delivered + fake.stats.blocked) / seconds / rate, 3)}`],
      ['  (first → last delivery)', spanS > 0 ? `${fmt(spanS, 1)} s, ${fmt((delivered - 1) / spanS / rate, 3)}` : '-'],
      ['recipient jobs by status', byStatus.map((s) => `${s.status} ${fmt(s._count._all)}`).join(', ') || 'none'],
      ['other jobs', others.map((j) => `${j.kind} ${j.status}${j.lastError ? ` (${j.lastError})` : ''}`).join(', ') || 'none'],
      ['jobs claimed more than once', `${fmt(reclaimed)} (most claims ${maxAttempts})`],
      ['duplicates', `${fmt(duplicates)}${extraPosts ? ` (${fmt(extraPosts)} extra posts or jobs)` : ''}`],
      ['losses (reachable: job not sent or no card)', `${fmt(lost.length)}${lost.length ? ` (sent but no card ${fmt(sentNotDelivered)}, card but not sent ${fmt(deliveredNotSent)})` : ''}`],
      ['blocked not settled (one 403, failed, unreachable)', fmt(misSettled.length)],
      ['cards to chats outside the audience', fmt(strayCards)],
      ['jobs for people outside the audience', fmt(orphanJobs)],
    ];
    if (timedOut) rows.push(['timed out', `after ${fmt(timeoutMs / 1000)} s with ${fmt(active)} jobs still active`]);
    if (interrupted) rows.push(['interrupted', `with ${fmt(active)} jobs still active`]);
    const width = Math.max(...rows.map(([k]) => k.length));
    out();
    for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v}`);
    for (const l of lost.slice(0, 10)) out(`    lost: ${l.personId} job ${l.status}, ${l.cards} card(s)${l.lastError ? `: ${l.lastError}` : ''}`);
    if (lost.length > 10) out(`    … and ${fmt(lost.length - 10)} more`);
    for (const m of misSettled.slice(0, 10)) out(`    blocked: ${m.personId} job ${m.status}, ${m.posts} post(s), ${m.unreachable ? '' : 'not '}marked unreachable${m.lastError ? `: ${m.lastError}` : ''}`);
    if (misSettled.length > 10) out(`    … and ${fmt(misSettled.length - 10)} more`);
    const ok = duplicates === 0 && lost.length === 0 && misSettled.length === 0 && strayCards === 0 && orphanJobs === 0 && !timedOut && !interrupted;
    out();
    out(ok ? `OK: every reachable recipient got the announcement exactly once; each blocked chat was tried once${fraction >= 0.9 ? '' : ' (send rate below 0.9 of the ceiling)'}` : 'FAILED: duplicates, losses or wrongly settled blocked recipients (see above)');
    if (opts.keepDb) out(`database kept: ${file}`);
    return ok ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await Promise.allSettled(workers.map((w) => w.stop()));
    await db?.$disconnect().catch(() => undefined);
    await fake.close().catch(() => undefined);
    if (!opts.keepDb) removeDbFiles(file);
    logger.flush();
  }
}
