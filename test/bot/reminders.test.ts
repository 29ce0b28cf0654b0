import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';

let h: BotHarness;
afterEach(async () => h?.close());

const STATEMENTS: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };

async function assess(user: TestUser) {
  let card = await h.execute(user, 'assessment.start');
  for (const [area, n] of Object.entries(STATEMENTS)) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    const scores = Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, area === 'ICC' ? '1' : '2']));
    card = await h.execute(user, next.verb, { ...next.data, ...scores });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  await h.execute(user, finish.verb, finish.data);
}

/** Onboarded, assessed, with a plan and its first step accepted as a goal due on `by`. */
async function withGoalDue(user: TestUser, by: string) {
  await h.onboard(user);
  await assess(user);
  await h.execute(user, 'path.open');
  const plan = await h.execute(user, 'path.interests', { areas: 'ICC' });
  const accept = cardButtons(plan).find((b) => b.verb === 'path.accept')!;
  await h.execute(user, 'path.accept', accept.data);
  await h.execute(user, 'path.goal', { stepId: accept.data.stepId, what: 'Host a colleague from Tallinn for a day', by, evidence: 'A short note in my portfolio' });
}

const reminderCards = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => /reminder/i.test(cardText(c)) && cardButtons(c).some((b) => b.verb === 'reminders.snooze')) as CardJson[];

async function at(iso: string) {
  h.clock.set(iso);
  return h.runDue();
}

describe('reminders', () => {
  it('reminds of a step due tomorrow at 09:00 in each person’s own time zone, once', async () => {
    const tiina = makeUser('Tiina Teacher', { timeZone: 'Europe/Helsinki' });
    const sofia = makeUser('Sofia Teacher', { timeZone: 'Europe/Madrid' });
    h = await BotHarness.create({ users: [tiina, sofia], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await withGoalDue(tiina, '2026-12-02');
    await withGoalDue(sofia, '2026-12-02');

    await at('2026-12-01T06:59:00Z'); // 08:59 in Helsinki
    expect(reminderCards(tiina)).toHaveLength(0);
    await at('2026-12-01T07:00:30Z'); // 09:00 in Helsinki, 08:00 in Madrid
    expect(reminderCards(tiina)).toHaveLength(1);
    expect(reminderCards(sofia)).toHaveLength(0);
    const [card] = reminderCards(tiina);
    expect(cardText(card)).toContain('A step is due tomorrow');
    expect(cardText(card)).toContain('“Host a colleague from Tallinn for a day” is due on 2026-12-02.');
    expect(cardButtons(card).map((b) => b.title)).toEqual(['Open my path', 'Snooze 1 week', 'Stop these', 'Reminder settings']);

    await at('2026-12-01T08:00:30Z'); // 09:00 in Madrid
    expect(reminderCards(sofia)).toHaveLength(1);
    await at('2026-12-01T08:05:00Z');
    await at('2026-12-01T08:05:00Z');
    expect(reminderCards(tiina)).toHaveLength(1);
    expect(reminderCards(sofia)).toHaveLength(1);

    await at('2026-12-02T07:00:30Z'); // the due day
    expect(cardText(reminderCards(tiina)[1])).toContain('A step is due today');
  });

  it('snoozes a reminder for a week (once, however often it is clicked) and stops a kind on request', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await withGoalDue(tiina, '2026-12-02');
    await at('2026-12-01T07:01:00Z');
    const snooze = cardButtons(reminderCards(tiina)[0]).find((b) => b.verb === 'reminders.snooze')!;
    const first = await h.execute(tiina, snooze.verb, snooze.data);
    const again = await h.execute(tiina, snooze.verb, snooze.data);
    expect(cardText(first)).toContain('I will remind you again on 2026-12-08 09:01 (Europe/Helsinki).');
    expect(cardText(again)).toContain('2026-12-08 09:01');
    expect(await h.db.job.count({ where: { idempotencyKey: { contains: ':snoozed:' } } })).toBe(1);

    // The service "was down" from the 1st to the 8th: the look catches up once, so the 2nd's "due today" is not sent late.
    await at('2026-12-08T07:02:00Z');
    expect(reminderCards(tiina)).toHaveLength(2);
    const latest = reminderCards(tiina)[1]!;
    expect(cardText(latest)).toContain('A step is due tomorrow');

    const stop = cardButtons(latest).find((b) => b.verb === 'reminders.stop')!;
    expect(cardText(await h.execute(tiina, stop.verb, stop.data))).toContain('You will no longer get reminders about: Steps due on your path.');
    const settings = await h.execute(tiina, 'reminders.open');
    const toggles = JSON.stringify(settings);
    expect(toggles).toMatch(/"id":"kind_steps"[^}]*"value":"false"/);
    expect(toggles).toMatch(/"id":"kind_events"[^}]*"value":"true"/);
  });

  it('keeps to the weekly cap: a reminder over it waits, and is dropped if it would come too late', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await withGoalDue(tiina, '2026-12-02');
    await h.execute(tiina, 'reminders.save', {
      kind_steps: 'true', weeklyCap: '1', time: '09:00', quietStart: '22:00', quietEnd: '07:00', timeZone: 'Europe/Helsinki',
    });
    await at('2026-12-01T07:00:30Z');
    expect(reminderCards(tiina)).toHaveLength(1);
    await at('2026-12-02T07:00:30Z');
    expect(reminderCards(tiina)).toHaveLength(1);
    expect(await h.db.job.findFirst({ where: { idempotencyKey: { startsWith: 'reminder:step-today:' } }, select: { status: true, lastError: true } }))
      .toEqual({ status: 'skipped', lastError: 'weekly cap of 1' });
  });

  it('holds a reminder through quiet hours', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await withGoalDue(tiina, '2026-12-02');
    const saved = await h.execute(tiina, 'reminders.save', {
      kind_steps: 'true', kind_events: 'true', kind_unfinished: 'true', kind_checkins: 'true', kind_reassess: 'true', kind_nudge: 'false',
      weeklyCap: '1', time: '22:30', quietStart: '22:00', quietEnd: '07:30', timeZone: 'Europe/Helsinki',
    });
    expect(cardText(saved)).toContain('Saved. Reminders follow these settings from now on.');

    await at('2026-12-01T20:31:00Z'); // 22:31 in Helsinki: the daily look, inside quiet hours
    expect(reminderCards(tiina)).toHaveLength(0);
    expect(await h.db.job.findFirst({ where: { kind: 'reminder' }, select: { status: true, lastError: true } })).toEqual({ status: 'queued', lastError: 'quiet hours' });
    await at('2026-12-02T05:31:00Z'); // 07:31 the next morning
    expect(reminderCards(tiina)).toHaveLength(1);
    expect(cardText(reminderCards(tiina)[0])).toContain('A step is due tomorrow');

    await at('2026-12-02T20:31:00Z'); // the "due today" look that evening: quiet hours last past its midnight expiry
    await at('2026-12-03T05:31:00Z');
    expect(reminderCards(tiina)).toHaveLength(1);
    expect(await h.db.job.findFirst({ where: { idempotencyKey: { startsWith: 'reminder:step-today:' } }, select: { status: true, lastError: true } }))
      .toEqual({ status: 'skipped', lastError: 'quiet hours until it expired' });
  });

  it('refuses a bad settings form politely and changes nothing; other people’s reminders cannot be snoozed', async () => {
    const tiina = makeUser('Tiina Teacher');
    const matti = makeUser('Matti Teacher');
    h = await BotHarness.create({ users: [tiina, matti], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await withGoalDue(tiina, '2026-12-02');
    await h.onboard(matti);
    const before = (await h.person(tiina)).reminderPrefs;
    const bad = await h.execute(tiina, 'reminders.save', { weeklyCap: '1', time: '25:00', quietStart: '22:00', quietEnd: '07:00', timeZone: 'Europe/Helsinki' });
    expect(cardText(bad)).toMatch(/could not|check/i);
    const zone = await h.execute(tiina, 'reminders.save', { weeklyCap: '1', time: '09:00', quietStart: '22:00', quietEnd: '07:00', timeZone: 'Mars/Olympus' });
    expect(cardText(zone)).toContain('That time zone is not known. Nothing was changed.');
    expect((await h.person(tiina)).reminderPrefs).toEqual(before);

    await at('2026-12-01T07:01:00Z');
    const snooze = cardButtons(reminderCards(tiina)[0]).find((b) => b.verb === 'reminders.snooze')!;
    const refused = await h.execute(matti, snooze.verb, snooze.data);
    expect(cardText(refused)).not.toContain('I will remind you again');
    expect(await h.db.job.count({ where: { idempotencyKey: { contains: ':snoozed:' } } })).toBe(0);
  });

  it('reminders due together come in one card, and count once against the weekly cap', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await withGoalDue(tiina, '2026-12-02');
    await h.db.event.create({ data: { id: 'workshop-tallinn', type: 'workshop', title: { en: 'Workshop in Tallinn' }, startsAt: new Date('2026-12-08T08:00:00Z'), endsAt: new Date('2026-12-08T14:00:00Z'), timeZone: 'Europe/Tallinn', areas: ['ICC'] } });
    await h.db.rsvp.create({ data: { personId: (await h.person(tiina)).id, eventId: 'workshop-tallinn', status: 'going', updatedAt: new Date('2026-11-30T08:00:00Z') } });
    await at('2026-12-01T07:00:30Z');
    const cards = reminderCards(tiina);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0])).toContain('2 reminders');
    expect(cardText(cards[0])).toContain('A step is due tomorrow');
    expect(cardText(cards[0])).toContain('An event in a week');
    expect(cardText(cards[0])).toContain('Workshop in Tallinn');
    const jobs = await h.db.job.findMany({ where: { kind: 'reminder' }, select: { status: true, activityId: true } });
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.activityId)).size).toBe(1);
  });

  it('after an event someone said they were going to, one click records attendance as evidence on the path', async () => {
    const tiina = makeUser('Tiina Teacher');
    const matti = makeUser('Matti Teacher');
    h = await BotHarness.onboarded([tiina, matti]);
    await h.db.event.create({ data: { id: 'ws-past', type: 'workshop', title: { en: 'Workshop in Tallinn' }, startsAt: new Date('2026-12-02T08:00:00Z'), endsAt: new Date('2026-12-02T14:00:00Z'), timeZone: 'Europe/Tallinn', areas: ['ICC'] } });
    await h.db.rsvp.create({ data: { personId: (await h.person(tiina)).id, eventId: 'ws-past', status: 'going', updatedAt: new Date('2026-11-30T08:00:00Z') } });
    await at('2026-12-03T07:00:30Z');
    const [card] = reminderCards(tiina);
    expect(cardText(card)).toContain('Did you attend?');
    const attended = cardButtons(card).find((b) => b.verb === 'events.attended')!;
    expect(cardText(await h.execute(matti, attended.verb, attended.data))).not.toContain('Attendance recorded');
    expect(cardText(await h.execute(tiina, attended.verb, attended.data))).toContain('Attendance recorded');
    expect(cardText(await h.execute(tiina, attended.verb, attended.data))).toContain('Attendance recorded');
    expect(await h.db.rsvp.findFirstOrThrow({ where: { eventId: 'ws-past' } })).toMatchObject({ status: 'attended' });
    await at('2026-12-04T07:00:30Z');
    expect(reminderCards(tiina)).toHaveLength(1);
  });
});
