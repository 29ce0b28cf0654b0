import { afterEach, describe, expect, it } from '@jest/globals';
import { announcementCast } from '../helpers/announcements.js';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { fanOut, sendAnnouncement } from '../../src/features/announcements/announcements.service.js';

/**
 * Announcements at their edges: markdown, pictures and erasure, events that do not fit the audience or the sending
 * time, authors who lose their grant or delete their data before a scheduled send, replayed Saves, a Finnish report.
 */
let h: BotHarness;
afterEach(async () => h?.close());

async function setup() {
  const cast = await announcementCast();
  h = cast.h;
  await h.db.event.create({ data: { id: 'ws-tallinn', type: 'workshop', title: { en: 'Workshop in Tallinn' }, startsAt: new Date('2026-12-10T08:00:00Z'), endsAt: new Date('2026-12-10T14:00:00Z'), timeZone: 'Europe/Tallinn', place: 'Tallinn', areas: ['ICC'] } });
  return cast;
}

const announcementsTo = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => /Announcement from|Tiedote:/.test(cardText(c))) as CardJson[];
const draft = { title: 'Info day', text: 'Come and hear about mobility grants.', organisations: 'luovi', roles: '', eventId: '' };
const details = { type: 'workshop', title: '', startDate: '2026-12-10', startTime: '10:00', endDate: '', endTime: '14:00', timeZone: 'Europe/Helsinki', place: 'Room 12', link: '', deadlineDate: '', deadlineTime: '', areas: 'MOB' };

async function sendNow(by: TestUser, fields: Record<string, unknown>) {
  const preview = await h.execute(by, 'announce.save', { ...draft, ...fields });
  const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
  await h.execute(by, send.verb, send.data);
  await h.runDue();
  return send.data.announcementId as string;
}

async function eraseMyData(user: TestUser) {
  const confirm = cardButtons((await h.say(user, 'delete my data'))[0]).find((b) => b.verb === 'privacy.eraseConfirm')!;
  expect(cardText(await h.execute(user, confirm.verb, confirm.data))).toContain('Your data is deleted');
}

describe('announcements at their edges', () => {
  it('the coordinator’s paragraphs and list reach recipients as typed', async () => {
    const { cora, tiina } = await setup();
    await sendNow(cora, { text: 'First paragraph.\n\nSecond paragraph:\n- item one\n- item two' });
    const body = announcementsTo(tiina)[0]!.body as { type: string; text?: string }[];
    const texts = body.filter((b) => b.type === 'TextBlock').map((b) => b.text ?? '');
    expect(texts).toContain('First paragraph.\n\nSecond paragraph:\n- item one\n- item two');
  });

  it('delete my data leaves no trace of the coordinator in a sent announcement’s picture description', async () => {
    const { cora } = await setup();
    await sendNow(cora, { imageUrl: 'https://example.org/info-day.png', imageAlt: 'Cora Coordinator welcoming guests' });
    await eraseMyData(cora);
    const kept = await h.db.announcement.findFirstOrThrow();
    expect(kept.imageAlt ?? '').not.toContain('Cora Coordinator');
  });

  it('a scheduled announcement whose author deletes her data before its time is withheld, its event kept with it', async () => {
    const { cora, tiina } = await setup();
    const form = await h.execute(cora, 'announce.save', { ...draft, eventId: 'new-event', sendDate: '2026-12-01', sendTime: '09:00' });
    const save = cardButtons(form).find((b) => b.verb === 'announce.saveEvent')!;
    const preview = await h.execute(cora, save.verb, { ...save.data, ...details });
    const schedule = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, schedule.verb, schedule.data);
    await eraseMyData(cora);
    const kept = await h.db.announcement.findFirstOrThrow();
    expect(await h.db.event.findUnique({ where: { id: kept.eventId! } })).not.toBeNull();
    h.clock.set('2026-12-01T07:00:30Z');
    await h.runDue();
    await h.runDue();
    expect(announcementsTo(tiina)).toHaveLength(0);
    expect((await h.db.announcement.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe('cancelled');
    expect(await h.db.auditLog.count({ where: { action: 'announcement.withhold', target: `announcement:${kept.id}` } })).toBe(1);
  });

  it('one organisation’s event cannot be sent to another organisation’s staff (they could not answer it): said on the form', async () => {
    await setup();
    await h.db.event.create({ data: { id: 'ee-only', type: 'meeting', title: { en: 'Estonian staff meeting' }, organisationId: 'ee-partner', startsAt: new Date('2027-03-12T08:00:00Z'), endsAt: new Date('2027-03-12T10:00:00Z'), timeZone: 'Europe/Tallinn', place: 'Tartu', areas: [] } });
    const pia = makeUser('Pia Partnership');
    h.connector.knows(pia);
    await h.onboard(pia);
    await h.db.grant.create({ data: { personId: (await h.person(pia)).id, role: 'coordinator', scope: 'partnership', grantedBy: 'test' } });
    const form = await h.execute(pia, 'announce.save', { ...draft, eventId: 'ee-only' });
    expect(cardText(form)).toContain("That event is for one organisation's staff only");
    expect(JSON.stringify(form)).toContain('Come and hear about mobility grants.');
    expect(await h.db.announcement.count()).toBe(0);
    const fits = await h.execute(pia, 'announce.save', { ...draft, organisations: 'ee-partner', eventId: 'ee-only' });
    expect(cardText(fits)).toContain('Ready to send');
  });

  it('an announcement that would arrive after its event has started, or after registration closed, is refused on the form', async () => {
    const { cora } = await setup();
    // ws-tallinn starts 2026-12-10 10:00 Tallinn time; sending on 2026-12-20 would invite people to a past event.
    const card = await h.execute(cora, 'announce.save', { ...draft, eventId: 'ws-tallinn', sendDate: '2026-12-20', sendTime: '09:00' });
    expect(cardText(card)).toContain('That event starts before the announcement would arrive');
    expect(cardButtons(card).map((b) => b.verb)).not.toContain('announce.send');
    await h.db.event.update({ where: { id: 'ws-tallinn' }, data: { registrationDeadline: new Date('2026-12-05T08:00:00Z') } });
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, eventId: 'ws-tallinn', sendDate: '2026-12-06', sendTime: '09:00' }))).toContain('Registration for that event closes before');
    expect(await h.db.announcement.count()).toBe(0);
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, eventId: 'ws-tallinn', sendDate: '2026-12-02', sendTime: '09:00' }))).toContain('Ready to send');
  });

  it('a scheduled announcement is withheld when its author no longer holds a grant for its audience', async () => {
    const { cora, tiina } = await setup();
    const preview = await h.execute(cora, 'announce.save', { ...draft, sendDate: '2026-12-01', sendTime: '09:00' });
    const schedule = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, schedule.verb, schedule.data);
    await h.db.grant.deleteMany({ where: { personId: (await h.person(cora)).id } });
    h.clock.set('2026-12-01T07:00:30Z');
    await h.runDue();
    await h.runDue();
    expect(announcementsTo(tiina)).toHaveLength(0);
    // She is told why, once, in her own chat and zone.
    const told = h.connector.cardsTo(personalConversationId(cora)).filter((c) => cardText(c).includes('Not sent: Info day'));
    expect(told).toHaveLength(1);
    expect(cardText(told[0])).toContain('Your announcement was scheduled for 2026-12-01 09:00 (Europe/Helsinki)');
    await h.runDue();
    expect(h.connector.cardsTo(personalConversationId(cora)).filter((c) => cardText(c).includes('Not sent: Info day'))).toHaveLength(1);
  });

  it('saving one new compose card twice (a double click, a replay, the Submit fallback) makes one draft; after Send, a replay is out of date', async () => {
    const { cora } = await setup();
    const [form] = await h.say(cora, 'announce');
    const save = (form!.actions as { verb: string; data: Record<string, unknown> }[]).find((a) => a.verb === 'announce.save')!;
    expect(save.data.draftKey).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const first = await h.execute(cora, 'announce.save', { ...save.data, ...draft });
    await h.execute(cora, 'announce.save', { ...save.data, ...draft, title: 'Info day (corrected)' });
    expect(await h.db.announcement.findMany({ select: { title: true } })).toEqual([{ title: 'Info day (corrected)' }]);
    const send = cardButtons(first).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    expect(cardText(await h.execute(cora, 'announce.save', { ...save.data, ...draft }))).toContain('This card is out of date');
    expect(await h.db.announcement.count()).toBe(1);
    // Another compose card is another draft.
    const [again] = await h.say(cora, 'announce');
    const other = (again!.actions as { verb: string; data: Record<string, unknown> }[]).find((a) => a.verb === 'announce.save')!;
    await h.execute(cora, 'announce.save', { ...other.data, ...draft });
    expect(await h.db.announcement.count()).toBe(2);
  });

  it('a Finnish coordinator’s report says in Finnish why a copy could not be delivered', async () => {
    const { cora, tiina } = await setup();
    await h.execute(cora, 'settings.save', { language: 'fi', jobRole: 'teacher' });
    const preview = await h.execute(cora, 'announce.save', draft);
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    const id = send.data.announcementId as string;
    // Queue the copies, then Tiina blocks the bot before hers is sent (what the sender records after a 403).
    const deps = { db: h.db, clock: h.clock };
    await sendAnnouncement(deps, { personId: (await h.person(cora)).id, onboarded: true, organisationId: 'luovi', grants: [{ role: 'coordinator', scope: 'luovi' }] }, id);
    await fanOut(deps, id);
    await h.db.person.update({ where: { id: (await h.person(tiina)).id }, data: { unreachableAt: h.clock.now(), unreachableReason: '403 ConversationBlockedByUser' } });
    await h.runDue();
    const report = cardText(await h.execute(cora, 'announce.report', { announcementId: id }));
    expect(report).toContain('Ei voitu toimittaa');
    expect(report).not.toMatch(/unreachable|ConversationBlockedByUser/);
  });

  it('each copy is made as things stand when it is sent: an answer given on the path is shown, and after registration closed only Can’t go is offered', async () => {
    const { cora, tiina, otto } = await setup();
    await h.db.rsvp.create({ data: { personId: (await h.person(tiina)).id, eventId: 'ws-tallinn', status: 'going', updatedAt: h.clock.now() } });
    const preview = await h.execute(cora, 'announce.save', { ...draft, eventId: 'ws-tallinn' });
    // Registration closes after the preview, before the copies go out.
    await h.db.event.update({ where: { id: 'ws-tallinn' }, data: { registrationDeadline: new Date(h.clock.now().getTime() - 60_000) } });
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    const card = announcementsTo(tiina)[0]!;
    expect(cardText(card)).toContain('Your answer: Going');
    expect(cardButtons(card).map((b) => b.title)).toEqual(["Can't go"]);
    expect(announcementsTo(otto)).toHaveLength(0);
  });

  it('the report names who answered Maybe and Can’t go too, not only who is going', async () => {
    const { cora, tiina } = await setup();
    const matti = makeUser('Matti Teacher');
    h.connector.knows(matti);
    await h.onboard(matti);
    const preview = await h.execute(cora, 'announce.save', { ...draft, eventId: 'ws-tallinn' });
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    for (const [who, answer] of [[tiina, 'Maybe'], [matti, "Can't go"]] as const) {
      const button = cardButtons(announcementsTo(who)[0]).find((b) => b.title === answer)!;
      await h.execute(who, button.verb, button.data);
    }
    const report = cardText(await h.execute(cora, 'announce.report', { announcementId: send.data.announcementId }));
    expect(report).toMatch(/Going\n0/);
    expect(report).toMatch(/Maybe\n1: Tiina Teacher/);
    expect(report).toMatch(/Can't go\n1: Matti Teacher/);
  });

  it('a partnership admin cannot send or cancel another coordinator’s unfinished draft', async () => {
    const { anna, cora, tiina } = await setup();
    const preview = await h.execute(cora, 'announce.save', draft);
    const id = cardButtons(preview).find((b) => b.verb === 'announce.send')!.data.announcementId as string;
    expect(cardText(await h.execute(anna, 'announce.send', { announcementId: id }))).toContain('needs a permission you don');
    expect(cardText(await h.execute(anna, 'announce.cancel', { announcementId: id }))).toContain('needs a permission you don');
    await h.runDue();
    expect(announcementsTo(tiina)).toHaveLength(0);
    expect((await h.db.announcement.findUniqueOrThrow({ where: { id } })).status).toBe('draft');
    // Once Cora has sent it, a partnership admin may stop it.
    await h.execute(cora, 'announce.send', { announcementId: id });
    expect(cardText(await h.execute(anna, 'announce.cancel', { announcementId: id }))).toContain('Cancelled');
    expect(await h.db.auditLog.count({ where: { action: 'announcement.cancel', target: `announcement:${id}` } })).toBe(1);
  });
});
