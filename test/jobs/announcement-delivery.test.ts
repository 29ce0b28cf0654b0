import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { Db } from '../../src/db/client.js';
import { announcementInput, announcementReport, cancelAnnouncement, resolveAudience, saveDraft, sendAnnouncement, type Audience } from '../../src/features/announcements/announcements.service.js';
import { reportCard } from '../../src/features/announcements/announcements.cards.js';
import type { Actor } from '../../src/features/people/authorise.js';
import { pauseTenant } from '../../src/bot/send-pacing.js';
import { fixedClock, type Clock } from '../../src/lib/clock.js';
import { translator } from '../../src/lib/i18n.js';
import { cardText } from '../helpers/bot.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { JOB_TENANT, makeWorker, seedPeople } from '../helpers/jobs.js';
import { LocalConnector, runWorker } from '../helpers/out-of-process.js';

const SERVICE = 'https://smba.example.test/emea/';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => t.close());

/** `count` staff of Luovi with a 1:1 chat on `serviceUrl`, and a Luovi coordinator's announcement to them, sent. */
async function sentAnnouncement(db: Db, clock: Clock, serviceUrl: string, count: number) {
  const people = await seedPeople(db, serviceUrl, count);
  await db.person.updateMany({ where: { id: { in: people.map((p) => p.id) } }, data: { organisationId: 'luovi' } });
  const [cora] = await seedPeople(db, serviceUrl, 1, 'cora'); // of no organisation: not in her own audience
  await db.grant.create({ data: { personId: cora!.id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
  const actor: Actor = { personId: cora!.id, onboarded: true, organisationId: null, grants: [{ role: 'coordinator', scope: 'luovi' }] };
  const deps = { db, clock };
  const saved = await saveDraft(deps, actor, announcementInput.parse({ title: 'Multiplier event', text: 'Come and hear what we learned.', organisations: 'luovi', roles: '' }), 'Europe/Helsinki');
  if (!('draft' in saved)) throw new Error(`not saved: ${saved.problem}`);
  const draft = saved.draft;
  expect(await sendAnnouncement(deps, actor, draft.id)).toEqual({ already: false });
  const report = async () => cardText(reportCard(translator('en'), await announcementReport(deps, actor, draft.id), { lang: 'en', timeZone: 'Europe/Helsinki' }));
  return { people, actor, id: draft.id, deps, report };
}

type Answer = { status: number; code?: string; retryAfter?: string };

/** The Bot Connector (nock) answering each conversation's posts from its script, in turn; counts every post. */
function scriptedConnector(scripts: Map<string, Answer[]>) {
  const posts = new Map<string, number>();
  const delivered = new Map<string, number>();
  nock('https://smba.example.test')
    .persist()
    .post(/^\/emea\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/)
    .reply((uri) => {
      const id = decodeURIComponent(uri.split('/v3/conversations/')[1]!.split('/')[0]!);
      const n = posts.get(id) ?? 0;
      posts.set(id, n + 1);
      const a = scripts.get(id)?.[n] ?? { status: 201 };
      if (a.status < 300) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      return [a.status, a.status < 300 ? { id: `activity-${id}-${n}` } : { error: { code: a.code ?? 'Error', message: 'from the test' } }, a.retryAfter ? { 'Retry-After': a.retryAfter } : {}];
    });
  return { posts, delivered };
}

describe('an announcement meets the Bot Connector', () => {
  it('30 recipients, a mix of 200, 429 with Retry-After, 502 and 403: one message each, the blocked reported and marked unreachable', async () => {
    const clock = fixedClock(new Date());
    const { people, id, report } = await sentAnnouncement(t.db, clock, SERVICE, 30);
    // By the recipient's number mod 10: 0–4 fine; 5 throttled briefly; 6 throttled for longer than a delivery waits
    // (back to the queue); 7 one 502; 8 four 502s (the delivery gives up, the queue tries later); 9 blocked the bot.
    const scriptFor = (i: number): Answer[] => {
      switch (i % 10) {
        case 5: return [{ status: 429, code: 'Throttled', retryAfter: '2' }, { status: 200 }];
        case 6: return [{ status: 429, code: 'Throttled', retryAfter: '30' }, { status: 200 }];
        case 7: return [{ status: 502 }, { status: 200 }];
        case 8: return [{ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }, { status: 200 }];
        case 9: return [{ status: 403, code: 'ConversationBlockedByUser' }];
        default: return [{ status: 200 }];
      }
    };
    const scripts = new Map(people.map((p, i) => [p.conversationId, scriptFor(i)]));
    const { posts, delivered } = scriptedConnector(scripts);
    const { worker } = makeWorker(t.db, { clock, sleeps: [] });

    await worker.drain(); // the fan-out, then every copy as far as it goes now
    expect(await report()).toMatch(/Delivered\n21\nWaiting to be sent\n6\nCould not be delivered\n3 \(blocked or removed the bot, or has no chat with it: 3\)\nUnknown[^\n]*\n0\nCancelled\n0/);
    clock.set(new Date(clock.now().getTime() + 60_000)); // past every Retry-After and backoff
    await worker.drain();
    expect(await report()).toMatch(/Delivered\n27\nWaiting to be sent\n0\nCould not be delivered\n3 \(blocked or removed the bot, or has no chat with it: 3\)\nUnknown[^\n]*\n0\nCancelled\n0/);

    people.forEach((p, i) => {
      // Every answer in the script was asked for once, and nothing after it: no post twice.
      expect([p.conversationId, posts.get(p.conversationId)]).toEqual([p.conversationId, scriptFor(i).length]);
      expect([p.conversationId, delivered.get(p.conversationId) ?? 0]).toEqual([p.conversationId, i % 10 === 9 ? 0 : 1]);
    });
    const blocked = people.filter((_, i) => i % 10 === 9).map((p) => p.id);
    expect(await t.db.person.count({ where: { unreachableAt: { not: null } } })).toBe(3);
    expect(await t.db.person.count({ where: { id: { in: blocked }, unreachableReason: '403 ConversationBlockedByUser' } })).toBe(3);
    // The next announcement's preview counts them as unreachable and queues nothing for them.
    expect(await resolveAudience(t.db, { organisations: ['luovi'], roles: [] } satisfies Audience)).toMatchObject({ unreachable: 3 });
    expect(await t.db.job.count({ where: { kind: 'announcement', idempotencyKey: { startsWith: `announce:${id}:` } } })).toBe(30);
  });

  it('a cancel that arrives while claimed copies wait for a send slot: those recipients get nothing', async () => {
    const clock = fixedClock(new Date());
    const { id, actor, deps, report } = await sentAnnouncement(t.db, clock, SERVICE, 5);
    const { posts } = scriptedConnector(new Map());
    // Teams said 429 a moment ago: every send to the tenant waits 2 s for its slot.
    await pauseTenant(t.db, JOB_TENANT, Date.now() + 2_000);
    const { worker } = makeWorker(t.db, { clock, pollMs: 20 });
    worker.start();
    const claimed = () => t.db.job.count({ where: { kind: 'announcement', status: 'leased' } });
    for (let i = 0; i < 100 && (await claimed()) < 5; i++) await wait(20);
    expect(await claimed()).toBe(5); // all five are held by the worker, none is queued any more
    expect(await cancelAnnouncement(deps, actor, id)).toBe(0);
    for (let i = 0; i < 200 && (await t.db.job.count({ where: { status: { in: ['queued', 'leased', 'sending'] } } })) > 0; i++) await wait(25);
    await worker.stop();

    expect(posts.size).toBe(0);
    const jobs = await t.db.job.findMany({ where: { kind: 'announcement' }, select: { status: true, lastError: true } });
    expect(jobs).toEqual(Array.from({ length: 5 }, () => ({ status: 'cancelled', lastError: 'announcement cancelled' })));
    expect(await report()).toMatch(/Cancelled: nothing more will be sent\.[\s\S]*Delivered\n0\n[\s\S]*Cancelled\n5/);
  });

  it('the worker process dies in the middle of the send: a new one resumes, nobody gets it twice', async () => {
    const connector = new LocalConnector();
    try {
      const serviceUrl = await connector.start();
      const clock = fixedClock(new Date());
      const { people, report } = await sentAnnouncement(t.db, clock, serviceUrl, 30);
      // The first worker (its own OS process) runs the fan-out and sends until the 12th post, during which it is killed.
      const first = runWorker(t.url, { LEASE_MS: '1500' });
      connector.hold = (_conversationId, total) => total === 12;
      connector.onHeld = () => first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');
      const before = await t.db.job.groupBy({ by: ['status'], where: { kind: 'announcement' }, _count: { _all: true } });
      expect(before.reduce((n, g) => n + g._count._all, 0)).toBe(30);
      expect(await t.db.job.count({ where: { kind: 'announcement', status: 'sent' } })).toBeLessThan(12);

      await wait(1_600); // the dead worker's leases run out
      connector.hold = null;
      const second = runWorker(t.url, { LEASE_MS: '1500' });
      expect(await second.done).toMatchObject({ code: 0 });

      const jobs = await t.db.job.findMany({ where: { kind: 'announcement' }, select: { status: true, personId: true } });
      const byPerson = new Map(jobs.map((j) => [j.personId, j.status]));
      for (const p of people) {
        const status = byPerson.get(p.id);
        // Sent: exactly one post. Unknown (it was in the call when the process died): at most the one post, never resent.
        if (status === 'sent') expect([p.conversationId, connector.sends.get(p.conversationId)]).toEqual([p.conversationId, 1]);
        else expect([p.conversationId, status, (connector.sends.get(p.conversationId) ?? 0) <= 1]).toEqual([p.conversationId, 'unknown', true]);
      }
      const unknown = jobs.filter((j) => j.status === 'unknown').length;
      expect(unknown).toBeGreaterThanOrEqual(1); // the held call at least
      expect(unknown).toBeLessThanOrEqual(4); // at most the dead worker's concurrency
      expect([...connector.sends.values()].every((n) => n === 1)).toBe(true);
      expect(await report()).toContain(`Delivered\n${30 - unknown}\nWaiting to be sent\n0`);
      expect(await report()).toMatch(new RegExp(`Unknown[^\\n]*\\n${unknown}\\n`));
    } finally {
      await connector.stop();
    }
  }, 60_000);
});
