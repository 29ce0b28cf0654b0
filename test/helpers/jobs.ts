import type { Db } from '../../src/db/client.js';
import { createAdapter, createBot } from '../../src/bot/app.js';
import { loadEnv } from '../../src/config/env.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { createSender, jobHandlers } from '../../src/jobs/runtime.js';
import { Worker } from '../../src/jobs/worker.js';
import { fixedClock, type Clock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { noticeCard } from '../../src/features/people/people.cards.js';

export const JOB_TENANT = 'b1b2c3d4-0000-4000-8000-000000000001';

/** People with a stored 1:1 conversation on `serviceUrl`, as first contact would have left them. */
export async function seedPeople(db: Db, serviceUrl: string, count: number, prefix = 'p') {
  const people: { id: string; conversationId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const teamsUserId = `29:${prefix}-${i}`;
    const conversationId = `a:${prefix}-conv-${i}`;
    const person = await db.person.create({ data: { teamsUserId, tenantId: JOB_TENANT, name: `${prefix} ${i}`, onboardedAt: new Date('2026-11-01T00:00:00Z'), language: 'en' } });
    await db.conversation.create({
      data: {
        id: conversationId, kind: 'personal', personId: person.id, tenantId: JOB_TENANT, serviceUrl,
        reference: { channelId: 'msteams', serviceUrl, conversation: { id: conversationId, conversationType: 'personal', tenantId: JOB_TENANT }, bot: { id: '28:bot', name: 'bot' }, user: { id: teamsUserId } },
      },
    });
    people.push({ id: person.id, conversationId });
  }
  return people;
}

/** Queues one notification card per person (key `test:<n>`). */
export async function queueNotices(db: Db, personIds: string[], now = new Date()) {
  const queue = new JobQueue(db);
  const jobs = [];
  for (const [n, personId] of personIds.entries()) {
    const card = noticeCard({ title: `Notice ${n}`, text: 'Hello' });
    jobs.push((await queue.enqueue({ kind: 'notify', key: `test:${n}:${personId}`, payload: { to: { personId }, card, summary: `Notice ${n}` }, runAt: now, personId }, now)).job);
  }
  return jobs;
}

/** A real sender and worker for one test database; waits between attempts are recorded, not slept. */
export function makeWorker(db: Db, opts: { clock?: Clock; tenantPerSecond?: number; sleeps?: number[]; leaseMs?: number; maxAttempts?: number; owner?: string; concurrency?: number; pollMs?: number } = {}) {
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const clock = opts.clock ?? fixedClock(new Date());
  const bot = createBot({ env, db, logger: silentLogger, clock, adapter: createAdapter(env) });
  const sleeps = opts.sleeps;
  const sender = createSender({
    env, db, logger: silentLogger, clock, app: bot.app, tenantPerSecond: opts.tenantPerSecond ?? 50,
    ...(sleeps ? { sleep: async (ms: number) => void sleeps.push(ms) } : {}),
    random: () => 0.5,
  });
  const worker = new Worker({ db, sender, handlers: jobHandlers({ env, db, logger: silentLogger, clock }), logger: silentLogger, clock, leaseMs: opts.leaseMs, maxAttempts: opts.maxAttempts, owner: opts.owner, concurrency: opts.concurrency, pollMs: opts.pollMs });
  return { worker, sender, bot };
}
