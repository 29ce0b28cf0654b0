import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { Background, createSender } from '../../src/jobs/runtime.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/lib/logger.js';

let h: BotHarness;
afterEach(async () => h?.close());

const AREAS = ['EU', 'VET', 'LANG', 'ICC', 'CURR', 'LEARN', 'MOB', 'STRAT'];

/** Staff of Luovi with a completed self-assessment: `n` people at `level` in every area (ICC one level lower). */
async function staff(n: number, level: 'L1' | 'L2' | 'L3', prefix: string, completedAt = new Date('2026-11-20T10:00:00Z')) {
  for (let i = 0; i < n; i++) {
    const person = await h.db.person.create({ data: { teamsUserId: `29:${prefix}-${i}`, name: `${prefix} ${i}`, organisationId: 'luovi', jobRole: 'teacher', onboardedAt: new Date('2026-10-01T00:00:00Z') } });
    const results = { areas: Object.fromEntries(AREAS.map((a) => [a, { mean: 2, level: a === 'ICC' && level !== 'L1' ? ({ L2: 'L1', L3: 'L2' } as const)[level] : level }])), overall: { mean: 2, level } };
    await h.db.assessment.create({ data: { personId: person.id, status: 'completed', frameworkVersion: '0.1.0', results, startedAt: completedAt, completedAt } });
  }
}

const digests = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => cardText(c).includes('Weekly international skills digest')) as CardJson[];

async function managerOfLuovi(timeZone = 'Europe/Helsinki') {
  const mika = makeUser('Mika Manager', { timeZone });
  const tiina = makeUser('Tiina Teacher');
  h = await BotHarness.create({ users: [mika, tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
  await h.onboard(mika, { jobRole: 'teacher' });
  await h.onboard(tiina);
  await h.db.grant.create({ data: { personId: (await h.person(mika)).id, role: 'manager', scope: 'luovi', grantedBy: 'test' } });
  return { mika, tiina };
}

describe('the managers’ weekly digest', () => {
  it('shows aggregates only: small groups hidden, no names, no free text', async () => {
    const { mika, tiina } = await managerOfLuovi();
    await staff(12, 'L2', 'explorer');
    await staff(3, 'L3', 'practitioner');
    const [card] = await h.say(mika, 'digest');
    const text = cardText(card);
    expect(text).toContain('Weekly international skills digest — Ammattiopisto Luovi');
    expect(text).toMatch(/Staff using REX VET Mentor\n17/); // 15 staff + the two onboarded here
    expect(text).toMatch(/Self-assessed\n15/);
    expect(text).toMatch(/With an active development plan\n0/);
    expect(text).not.toMatch(/practitioner \d|explorer \d/);
    expect(JSON.stringify(card)).toMatch(/\/charts\/mapping\/[A-Za-z0-9_-]{32}\.png/);
    // What the chart is drawn from: only published counts; the three Practitioners are hidden (3 < 5).
    const snap = await h.db.mappingSnapshot.findFirstOrThrow();
    const overall = (snap.data as { overall: { n: number; counts: Record<string, Record<string, number | null>> } }).overall;
    expect(overall.n).toBe(15);
    expect(overall.counts.EU).toEqual({ L1: 0, L2: null, L3: null, L4: 0 });
    for (const area of Object.values(overall.counts)) for (const v of Object.values(area)) expect(v === null || v === 0 || v >= 5).toBe(true);

    const refused = await h.say(tiina, 'digest');
    expect(cardText(refused[0])).not.toContain('Weekly international skills digest');
  });

  it('one colleague’s new self-assessment cannot be read by comparing two views: the numbers change only after k people’s results have', async () => {
    const { mika } = await managerOfLuovi();
    await staff(6, 'L2', 'explorer');
    await staff(5, 'L1', 'rookie');
    const overall = async () => {
      const [card] = await h.say(mika, 'digest');
      const snap = await h.db.mappingSnapshot.findFirstOrThrow({ orderBy: { createdAt: 'desc' }, where: { token: /\/charts\/mapping\/([A-Za-z0-9_-]{32})\.png/.exec(JSON.stringify(card))![1]! } });
      return { text: cardText(card), counts: (snap.data as { overall: { n: number; counts: unknown } }).overall };
    };
    const reassess = async (personId: string, day: string) => {
      const results = { areas: Object.fromEntries(AREAS.map((a) => [a, { mean: 3, level: 'L3' }])), overall: { mean: 3, level: 'L3' } };
      await h.db.assessment.create({ data: { personId, status: 'completed', frameworkVersion: '0.1.0', results, startedAt: new Date(day), completedAt: new Date(day) } });
    };
    const first = await overall();
    expect(first.text).toContain('Figures as of 2026-11-20');
    expect(first.counts.n).toBe(11);
    const explorers = await h.db.person.findMany({ where: { name: { startsWith: 'explorer' } }, orderBy: { name: 'asc' } });
    // One colleague tells the manager they have just reassessed themselves: the digest before and after is the same.
    h.clock.set('2026-11-30T09:00:00Z');
    await reassess(explorers[0]!.id, '2026-11-30T08:00:00Z');
    const second = await overall();
    expect(second.counts).toEqual(first.counts);
    expect(second.text).toContain('Figures as of 2026-11-20');
    // Nor after three more: four changed people are still fewer than k (5).
    for (const p of explorers.slice(1, 4)) await reassess(p.id, '2026-11-30T08:30:00Z');
    expect((await overall()).counts).toEqual(first.counts);
    // The fifth makes it k: now the view moves on, with all five changes at once.
    await reassess(explorers[4]!.id, '2026-11-30T08:45:00Z');
    const moved = await overall();
    expect(moved.counts).not.toEqual(first.counts);
    expect(moved.text).toContain('Figures as of 2026-11-30');
    // Five Rookies, one Explorer left, five Practitioners: the one is hidden, and so is a second count (11 − 5 − 5 would give the one away).
    expect((first.counts as { counts: Record<string, unknown> }).counts.EU).toEqual({ L1: 5, L2: 6, L3: 0, L4: 0 });
    expect((moved.counts as { counts: Record<string, unknown> }).counts.EU).toEqual({ L1: null, L2: null, L3: 5, L4: 0 });
  });

  it('arrives once a week on Monday 08:00 in the manager’s own time zone, and not while paused', async () => {
    const { mika } = await managerOfLuovi('Europe/Madrid');
    await staff(6, 'L2', 'explorer');
    h.clock.set('2026-11-30T06:59:00Z'); // Monday 07:59 in Madrid
    await h.runDue();
    expect(digests(mika)).toHaveLength(0);
    h.clock.set('2026-11-30T07:00:30Z');
    await h.runDue();
    await h.runDue();
    expect(digests(mika)).toHaveLength(1);
    h.clock.set('2026-11-30T15:00:00Z');
    await h.runDue();
    expect(digests(mika)).toHaveLength(1);

    const saved = await h.execute(mika, 'digest.save', { weekday: '5', time: '16:00', paused: 'true' });
    expect(cardText(saved)).toContain('Saved.');
    h.clock.set('2026-12-04T15:00:30Z'); // Friday 16:00 in Madrid, but paused
    await h.runDue();
    expect(digests(mika)).toHaveLength(1);
    await h.execute(mika, 'digest.save', { weekday: '5', time: '16:00', paused: 'false' });
    h.clock.set('2026-12-11T15:00:30Z');
    await h.runDue();
    expect(digests(mika)).toHaveLength(2);
  });

  it('the full mapping and the strategy weights: only for the manager’s own organisation', async () => {
    const { mika, tiina } = await managerOfLuovi();
    await staff(12, 'L2', 'explorer');
    const [digest] = await h.say(mika, 'digest');
    const open = digest!.actions as { verb?: string; data?: Record<string, string> }[];
    expect(open.map((a) => a.verb)).toEqual(expect.arrayContaining(['mapping.open', 'digest.export']));
    const mapping = await h.execute(mika, 'mapping.open', { organisationId: 'luovi' });
    expect(cardText(mapping)).toContain('Skills mapping — Ammattiopisto Luovi');
    expect(cardText(mapping)).toMatch(/Teacher \(1[24]\)/);
    expect(cardText(await h.execute(mika, 'mapping.open', { organisationId: 'ee-partner' }))).not.toContain('Skills mapping');

    const saved = await h.execute(mika, 'mapping.saveStrategy', { organisationId: 'luovi', 'weight:LANG': '2.5', 'weight:EU': '1' });
    expect(cardText(saved)).toContain('Saved. New path suggestions follow these weights.');
    expect((await h.db.organisation.findUniqueOrThrow({ where: { id: 'luovi' } })).strategy).toEqual({ LANG: 2.5, EU: 1 });
    for (const [who, data] of [
      [mika, { organisationId: 'ee-partner', 'weight:LANG': '3' }],
      [tiina, { organisationId: 'luovi', 'weight:LANG': '3' }],
      [mika, { organisationId: 'luovi', 'weight:LANG': '9' }],
    ] as const) {
      expect(cardText(await h.execute(who, 'mapping.saveStrategy', data))).not.toContain('Saved.');
    }
    expect((await h.db.organisation.findUniqueOrThrow({ where: { id: 'luovi' } })).strategy).toEqual({ LANG: 2.5, EU: 1 });
    expect(((await h.db.organisation.findUniqueOrThrow({ where: { id: 'ee-partner' } })).strategy as Record<string, number> | null)?.LANG).not.toBe(3);
  });

  it('two workers on one database send the week’s digest once', async () => {
    const { mika } = await managerOfLuovi();
    await staff(6, 'L2', 'explorer');
    const second = new Background({ env: loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: h.testDb.url }), db: h.db, logger: silentLogger, clock: h.clock, badges: h.badges, sender: createSender({ env: loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PROACTIVE_TENANT_RATE: '50' }), db: h.db, logger: silentLogger, clock: h.clock, app: h.bot.app }) });
    h.clock.set('2026-11-30T06:00:30Z'); // Monday 08:00 in Helsinki
    await Promise.all([h.background.tickOnce(), second.tickOnce()]);
    await Promise.all([h.background.worker.drain(), second.worker.drain()]);
    await second.stop();
    expect(digests(mika)).toHaveLength(1);
  });

  it('partnership coordinators compare organisations, aggregated; an organisation with too few people stays hidden', async () => {
    const { mika, tiina } = await managerOfLuovi();
    await h.db.grant.create({ data: { personId: (await h.person(tiina)).id, role: 'coordinator', scope: 'partnership', grantedBy: 'test' } });
    await h.db.grant.create({ data: { personId: (await h.person(mika)).id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
    await staff(12, 'L2', 'luovi');
    for (let i = 0; i < 2; i++) {
      const p = await h.db.person.create({ data: { teamsUserId: `29:ee-${i}`, organisationId: 'ee-partner', jobRole: 'teacher', onboardedAt: new Date('2026-10-01T00:00:00Z') } });
      await h.db.assessment.create({ data: { personId: p.id, status: 'completed', frameworkVersion: '0.1.0', results: { areas: Object.fromEntries(AREAS.map((a) => [a, { mean: 3, level: 'L3' }])), overall: { mean: 3, level: 'L3' } }, startedAt: new Date('2026-11-01T00:00:00Z'), completedAt: new Date('2026-11-01T00:00:00Z') } });
    }
    const [card] = await h.say(tiina, 'partnership');
    const text = cardText(card);
    expect(text).toContain('By organisation');
    expect(text).toMatch(/Ammattiopisto Luovi \(/);
    expect(text).toContain('hidden: too few people');
    expect(text).not.toMatch(/L3|·2·/);
    const [refused] = await h.say(mika, 'partnership');
    expect(cardText(refused)).not.toContain('By organisation');
  });
});
