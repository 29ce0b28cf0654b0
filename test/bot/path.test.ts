import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';

let h: BotHarness;
afterEach(async () => h?.close());

const STATEMENTS: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };
type User = ReturnType<typeof makeUser>;

async function assess(user: User, per: Record<string, number>) {
  let card = await h.execute(user, 'assessment.start');
  for (const [area, n] of Object.entries(STATEMENTS)) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    const scores = Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, String(per[area] ?? 2)]));
    card = await h.execute(user, next.verb, { ...next.data, ...scores });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  return h.execute(user, finish.verb, finish.data);
}
const stepButtons = (card: CardJson, verb: string) => cardButtons(card).filter((b) => b.verb === verb);

async function setup() {
  const tiina = makeUser('Tiina Teacher');
  const matti = makeUser('Matti Manager');
  h = await BotHarness.create({ users: [tiina, matti], env: { ORG_TENANTS: `luovi:${TENANT}` } });
  await h.onboard(tiina);
  return { tiina, matti };
}

/** A teacher who is a Rookie in intercultural competence (target Practitioner) and Explorer elsewhere. */
async function planFor(user: User) {
  await assess(user, { ICC: 1, CURR: 2, LEARN: 2 });
  const interests = await h.execute(user, 'path.open');
  expect(cardText(interests)).toContain('What matters to you now?');
  return h.execute(user, 'path.interests', { areas: 'ICC' });
}

describe('the development path', () => {
  it('asks for a self-assessment first', async () => {
    const { tiina } = await setup();
    const [card] = await h.say(tiina, 'path');
    expect(cardText(card)).toContain('First, a short self-assessment');
  });

  it('makes a plan from the assessment: focus areas first by gap, role and interest, 3–5 explained steps', async () => {
    const { tiina } = await setup();
    const plan = await planFor(tiina);
    const text = cardText(plan);
    expect(text).toContain('Your development path');
    expect(text).toMatch(/Focus areas[\s\S]*Intercultural competence/);
    expect(text).toContain('You said Intercultural competence matters to you now, and it is 2 levels below your target.');
    const steps = await h.db.planStep.findMany();
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.length).toBeLessThanOrEqual(5);
    expect(new Set(steps.map((s) => s.type)).size).toBeGreaterThanOrEqual(2);
    // Every proposed step can be taken up: an Accept button, or "I'm going" for an event.
    const takeUp = stepButtons(plan, 'path.accept').length + cardButtons(plan).filter((b) => b.verb === 'path.rsvp' && b.data.status === 'going').length;
    expect(takeUp).toBe(steps.length);
    const p = await h.db.plan.findFirstOrThrow();
    expect((p.checkins as string[]).map((d) => d.slice(0, 10))).toEqual(['2026-12-28', '2027-01-25', '2027-02-22', '2027-05-30']);
  });

  it('accepting turns a step into a SMART goal; a replayed goal card changes nothing', async () => {
    const { tiina } = await setup();
    const plan = await planFor(tiina);
    const accept = stepButtons(plan, 'path.accept')[0]!;
    const goal = await h.execute(tiina, accept.verb, accept.data);
    expect(cardText(goal)).toMatch(/Make it a goal[\s\S]*What will you do\?[\s\S]*By when\?[\s\S]*How will you show it/);
    const save = stepButtons(goal, 'path.goal')[0]!;
    const after = await h.execute(tiina, save.verb, { ...save.data, what: 'Host Maria from our Estonian partner for a day', by: '2027-01-31', evidence: 'The day programme and a short note', support: '' });
    expect(cardText(after)).toContain('Goal saved.');
    expect(cardText(after)).toContain('Goal: Host Maria from our Estonian partner for a day · by 2027-01-31');
    const step = await h.db.planStep.findUniqueOrThrow({ where: { id: save.data.stepId as string } });
    expect(step).toMatchObject({ status: 'accepted', goalEvidence: 'The day programme and a short note' });
    const past = await h.execute(tiina, save.verb, { ...save.data, what: 'x', by: '2020-01-01', evidence: 'y' });
    expect(cardText(past)).toContain('not valid');
  });

  it('swap replaces a step with another for the same area; decline removes it from the plan', async () => {
    const { tiina } = await setup();
    const plan = await planFor(tiina);
    const before = await h.db.planStep.findMany({ orderBy: { position: 'asc' } });
    const swapped = await h.execute(tiina, 'path.swap', stepButtons(plan, 'path.swap')[0]!.data);
    expect(cardText(swapped)).toMatch(/Here is another suggestion|no other suggestion/);
    const after = await h.db.planStep.findMany({ where: { status: { not: 'swapped' } }, orderBy: { position: 'asc' } });
    if (cardText(swapped).includes('Here is another suggestion')) {
      expect(after.find((s) => s.position === before[0]!.position)!.activityId).not.toBe(before[0]!.activityId);
    }
    const decline = stepButtons(swapped, 'path.decline')[0]!;
    const declined = await h.execute(tiina, decline.verb, decline.data);
    expect(cardText(declined)).toContain("won't be proposed again");
    expect((await h.db.planStep.findUniqueOrThrow({ where: { id: decline.data.stepId as string } })).status).toBe('declined');
    const again = await h.execute(tiina, decline.verb, decline.data);
    expect(cardText(again)).toContain('out of date');
  });

  it('completing the training module marks its step done; other steps are marked done with a reflection', async () => {
    const { tiina } = await setup();
    const plan = await planFor(tiina);
    const moduleStep = await h.db.planStep.findFirstOrThrow({ where: { activityId: { startsWith: 'module:' } } });
    const moduleId = moduleStep.activityId.slice(7);
    await h.db.moduleProgress.create({ data: { personId: (await h.person(tiina)).id, moduleId, stage: 'reflection', startedAt: new Date() } });
    await h.execute(tiina, 'learning.reflect', { moduleId, reflection: '' });
    expect((await h.db.planStep.findUniqueOrThrow({ where: { id: moduleStep.id } })).status).toBe('done');

    const other = stepButtons(plan, 'path.accept').find((b) => b.data.stepId !== moduleStep.id)!;
    const form = await h.execute(tiina, 'path.finish', other.data);
    expect(cardText(form)).toContain('What did you do, and what did you learn?');
    const done = await h.execute(tiina, 'path.done', { stepId: other.data.stepId, reflection: 'Hosted a visitor; learned a lot.', link: 'https://example.org/programme' });
    expect(cardText(done)).toContain('The step is marked done.');
    expect(cardText(done)).toMatch(/2 of \d+ steps done|1 of \d+ steps done/);
  });

  it('shares the plan with a manager who then sees only that plan; stopping sharing removes access', async () => {
    const { tiina, matti } = await setup();
    await h.onboard(matti);
    await h.db.grant.create({ data: { personId: (await h.person(matti)).id, role: 'manager', scope: 'luovi', grantedBy: 'test' } });
    await planFor(tiina);
    const sharing = await h.execute(tiina, 'path.sharing');
    expect(cardText(sharing)).toContain('Matti Manager (manager)');
    const shared = await h.execute(tiina, 'path.share', { viewerId: (await h.person(matti)).id });
    expect(cardText(shared)).toContain('Shared with: Matti Manager');
    const [list] = await h.say(matti, 'shared');
    const open = cardButtons(list).find((b) => b.verb === 'path.viewShared')!;
    const view = await h.execute(matti, open.verb, open.data);
    expect(cardText(view)).toContain("Tiina Teacher's development path (shared with you)");
    // Read-only, and nothing of the owner's assessment: no levels, no gaps, no interests.
    expect(cardButtons(view).map((b) => b.verb)).toEqual(['path.sharedList']);
    expect(cardText(view)).not.toMatch(/Rookie|Explorer →|levels? below|matters to you|Not yet – this is new|score/);
    expect(cardText(view)).toContain('target Practitioner');
    const stop = cardButtons(shared).find((b) => b.verb === 'path.unshare')!;
    // Matti cannot stop Tiina's share with its id; a double click of her own Stop still says it stopped.
    expect(cardText(await h.execute(matti, stop.verb, stop.data))).toContain("couldn't find that");
    expect(cardText(await h.execute(matti, open.verb, open.data))).toContain("Tiina Teacher's development path");
    await h.execute(tiina, stop.verb, stop.data);
    expect(cardText(await h.execute(tiina, stop.verb, stop.data))).not.toContain("couldn't find that");
    expect(cardText(await h.execute(matti, open.verb, open.data))).toContain("couldn't find that");
  });

  it('nobody else can act on or see a plan: forged step and plan ids are not found, nothing changes', async () => {
    const { tiina, matti } = await setup();
    await h.onboard(matti);
    const plan = await planFor(tiina);
    const stepId = stepButtons(plan, 'path.accept')[0]!.data.stepId as string;
    const before = await snapshotTables(h.db);
    for (const [verb, data] of [
      ['path.accept', { stepId }], ['path.decline', { stepId }], ['path.swap', { stepId }],
      ['path.done', { stepId, reflection: 'mine now' }], ['path.goal', { stepId, what: 'x', by: '2027-01-01', evidence: 'y' }],
      ['path.viewShared', { planId: (await h.db.plan.findFirstOrThrow()).id }], ['path.share', { viewerId: (await h.person(tiina)).id }],
    ] as const) {
      const card = await h.execute(matti, verb, data as Record<string, unknown>);
      expect({ verb, text: cardText(card) }).toEqual({ verb, text: expect.stringMatching(/couldn't find that|not valid/) });
    }
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('a new self-assessment starts a new cycle; the old plan is kept as history', async () => {
    const { tiina } = await setup();
    await planFor(tiina);
    h.clock.set('2027-06-01T08:00:00Z');
    await h.execute(tiina, 'assessment.retake');
    await assess(tiina, { ICC: 3 });
    const fresh = await h.execute(tiina, 'path.open');
    expect(cardText(fresh)).toContain('Based on the self-assessment of 2027-06-01');
    const plans = await h.db.plan.findMany({ orderBy: { createdAt: 'asc' } });
    expect(plans.map((p) => p.status)).toEqual(['closed', 'active']);
  });
});

describe('events on the path', () => {
  it('proposes an upcoming event for a focus area; "I\'m going" is the RSVP and accepts the step; the latest answer wins', async () => {
    const { tiina } = await setup();
    const plan = await planFor(tiina);
    const rsvp = cardButtons(plan).find((b) => b.verb === 'path.rsvp' && b.data.status === 'going');
    expect(rsvp).toBeDefined();
    expect(cardText(plan)).toMatch(/2027-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Helsinki\)/);
    const going = await h.execute(tiina, rsvp!.verb, rsvp!.data);
    expect(cardText(going)).toContain("You're registered");
    expect(cardText(going)).toContain('Your answer: going');
    const step = await h.db.planStep.findUniqueOrThrow({ where: { id: rsvp!.data.stepId as string } });
    expect(step.status).toBe('accepted');
    const eventId = step.activityId.slice(6);
    await h.execute(tiina, rsvp!.verb, rsvp!.data);
    expect(await h.db.rsvp.findMany({ select: { eventId: true, status: true } })).toEqual([{ eventId, status: 'going' }]);
    await h.execute(tiina, 'path.rsvp', { stepId: step.id, status: 'no' });
    expect(await h.db.rsvp.findMany({ select: { status: true } })).toEqual([{ status: 'no' }]);
    expect((await h.db.planStep.findUniqueOrThrow({ where: { id: step.id } })).status).toBe('declined');
  });

  it('never shows another organisation\'s event, and refuses an RSVP on a non-event step', async () => {
    const { tiina } = await setup();
    await h.db.event.update({ where: { id: 'workshop-inclusive-mobility-2027-03' }, data: { organisationId: 'ee-partner' } });
    const plan = await planFor(tiina);
    expect(cardText(plan)).not.toContain('preparing learners who need extra support');
    const moduleStep = await h.db.planStep.findFirstOrThrow({ where: { activityId: { startsWith: 'module:' } } });
    const refused = await h.execute(tiina, 'path.rsvp', { stepId: moduleStep.id, status: 'going' });
    expect(cardText(refused)).toContain('not valid');
    expect(await h.db.rsvp.count()).toBe(0);
  });
});

describe('targets', () => {
  it('the person edits their targets; results and the next plan follow them', async () => {
    const { tiina } = await setup();
    await assess(tiina, { ICC: 1 });
    const card = await h.execute(tiina, 'path.editTargets');
    expect(cardText(card)).toContain('My targets');
    const saved = await h.execute(tiina, 'path.targets', { 'target:EU': 'L4', 'target:ICC': 'L3' });
    expect(cardText(saved)).toContain('Your targets are saved');
    expect(await h.db.targetOverride.findMany({ select: { areaId: true, level: true } })).toEqual([{ areaId: 'EU', level: 'L4' }]);
    const [profile] = await h.say(tiina, 'profile');
    expect(cardText(profile)).toMatch(/Europe and the EU in my work[\s\S]*?Target for your role: Expert/);
    const refused = await h.execute(tiina, 'path.targets', { 'target:EU': 'L9' });
    expect(cardText(refused)).toContain('not valid');
  });
});

describe('what the review found', () => {
  it('a manager who loses the grant no longer sees plans shared earlier; a double-clicked Share is stopped by one Stop', async () => {
    const { tiina, matti } = await setup();
    await h.onboard(matti);
    const grant = await h.db.grant.create({ data: { personId: (await h.person(matti)).id, role: 'manager', scope: 'luovi', grantedBy: 'test' } });
    await planFor(tiina);
    const viewerId = (await h.person(matti)).id;
    await Promise.all([h.execute(tiina, 'path.share', { viewerId }), h.execute(tiina, 'path.share', { viewerId })]);
    const sharing = await h.execute(tiina, 'path.sharing');
    const stops = cardButtons(sharing).filter((b) => b.verb === 'path.unshare');
    expect(stops).toHaveLength(1);
    const planId = (await h.db.plan.findFirstOrThrow()).id;
    await h.db.grant.delete({ where: { id: grant.id } });
    expect(cardText(await h.execute(matti, 'path.viewShared', { planId }))).toContain("couldn't find that");
    const [list] = await h.say(matti, 'shared');
    expect(cardText(list)).toContain('Nobody has shared a plan with you.');
    await h.execute(tiina, stops[0]!.verb, stops[0]!.data);
    expect(await h.db.planShare.count({ where: { revokedAt: null } })).toBe(0);
  });

  it('an accepted goal comes along into the next cycle', async () => {
    const { tiina } = await setup();
    const plan = await planFor(tiina);
    const accept = stepButtons(plan, 'path.accept')[0]!;
    await h.execute(tiina, 'path.goal', { stepId: accept.data.stepId, what: 'My goal stays', by: '2027-03-01', evidence: 'A note' });
    h.clock.set('2027-06-01T08:00:00Z');
    await h.execute(tiina, 'assessment.retake');
    await assess(tiina, { ICC: 1 });
    const fresh = await h.execute(tiina, 'path.open');
    expect(cardText(fresh)).toContain('Goal: My goal stays');
  });
});
