import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';
import { EE_TENANT } from '../helpers/announcements.js';
import { answerRsvp, upcomingEvents } from '../../src/features/events/events.service.js';

let h: BotHarness;
afterEach(async () => h?.close());

const STATEMENTS: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };

async function setup() {
  const anna = makeUser('Anna Admin');
  const cora = makeUser('Cora Coordinator');
  const tiina = makeUser('Tiina Teacher');
  const matti = makeUser('Matti Teacher');
  const otto = makeUser('Otto Outsider', { tenantId: EE_TENANT });
  h = await BotHarness.create({ users: [anna, cora, tiina, matti, otto], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT},ee-partner:${EE_TENANT}` } });
  for (const u of [anna, cora, tiina, matti, otto]) await h.onboard(u);
  await h.db.grant.create({ data: { personId: (await h.person(cora)).id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
  await h.db.grant.create({ data: { personId: (await h.person(otto)).id, role: 'coordinator', scope: 'ee-partner', grantedBy: 'test' } });
  return { anna, cora, tiina, matti, otto };
}

const cardsTo = (user: TestUser, pattern: RegExp) => h.connector.cardsTo(personalConversationId(user)).filter((c) => pattern.test(cardText(c))) as CardJson[];
const announcementsTo = (user: TestUser) => cardsTo(user, /Announcement from/);
const changesTo = (user: TestUser) => cardsTo(user, /^Changed: /);
const cancellationsTo = (user: TestUser) => cardsTo(user, /^Cancelled: /);
const authored = () => h.db.event.findMany({ where: { source: 'announcement' } });

const announcement = { title: 'Workshop: hosting international students', text: 'Join us in Tallinn.', organisations: 'luovi', roles: '', eventId: 'new-event' };
const details = { type: 'workshop', title: '', startDate: '2026-12-10', startTime: '10:00', endDate: '', endTime: '14:00', timeZone: 'Europe/Tallinn', place: 'Tallinn', link: '', deadlineDate: '2026-12-05', deadlineTime: '', areas: 'ICC' };

/** Compose with a new event, save its details, send: returns the announcement id. */
async function announced(by: TestUser, overrides: Partial<typeof details> = {}, audience: Partial<typeof announcement> = {}) {
  const form = await h.execute(by, 'announce.save', { ...announcement, ...audience });
  const save = cardButtons(form).find((b) => b.verb === 'announce.saveEvent')!;
  const preview = await h.execute(by, save.verb, { ...save.data, ...details, ...overrides });
  const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
  await h.execute(by, send.verb, send.data);
  return send.data.announcementId as string;
}

describe('events written with an announcement', () => {
  it('compose → event details → preview → send → RSVP → time changed (one notice, also after a replay) → cancelled (one notice, answers closed, reminder dropped)', async () => {
    const { cora, tiina, matti, otto } = await setup();
    const [compose] = await h.say(cora, 'announce');
    expect(cardText(compose)).toContain('A new event (its details on the next card)');

    const form = await h.execute(cora, 'announce.save', announcement);
    expect(cardText(form)).toContain('Event details');
    expect(cardText(form)).toContain('Workshop: hosting international students'); // the announcement's title by default
    expect(cardText(form)).toContain('Europe/Helsinki'); // the coordinator's zone by default
    expect(cardText(form)).toContain('Framework areas it helps with (optional, at most 3');
    const save = cardButtons(form).find((b) => b.verb === 'announce.saveEvent')!;
    expect(await authored()).toHaveLength(0);

    // Refused politely, typed values kept, nothing written.
    const before = await snapshotTables(h.db);
    const refusals: [Partial<typeof details>, string][] = [
      [{ endTime: '09:00' }, 'The event must end after it starts.'],
      [{ link: 'http://meet.example/x', place: '' }, 'must be a full https:// address'],
      [{ place: '', link: '' }, 'Give a place, an online link, or both.'],
      [{ startDate: '2026-11-29' }, 'That start has passed.'],
      [{ deadlineDate: '2026-12-11' }, 'Registration must close before the event starts.'],
      [{ timeZone: 'Mars/Olympus' }, 'That time zone is not known.'],
      [{ startDate: '2026-02-30' }, 'a date and a time that exist'],
      [{ type: 'party' }, 'Choose the type of event.'],
      // Attending counts toward a badge in each area listed: at most three.
      [{ areas: 'ICC,EU,VET,LANG' }, 'Please choose at most 3 areas: attending counts toward a badge in each area the event lists'],
    ];
    for (const [bad, reason] of refusals) {
      const refused = await h.execute(cora, save.verb, { ...save.data, ...details, place: 'Tallinn, Tondi 55', ...bad });
      expect({ bad, text: cardText(refused) }).toEqual({ bad, text: expect.stringContaining(reason) });
      expect(cardText(refused)).toContain('Event details');
      if (bad.place === undefined) expect(cardText(refused)).toContain('Tallinn, Tondi 55');
    }
    expect(cardText(await h.execute(cora, save.verb, { ...save.data, ...details, place: 'x'.repeat(400) }))).toContain('not valid'); // beyond any input's size
    expect(await snapshotTables(h.db)).toEqual(before);

    // Saved with the draft (hidden until sent); a replayed save updates the same event.
    await h.execute(cora, save.verb, { ...save.data, ...details, place: 'Tartu' });
    const preview = await h.execute(cora, save.verb, { ...save.data, ...details });
    expect(cardText(preview)).toContain('Ready to send');
    const [event] = await authored();
    expect(await authored()).toHaveLength(1);
    expect(event).toMatchObject({
      source: 'announcement', createdBy: (await h.person(cora)).id, draft: true, organisationId: 'luovi', type: 'workshop', place: 'Tallinn', timeZone: 'Europe/Tallinn',
      title: { en: 'Workshop: hosting international students' }, startsAt: new Date('2026-12-10T08:00:00Z'), endsAt: new Date('2026-12-10T12:00:00Z'),
      registrationDeadline: new Date('2026-12-05T21:59:00Z'), areas: ['ICC'], revision: 0,
    });
    expect((await upcomingEvents({ db: h.db, clock: h.clock }, (await h.person(tiina)).id)).map((e) => e.id)).not.toContain(event!.id);

    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    const id = send.data.announcementId as string;
    expect((await upcomingEvents({ db: h.db, clock: h.clock }, (await h.person(tiina)).id)).map((e) => e.id)).toContain(event!.id);
    const card = announcementsTo(tiina)[0]!;
    expect(cardText(card)).toContain('2026-12-10 10:00–14:00 (Europe/Tallinn)');
    expect(cardText(card)).toMatch(/Register by\n2026-12-05 23:59 \(Europe\/Tallinn\)/);
    const going = cardButtons(card).find((b) => b.title === 'Going')!;
    expect(cardText(await h.execute(tiina, going.verb, going.data))).toContain('Your answer: Going');
    const cantGo = cardButtons(announcementsTo(matti)[0]).find((b) => b.title === "Can't go")!;
    await h.execute(matti, cantGo.verb, cantGo.data);

    // Another organisation's coordinator can neither edit nor cancel it.
    const untouched = await snapshotTables(h.db);
    for (const verb of ['announce.editEvent', 'announce.updateEvent', 'announce.cancelEvent']) {
      const refused = await h.execute(otto, verb, { announcementId: id, revision: '0', confirm: 'yes', ...details, startTime: '11:00' });
      expect({ verb, text: cardText(refused) }).toEqual({ verb, text: expect.stringContaining('needs a permission you don') });
    }
    expect(await snapshotTables(h.db)).toEqual(untouched);

    // The creator changes the time from the report: each person who answered gets one notice.
    const report = await h.execute(cora, 'announce.report', { announcementId: id });
    const edit = cardButtons(report).find((b) => b.title === 'Edit event')!;
    const editForm = await h.execute(cora, edit.verb, edit.data);
    expect(cardText(editForm)).toContain('Edit the event');
    const update = cardButtons(editForm).find((b) => b.verb === 'announce.updateEvent')!;
    expect(update.data.revision).toBe('0');
    const badLink = await h.execute(cora, update.verb, { ...update.data, ...details, link: 'javascript:alert(1)' });
    expect(cardText(badLink)).toContain('must be a full https:// address');
    const change = { ...update.data, ...details, startTime: '12:00', endTime: '16:00' };
    const saved = await h.execute(cora, update.verb, change);
    expect(cardText(saved)).toContain('Saved. 2 people who answered will be told what changed.');
    expect(cardText(await h.execute(cora, update.verb, change))).toContain('Nothing to save'); // a replayed click
    expect(cardText(await h.execute(cora, update.verb, { ...change, place: 'Tartu' }))).toContain('The event was changed meanwhile'); // an old form
    expect(changesTo(tiina)).toHaveLength(1);
    expect(changesTo(matti)).toHaveLength(1);
    expect(changesTo(otto)).toHaveLength(0);
    expect(cardText(changesTo(tiina)[0])).toContain('2026-12-10 10:00–14:00 (Europe/Tallinn) → 2026-12-10 12:00–16:00 (Europe/Tallinn)');
    expect(cardText(changesTo(tiina)[0])).toContain('Your answer stays "Going"');
    expect(await h.db.job.count({ where: { idempotencyKey: `event-change:${event!.id}:1:${(await h.person(tiina)).id}` } })).toBe(1);
    expect((await h.db.event.findUniqueOrThrow({ where: { id: event!.id } })).place).toBe('Tallinn');

    const cancel = cardButtons(await h.execute(cora, 'announce.report', { announcementId: id })).find((b) => b.title === 'Cancel event')!;
    const confirm = await h.execute(cora, cancel.verb, cancel.data);
    expect(cardText(confirm)).toContain('Everyone who answered (2) gets a message');
    const yes = cardButtons(confirm).find((b) => b.title === 'Cancel the event')!;
    // A week before, Tiina's reminder is queued; the event is cancelled before it goes out.
    h.clock.set('2026-12-03T07:00:30Z');
    await h.background.tickOnce();
    const reminder = await h.db.job.findFirstOrThrow({ where: { kind: 'reminder', personId: (await h.person(tiina)).id } });
    expect(reminder.status).toBe('queued');
    const cancelled = await h.execute(cora, yes.verb, yes.data);
    await h.execute(cora, yes.verb, yes.data); // a double click
    expect(cardText(cancelled)).toContain('The event is cancelled. 2 people who answered will be told.');
    expect(cardText(cancelled)).toMatch(/Event\n.*· cancelled/);
    expect(cardButtons(cancelled).map((b) => b.title)).not.toContain('Edit event');
    expect(cancellationsTo(tiina)).toHaveLength(1);
    expect(cancellationsTo(matti)).toHaveLength(1);
    expect(changesTo(tiina)).toHaveLength(1);
    expect(cardsTo(tiina, /reminder/i)).toHaveLength(0);
    expect((await h.db.job.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('skipped');

    // The old card's buttons no longer answer.
    const late = await h.execute(tiina, going.verb, { ...going.data, status: 'maybe' });
    expect(cardText(late)).toContain('answering is no longer possible');
    expect(cardButtons(late)).toHaveLength(0);
    expect(await h.db.rsvp.findUniqueOrThrow({ where: { personId_eventId: { personId: (await h.person(tiina)).id, eventId: event!.id } } })).toMatchObject({ status: 'going' });

    const audit = await h.db.auditLog.findMany({ where: { target: `event:${event!.id}` }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['event.update', 'event.cancel']);
  });

  it('after the registration deadline Going and Maybe are refused politely (the card shows the deadline), Can\'t go is still taken', async () => {
    const { cora, tiina } = await setup();
    const id = await announced(cora, { deadlineDate: '2026-12-04', deadlineTime: '12:00' });
    const card = announcementsTo(tiina)[0]!;
    h.clock.set('2026-12-04T10:00:01Z'); // 12:00:01 in Tallinn
    const going = cardButtons(card).find((b) => b.title === 'Going')!;
    const refused = await h.execute(tiina, going.verb, going.data);
    expect(cardText(refused)).toContain('Registration closed on 2026-12-04 12:00 (Europe/Tallinn)');
    expect(cardButtons(refused).map((b) => b.title)).toEqual(["Can't go"]);
    expect(await h.db.rsvp.count()).toBe(0);
    const no = await h.execute(tiina, 'announce.rsvp', { announcementId: id, status: 'no' });
    expect(cardText(no)).toContain("Your answer: Can't go");
  });

  it('a path step refuses an RSVP after the deadline and shows the deadline', async () => {
    const { tiina } = await setup();
    await h.db.event.update({ where: { id: 'workshop-inclusive-mobility-2027-03' }, data: { registrationDeadline: new Date('2026-12-15T10:00:00Z') } });
    let card = await h.execute(tiina, 'assessment.start');
    for (const [area, n] of Object.entries(STATEMENTS)) {
      const next = cardButtons(card).find((b) => b.data.move === 'next')!;
      card = await h.execute(tiina, next.verb, { ...next.data, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, area === 'ICC' ? '1' : '2'])) });
    }
    const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
    await h.execute(tiina, finish.verb, finish.data);
    await h.execute(tiina, 'path.open');
    const plan = await h.execute(tiina, 'path.interests', { areas: 'ICC' });
    expect(cardText(plan)).toContain('register by 2026-12-15 12:00 (Europe/Helsinki)');
    const rsvp = cardButtons(plan).find((b) => b.verb === 'path.rsvp' && b.data.status === 'going')!;
    h.clock.set('2026-12-15T10:00:00Z');
    const refused = await h.execute(tiina, rsvp.verb, rsvp.data);
    expect(cardText(refused)).toContain('Registration for this event has closed, so your answer was not recorded.');
    expect(cardButtons(refused).filter((b) => b.verb === 'path.rsvp' && b.data.status === 'going')).toHaveLength(0);
    expect(await h.db.rsvp.count()).toBe(0);
  });

  it('addressed to two organisations the event is partnership-wide, and a partnership admin may change it', async () => {
    const { anna, cora, otto } = await setup();
    const id = await announced(anna, {}, { organisations: 'luovi,ee-partner' });
    const [event] = await authored();
    expect(event).toMatchObject({ organisationId: null, draft: false });
    const going = cardButtons(announcementsTo(otto)[0]).find((b) => b.title === 'Going')!;
    expect(cardText(await h.execute(otto, going.verb, going.data))).toContain('Your answer: Going');
    // Cora (a coordinator, not the creator) gets no report of it; Anna edits the place and Otto is told.
    expect(cardText(await h.execute(cora, 'announce.editEvent', { announcementId: id }))).toContain('needs a permission you don');
    const form = await h.execute(anna, 'announce.editEvent', { announcementId: id });
    const update = cardButtons(form).find((b) => b.verb === 'announce.updateEvent')!;
    const saved = await h.execute(anna, update.verb, { ...update.data, ...details, place: 'Tartu', link: 'https://meet.example/rexvet' });
    expect(cardText(saved)).toContain('Saved. 1 person who answered will be told what changed.');
    const notice = cardText(cardsTo(otto, /^Changed: /)[0]);
    expect(notice).toContain('Tallinn → Tartu');
    expect(notice).toContain('— → https://meet.example/rexvet');
    const cancelled = await h.execute(anna, 'announce.cancelEvent', { announcementId: id, confirm: 'yes' });
    expect(cardText(cancelled)).toContain('The event is cancelled. 1 person who answered will be told.');
  });

  it('scheduled, the event stays hidden until the announcement goes out; an announcement cancelled before that leaves it hidden for good', async () => {
    const { cora, tiina } = await setup();
    const tiinaId = (await h.person(tiina)).id;
    const visible = async () => (await upcomingEvents({ db: h.db, clock: h.clock }, tiinaId)).map((e) => e.id);
    const schedule = async (title: string) => {
      const form = await h.execute(cora, 'announce.save', { ...announcement, title, sendDate: '2026-12-01', sendTime: '09:00' });
      const save = cardButtons(form).find((b) => b.verb === 'announce.saveEvent')!;
      const send = cardButtons(await h.execute(cora, save.verb, { ...save.data, ...details })).find((b) => b.verb === 'announce.send')!;
      const report = await h.execute(cora, send.verb, send.data);
      const id = send.data.announcementId as string;
      const event = (await h.db.announcement.findUniqueOrThrow({ where: { id } })).eventId!;
      return { id, event, report };
    };
    const kept = await schedule('Workshop in Tallinn');
    const dropped = await schedule('Workshop in Tartu');
    expect(cardText(kept.report)).toContain('Scheduled: sending starts 2026-12-01 09:00 (Europe/Helsinki).');
    expect(cardButtons(kept.report).map((b) => b.title)).toEqual(expect.arrayContaining(['Cancel', 'Edit event']));
    // Before it goes out nobody sees or answers the event; its creator may still correct it (nobody to tell yet).
    expect(await visible()).not.toContain(kept.event);
    await expect(answerRsvp({ db: h.db, clock: h.clock }, tiinaId, kept.event, 'going')).rejects.toMatchObject({ code: 'not_found' });
    const edit = cardButtons(await h.execute(cora, 'announce.editEvent', { announcementId: kept.id })).find((b) => b.verb === 'announce.updateEvent')!;
    expect(cardText(await h.execute(cora, edit.verb, { ...edit.data, ...details, place: 'Tallinn, Tondi 55' }))).toContain('Saved. No one is messaged');
    expect(cardText(await h.execute(cora, 'announce.cancel', { announcementId: dropped.id }))).toContain('Cancelled: nothing more will be sent.');

    h.clock.set('2026-12-01T06:59:00Z');
    await h.runDue();
    expect(await visible()).not.toContain(kept.event);
    h.clock.set('2026-12-01T07:00:30Z');
    await h.runDue();
    await h.runDue();
    expect(announcementsTo(tiina).map(cardText).join('\n')).toContain('Tallinn, Tondi 55');
    expect(announcementsTo(tiina)).toHaveLength(1);
    expect(await visible()).toContain(kept.event);
    expect(await visible()).not.toContain(dropped.event);
    await expect(answerRsvp({ db: h.db, clock: h.clock }, tiinaId, dropped.event, 'going')).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.db.event.findUniqueOrThrow({ where: { id: dropped.event } })).toMatchObject({ draft: true });
  });

  it('an event change or cancellation whose audit entry cannot be written changes nothing and tells nobody', async () => {
    const { cora, tiina } = await setup();
    const id = await announced(cora);
    const going = cardButtons(announcementsTo(tiina)[0]).find((b) => b.title === 'Going')!;
    await h.execute(tiina, going.verb, going.data);
    const edit = cardButtons(await h.execute(cora, 'announce.editEvent', { announcementId: id })).find((b) => b.verb === 'announce.updateEvent')!;
    const change = { ...edit.data, ...details, startTime: '12:00', endTime: '16:00' };

    // The audit log refuses every write (as a full disk or a lost connection would, at that moment).
    await h.db.$executeRawUnsafe(`CREATE TRIGGER audit_unavailable BEFORE INSERT ON "AuditLog" BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END`);
    const before = await snapshotTables(h.db);
    expect(cardText(await h.execute(cora, edit.verb, change))).toContain('Something went wrong on my side and nothing was changed');
    expect(cardText(await h.execute(cora, 'announce.cancelEvent', { announcementId: id, confirm: 'yes' }))).toContain('Something went wrong on my side and nothing was changed');
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(changesTo(tiina)).toHaveLength(0);
    expect(cancellationsTo(tiina)).toHaveLength(0);

    // Once it can be written again, the same click saves, tells Tiina and is in the log.
    await h.db.$executeRawUnsafe('DROP TRIGGER audit_unavailable');
    expect(cardText(await h.execute(cora, edit.verb, change))).toContain('Saved. 1 person who answered will be told what changed.');
    expect(changesTo(tiina)).toHaveLength(1);
    expect(await h.db.auditLog.count({ where: { action: 'event.update' } })).toBe(1);
  });
});
