import { afterEach, describe, expect, it } from '@jest/globals';
import { announcementCast } from '../helpers/announcements.js';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { personalConversationId, type TestUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';
import { answerRsvp } from '../../src/features/events/events.service.js';

/**
 * What a coordinator's announcement lets her see and do is bounded by the organisations she may address — checked
 * on the server, now, from the database: the events she may attach, the names on the report, and her own
 * announcements once a grant is taken away. A partnership admin keeps access.
 */
let h: BotHarness;
afterEach(async () => h?.close());

const REFUSED = 'needs a permission you don';
const NOT_FOUND = "couldn't find that";

async function setup() {
  const cast = await announcementCast();
  h = cast.h;
  await h.db.event.create({ data: { id: 'ws-all', type: 'workshop', title: { en: 'Partnership workshop' }, startsAt: new Date('2027-03-10T08:00:00Z'), endsAt: new Date('2027-03-10T14:00:00Z'), timeZone: 'Europe/Tallinn', place: 'Tallinn', areas: ['ICC'] } });
  await h.db.event.create({ data: { id: 'ee-only', type: 'meeting', title: { en: 'Estonian staff meeting' }, organisationId: 'ee-partner', startsAt: new Date('2027-03-12T08:00:00Z'), endsAt: new Date('2027-03-12T10:00:00Z'), timeZone: 'Europe/Tallinn', place: 'Tartu', areas: [] } });
  return cast;
}

const announcementsTo = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => cardText(c).includes('Announcement from')) as CardJson[];
const draft = { title: 'Workshop: hosting international students', text: 'Join us in Tallinn.', organisations: 'luovi', roles: '' };
const details = { type: 'workshop', title: '', startDate: '2026-12-10', startTime: '10:00', endDate: '', endTime: '14:00', timeZone: 'Europe/Tallinn', place: 'Tallinn', link: '', deadlineDate: '', deadlineTime: '', areas: 'ICC' };

describe('an announcement stays within the organisations its author may address', () => {
  it("another organisation's event is neither offered nor accepted, and the report names only people of her organisations", async () => {
    const { anna, cora, tiina, otto } = await setup();
    const [compose] = await h.say(cora, 'announce');
    expect(cardText(compose)).toContain('Partnership workshop');
    expect(cardText(compose)).not.toContain('Estonian staff meeting');

    // A forged event id: refused, in a new draft and inside her own draft alike; nothing is written.
    const before = await snapshotTables(h.db);
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, eventId: 'ee-only' }))).toContain(NOT_FOUND);
    expect(await snapshotTables(h.db)).toEqual(before);
    const preview = await h.execute(cora, 'announce.save', { ...draft, eventId: 'ws-all' });
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    const id = send.data.announcementId as string;
    const saved = await snapshotTables(h.db);
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, announcementId: id, eventId: 'ee-only' }))).toContain(NOT_FOUND);
    expect(await snapshotTables(h.db)).toEqual(saved);
    expect((await h.db.announcement.findUniqueOrThrow({ where: { id } })).eventId).toBe('ws-all');

    // Tiina answers on the announcement; Otto, of the Estonian partner, from his own path (the event is partnership-wide).
    await h.execute(cora, send.verb, send.data);
    const going = cardButtons(announcementsTo(tiina)[0]).find((b) => b.title === 'Going')!;
    await h.execute(tiina, going.verb, going.data);
    await answerRsvp({ db: h.db, clock: h.clock }, (await h.person(otto)).id, 'ws-all', 'going');

    const report = cardText(await h.execute(cora, 'announce.report', { announcementId: id }));
    expect(report).toMatch(/Going\n2: Tiina Teacher \(and 1 person from an organisation you do not address\)/);
    expect(report).not.toContain('Otto');
    // A partnership admin may address every organisation: both are named.
    expect(cardText(await h.execute(anna, 'announce.report', { announcementId: id }))).toMatch(/Going\n2: (Tiina Teacher, Otto Outsider|Otto Outsider, Tiina Teacher)\n/);
  });

  it('once her grant for the organisation is taken away, her own announcement is closed to her; a partnership admin keeps access', async () => {
    const { anna, cora, coraId, tiina } = await setup();
    const form = await h.execute(cora, 'announce.save', { ...draft, eventId: 'new-event' });
    const saveEvent = cardButtons(form).find((b) => b.verb === 'announce.saveEvent')!;
    const send = cardButtons(await h.execute(cora, saveEvent.verb, { ...saveEvent.data, ...details })).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    const id = send.data.announcementId as string;
    const going = cardButtons(announcementsTo(tiina)[0]).find((b) => b.title === 'Going')!;
    await h.execute(tiina, going.verb, going.data);
    expect(cardText(await h.execute(cora, 'announce.report', { announcementId: id }))).toContain('Tiina Teacher');

    // She now coordinates only for the Estonian partner: still a coordinator, no longer Luovi's.
    await h.db.grant.create({ data: { personId: coraId, role: 'coordinator', scope: 'ee-partner', grantedBy: 'test' } });
    await h.db.grant.deleteMany({ where: { personId: coraId, scope: 'luovi' } });
    const before = await snapshotTables(h.db);
    const sentBefore = h.connector.sent.length;
    const attempts: [string, Record<string, unknown>][] = [
      ['announce.report', {}],
      ['announce.preview', {}],
      ['announce.export', {}],
      ['announce.editEvent', {}],
      ['announce.updateEvent', { revision: '0', ...details, startTime: '12:00', endTime: '16:00' }],
      ['announce.cancelEvent', {}],
      ['announce.cancelEvent', { confirm: 'yes' }],
      ['announce.cancel', {}],
    ];
    for (const [verb, extra] of attempts) {
      const text = cardText(await h.execute(cora, verb, { announcementId: id, ...extra }));
      expect({ verb, extra, refused: text.includes(REFUSED) }).toEqual({ verb, extra, refused: true });
      expect(text).not.toContain('Tiina');
    }
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(h.connector.sent.length).toBe(sentBefore);

    const report = await h.execute(anna, 'announce.report', { announcementId: id });
    expect(cardText(report)).toMatch(/Going\n1: Tiina Teacher/);
    expect(cardButtons(report).map((b) => b.title)).toEqual(expect.arrayContaining(['Edit event', 'Cancel event']));
  });
});
