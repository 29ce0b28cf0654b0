import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { makeWorker, queueNotices, seedPeople, JOB_TENANT } from '../helpers/jobs.js';
import { fixedClock } from '../../src/lib/clock.js';
import { PARTNERSHIP } from '../../src/features/people/roles.js';
import { pauseTenant } from '../../src/bot/send-pacing.js';

const SERVICE = 'https://smba.example.test/emea/';
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ content: false });
});
afterEach(async () => t.close());

/** The Bot Connector answering one conversation's sends with the given statuses in turn. */
function connectorAnswers(conversationId: string, answers: { status: number; code?: string; headers?: Record<string, string> }[]) {
  const calls: unknown[] = [];
  let scope = nock('https://smba.example.test');
  for (const a of answers) {
    scope = scope
      .post((uri) => uri.startsWith(`/emea/v3/conversations/${encodeURIComponent(conversationId)}/activities`))
      .reply(function (_uri, body) {
        calls.push(body);
        return [a.status, a.status < 300 ? { id: `activity-${calls.length}` } : { error: { code: a.code ?? 'Error', message: 'from the test' } }, a.headers ?? {}];
      });
  }
  return calls;
}

const statusOf = (id: string) => t.db.job.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, lastError: true, activityId: true } });

describe('the proactive sender and the queue, against the Bot Connector', () => {
  it('429 with Retry-After: waits as told, then delivers once', async () => {
    const [p] = await seedPeople(t.db, SERVICE, 1);
    const calls = connectorAnswers(p!.conversationId, [{ status: 429, code: 'Throttled', headers: { 'Retry-After': '3' } }, { status: 201 }]);
    const [job] = await queueNotices(t.db, [p!.id]);
    const sleeps: number[] = [];
    await makeWorker(t.db, { sleeps }).worker.drain();
    expect(calls).toHaveLength(2);
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(3000);
    expect(await statusOf(job!.id)).toMatchObject({ status: 'sent', activityId: 'activity-2' });
  });

  it('502 twice, then success: delivered once, after backoff (botbuilder’s own retries are off)', async () => {
    const [p] = await seedPeople(t.db, SERVICE, 1);
    const calls = connectorAnswers(p!.conversationId, [{ status: 502 }, { status: 502 }, { status: 201 }]);
    const [job] = await queueNotices(t.db, [p!.id]);
    const sleeps: number[] = [];
    await makeWorker(t.db, { sleeps }).worker.drain();
    expect(calls).toHaveLength(3);
    const backoffs = sleeps.filter((s) => s >= 500); // the rest are the tenant pacing's few milliseconds
    expect(backoffs).toHaveLength(2);
    expect(backoffs[1]!).toBeGreaterThan(backoffs[0]!);
    expect(await statusOf(job!.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('403 ConversationBlockedByUser: not retried, the person is unreachable until they write again', async () => {
    const [p] = await seedPeople(t.db, SERVICE, 1);
    const calls = connectorAnswers(p!.conversationId, [{ status: 403, code: 'ConversationBlockedByUser' }]);
    const [job] = await queueNotices(t.db, [p!.id]);
    const { worker } = makeWorker(t.db, { sleeps: [] });
    await worker.drain();
    expect(calls).toHaveLength(1);
    expect(await statusOf(job!.id)).toMatchObject({ status: 'failed', lastError: 'unreachable: 403 ConversationBlockedByUser' });
    expect(await t.db.person.findUniqueOrThrow({ where: { id: p!.id } })).toMatchObject({ unreachableReason: '403 ConversationBlockedByUser' });
    const [later] = await queueNotices(t.db, [p!.id], new Date());
    await worker.drain();
    expect(calls).toHaveLength(1);
    expect(await statusOf(later!.id)).toMatchObject({ status: 'failed' });
  });

  it('404 ConversationNotFound: not retried', async () => {
    const [p] = await seedPeople(t.db, SERVICE, 1);
    const calls = connectorAnswers(p!.conversationId, [{ status: 404, code: 'ConversationNotFound' }]);
    const [job] = await queueNotices(t.db, [p!.id]);
    await makeWorker(t.db, { sleeps: [] }).worker.drain();
    expect(calls).toHaveLength(1);
    expect(await statusOf(job!.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('400 and 413 are never retried', async () => {
    const [a, b] = await seedPeople(t.db, SERVICE, 2);
    const callsA = connectorAnswers(a!.conversationId, [{ status: 400, code: 'BadArgument' }]);
    const callsB = connectorAnswers(b!.conversationId, [{ status: 413, code: 'MessageSizeTooBig' }]);
    const jobs = await queueNotices(t.db, [a!.id, b!.id]);
    await makeWorker(t.db, { sleeps: [] }).worker.drain();
    expect(callsA.length + callsB.length).toBe(2);
    for (const j of jobs) expect((await statusOf(j.id)).status).toBe('failed');
  });

  it('BotDisabledByAdmin: stops sending to the tenant, lists it, and tells an admin elsewhere', async () => {
    const [a, b] = await seedPeople(t.db, SERVICE, 2);
    const [admin] = await seedPeople(t.db, 'https://smba.example.test/amer/', 1, 'admin');
    await t.db.person.update({ where: { id: admin!.id }, data: { tenantId: 'another-tenant' } });
    await t.db.grant.create({ data: { personId: admin!.id, role: 'admin', scope: PARTNERSHIP, grantedBy: 'test' } });
    const calls = connectorAnswers(a!.conversationId, [{ status: 403, code: 'BotDisabledByAdmin' }]);
    const adminCalls: unknown[] = [];
    nock('https://smba.example.test').post(/\/amer\/v3\/conversations\/.*\/activities/).reply((_u, body) => (adminCalls.push(body), [201, { id: 'x' }]));
    const [jobA] = await queueNotices(t.db, [a!.id]);
    await makeWorker(t.db, { sleeps: [], concurrency: 1 }).worker.drain();
    const [jobB] = await queueNotices(t.db, [b!.id], new Date());
    await makeWorker(t.db, { sleeps: [] }).worker.drain();
    expect(calls).toHaveLength(1);
    expect((await statusOf(jobA!.id)).status).toBe('failed');
    expect(await statusOf(jobB!.id)).toMatchObject({ status: 'failed', lastError: 'tenant_disabled: 403 BotDisabledByAdmin' });
    expect(await t.db.tenantState.findUniqueOrThrow({ where: { tenantId: JOB_TENANT } })).toMatchObject({ reason: '403 BotDisabledByAdmin' });
    expect(JSON.stringify(adminCalls)).toContain('Teams stopped the bot in a tenant');
  });

  it('keeps failing with 503: goes back to the queue with backoff, then is dead-lettered with the reason', async () => {
    const [p] = await seedPeople(t.db, SERVICE, 1);
    const calls = connectorAnswers(p!.conversationId, Array.from({ length: 8 }, () => ({ status: 503 })));
    const [job] = await queueNotices(t.db, [p!.id]);
    const clock = fixedClock(new Date());
    const { worker } = makeWorker(t.db, { sleeps: [], clock, maxAttempts: 2 });
    await worker.drain();
    expect(calls).toHaveLength(4);
    const first = await t.db.job.findUniqueOrThrow({ where: { id: job!.id } });
    expect(first).toMatchObject({ status: 'queued', attempts: 1, lastError: '503 Error' });
    expect(first.runAt.getTime()).toBeGreaterThan(clock.now().getTime());
    clock.set(new Date(first.runAt.getTime() + 1));
    await worker.drain();
    expect(calls).toHaveLength(8);
    expect(await statusOf(job!.id)).toMatchObject({ status: 'dead', attempts: 2, lastError: '503 Error (after 2 attempts)' });
  });

  it('a long wait for a send slot renews the lease: the same worker never takes the job back and posts it twice', async () => {
    const [p] = await seedPeople(t.db, SERVICE, 1);
    const calls = connectorAnswers(p!.conversationId, [{ status: 201 }, { status: 201 }, { status: 201 }]);
    const [job] = await queueNotices(t.db, [p!.id]);
    // Teams said 429 a moment ago: the tenant is paused for 2.5 s, longer than this worker's 1-s lease.
    await pauseTenant(t.db, JOB_TENANT, Date.now() + 2_500);
    const { worker } = makeWorker(t.db, { leaseMs: 1_000, pollMs: 50 });
    worker.start();
    await new Promise((r) => setTimeout(r, 4_000));
    await worker.stop();
    expect(calls).toHaveLength(1);
    expect(await statusOf(job!.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
