import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { makeWorker, queueNotices, seedPeople } from '../helpers/jobs.js';
import { LocalConnector, runWorker } from '../helpers/out-of-process.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestDb;
let connector: LocalConnector;
let serviceUrl: string;
beforeEach(async () => {
  t = await createTestDb({ content: false });
  connector = new LocalConnector();
  serviceUrl = await connector.start();
});
afterEach(async () => {
  await connector.stop();
  await t.close();
});

describe('crash safety (separate OS processes on one database file)', () => {
  it('two worker processes on one database never send a job twice', async () => {
    const people = await seedPeople(t.db, serviceUrl, 60);
    await queueNotices(t.db, people.map((p) => p.id));
    const [a, b] = [runWorker(t.url), runWorker(t.url)];
    const results = await Promise.all([a.done, b.done]);
    for (const r of results) expect(r).toMatchObject({ code: 0 });
    const ran = results.map((r) => Number(/ran (\d+)/.exec(r.out)?.[1]));
    expect(ran[0]! + ran[1]!).toBe(60);
    expect([...connector.sends.values()].every((n) => n === 1)).toBe(true);
    expect(connector.sends.size).toBe(60);
    expect(await t.db.job.count({ where: { status: 'sent' } })).toBe(60);
  }, 60_000);

  it('a worker killed after claiming, before the call: the job is reclaimed when the lease ends and delivered once', async () => {
    const [p] = await seedPeople(t.db, serviceUrl, 1);
    const [job] = await queueNotices(t.db, [p!.id]);
    const crashed = await runWorker(t.url, { CRASH: 'before-send', LEASE_MS: '1500' }).done;
    expect(crashed.signal).toBe('SIGKILL');
    expect(await t.db.job.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({ status: 'leased' });
    await makeWorker(t.db).worker.drain(); // the lease still holds: nobody takes it
    expect(connector.sends.size).toBe(0);
    await wait(1600);
    await makeWorker(t.db).worker.drain();
    expect(connector.sends.get(p!.conversationId)).toBe(1);
    expect(await t.db.job.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({ status: 'sent', attempts: 2 });
  }, 60_000);

  it('a worker killed during the call: the job is reported unknown, never resent', async () => {
    const [p] = await seedPeople(t.db, serviceUrl, 1);
    const [job] = await queueNotices(t.db, [p!.id]);
    connector.hold = (conversationId) => conversationId === p!.conversationId;
    const worker = runWorker(t.url, { LEASE_MS: '1500' });
    connector.onHeld = () => worker.child.kill('SIGKILL');
    expect((await worker.done).signal).toBe('SIGKILL');
    expect(await t.db.job.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({ status: 'sending' });
    await wait(1600);
    await makeWorker(t.db).worker.drain();
    expect(connector.sends.get(p!.conversationId)).toBe(1);
    expect(await t.db.job.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({
      status: 'unknown',
      lastError: 'the worker stopped during the Bot Connector call: it may or may not have arrived',
    });
  }, 60_000);

  it('the same logical message is queued once, however often it is asked for', async () => {
    const [p] = await seedPeople(t.db, serviceUrl, 1);
    const first = await queueNotices(t.db, [p!.id]);
    const again = await queueNotices(t.db, [p!.id]);
    expect(again[0]!.id).toBe(first[0]!.id);
    await makeWorker(t.db).worker.drain();
    await makeWorker(t.db).worker.drain();
    expect(connector.sends.get(p!.conversationId)).toBe(1);
  });
});
