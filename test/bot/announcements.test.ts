import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardsIn, cardText, type CardJson } from '../helpers/bot.js';
import { SERVICE_URL, TENANT, executeAction, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { EE_TENANT } from '../helpers/announcements.js';
import { fanOut, sendAnnouncement } from '../../src/features/announcements/announcements.service.js';

let h: BotHarness;
afterEach(async () => h?.close());


async function setup() {
  const cora = makeUser('Cora Coordinator');
  const tiina = makeUser('Tiina Teacher');
  const matti = makeUser('Matti Teacher');
  const otto = makeUser('Otto Outsider', { tenantId: EE_TENANT });
  h = await BotHarness.create({ users: [cora, tiina, matti, otto], env: { ORG_TENANTS: `luovi:${TENANT},ee-partner:${EE_TENANT}` } });
  for (const u of [cora, tiina, matti, otto]) await h.onboard(u);
  await h.db.grant.create({ data: { personId: (await h.person(cora)).id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
  await h.db.event.create({ data: { id: 'ws-tallinn', type: 'workshop', title: { en: 'Workshop in Tallinn' }, startsAt: new Date('2027-03-10T08:00:00Z'), endsAt: new Date('2027-03-10T14:00:00Z'), timeZone: 'Europe/Tallinn', place: 'Tallinn', areas: ['ICC'] } });
  return { cora, tiina, matti, otto };
}

const announcementsTo = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => cardText(c).includes('Announcement from')) as CardJson[];
const draft = { title: 'Workshop: hosting international students', text: 'Join us in **Tallinn** ${injected}.', organisations: 'luovi', roles: '', eventId: 'ws-tallinn' };

describe('coordinators’ announcements', () => {
  it('compose → preview with the reach → send once to each recipient → RSVP → the report shows who is coming', async () => {
    const { cora, tiina, matti, otto } = await setup();
    const [form] = await h.say(cora, 'announce');
    expect(cardText(form)).toContain('New announcement');
    expect(cardText(form)).not.toContain('Estonian'); // only organisations her grant covers
    const preview = await h.execute(cora, 'announce.save', draft);
    expect(cardText(preview)).toContain('It reaches 3 people'); // Cora, Tiina, Matti — not Otto (another organisation)
    expect(announcementsTo(tiina)).toHaveLength(0);

    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    const report = await h.execute(cora, send.verb, send.data);
    await h.execute(cora, send.verb, send.data); // a double click queues nothing more
    expect(announcementsTo(tiina)).toHaveLength(1);
    expect(announcementsTo(matti)).toHaveLength(1);
    expect(announcementsTo(otto)).toHaveLength(0);
    const card = announcementsTo(tiina)[0]!;
    expect(cardText(card)).toContain('Announcement from Cora Coordinator');
    expect(JSON.stringify(card)).not.toMatch(/\$\{injected\}/);
    expect(cardText(report)).toContain('Delivery report');

    const going = cardButtons(card).find((b) => b.title === 'Going')!;
    const answered = await h.execute(tiina, going.verb, going.data);
    expect(cardText(answered)).toContain('Your answer: Going');
    expect(cardText(await h.execute(otto, going.verb, going.data))).not.toContain('Your answer');
    const refreshed = await h.execute(cora, 'announce.report', { announcementId: going.data.announcementId });
    const text = cardText(refreshed);
    expect(text).toMatch(/Delivered\n3/);
    expect(text).toContain('Finished: nothing is waiting to be sent.');
    expect(text).toMatch(/Going\n1: Tiina Teacher/);
  });

  it('a picture: an https address is shown with its description; anything else is refused on the form with what was typed kept', async () => {
    const { cora, tiina } = await setup();
    for (const imageUrl of ['http://example.org/workshop.png', 'javascript:alert(1)', 'https://example.org/a b.png', 'https://example.org/${x}.png']) {
      const form = await h.execute(cora, 'announce.save', { ...draft, imageUrl });
      expect(cardText(form)).toContain('The picture address must be a web address starting with https://');
      expect(JSON.stringify(form)).toContain('Workshop: hosting international students');
    }
    expect(await h.db.announcement.count()).toBe(0);
    const preview = await h.execute(cora, 'announce.save', { ...draft, imageUrl: 'https://example.org/workshop.png', imageAlt: 'Teachers around a table in Tallinn' });
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    const image = (announcementsTo(tiina)[0]!.body as { type: string; url?: string; altText?: string }[]).find((b) => b.type === 'Image');
    expect(image).toMatchObject({ url: 'https://example.org/workshop.png', altText: 'Teachers around a table in Tallinn' });
  });

  it('“Preview it here” sends the coordinator a copy as recipients will see it, and the card with Send stays', async () => {
    const { cora, tiina } = await setup();
    const preview = await h.execute(cora, 'announce.save', draft);
    const show = cardButtons(preview).find((b) => b.verb === 'announce.preview')!;
    const replies = await h.send(executeAction(cora, show.verb, show.data));
    const copy = cardsIn(replies).find((c) => cardText(c).includes('Preview: only you see this copy'))!;
    expect(cardText(copy)).toContain('Workshop: hosting international students');
    expect(cardText(copy)).toContain("Recipients answer here: Going · Maybe · Can't go");
    expect(cardButtons(copy)).toHaveLength(0);
    const invoke = replies.find((a) => a.type === 'invokeResponse')!.value as { body: { value: CardJson } };
    expect(cardText(invoke.body.value)).toContain('A preview of what recipients will see is below this card.');
    expect(cardButtons(invoke.body.value).map((b) => b.verb)).toContain('announce.send');
    expect(announcementsTo(tiina)).toHaveLength(0);
    expect(await h.db.announcement.count({ where: { status: 'draft' } })).toBe(1);
  });

  it('only coordinators and admins compose, only for organisations their grant covers; cancel stops what is not yet sent', async () => {
    const { cora, tiina, matti } = await setup();
    expect(cardText((await h.say(tiina, 'announce'))[0])).not.toContain('New announcement');
    expect(cardText(await h.execute(tiina, 'announce.save', draft))).not.toContain('Ready to send');
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, organisations: 'luovi,ee-partner' }))).not.toContain('Ready to send');
    expect(await h.db.announcement.count()).toBe(0);

    const preview = await h.execute(cora, 'announce.save', draft);
    const id = cardButtons(preview).find((b) => b.verb === 'announce.send')!.data.announcementId as string;
    expect(cardText(await h.execute(tiina, 'announce.send', { announcementId: id }))).not.toContain('Delivery report');
    // Queued but not yet sent (sent outside a turn), then cancelled: nothing goes out.
    await sendAnnouncement({ db: h.db, clock: h.clock }, { personId: (await h.person(cora)).id, onboarded: true, organisationId: 'luovi', grants: [{ role: 'coordinator', scope: 'luovi' }] }, id);
    expect(await fanOut({ db: h.db, clock: h.clock }, id)).toBe(3);
    const cancelled = await h.execute(cora, 'announce.cancel', { announcementId: id });
    expect(cardText(cancelled)).toContain('Cancelled: nothing more will be sent.');
    expect(cardText(cancelled)).toMatch(/Cancelled\n3/);
    await h.runDue();
    expect(announcementsTo(tiina)).toHaveLength(0);
    expect(announcementsTo(matti)).toHaveLength(0);
  });

  it('an audience naming a job role or focus area that does not exist is refused as invalid, and the draft stays as it was', async () => {
    const { cora } = await setup();
    for (const odd of [{ roles: 'teacher,astronaut' }, { areas: 'ICC,XYZ' }]) {
      expect(cardText(await h.execute(cora, 'announce.save', { ...draft, ...odd }))).toContain('Some of what was sent is not valid, so nothing was saved');
    }
    expect(await h.db.announcement.count()).toBe(0);

    const preview = await h.execute(cora, 'announce.save', { ...draft, roles: 'teacher', areas: 'ICC' });
    const announcementId = cardButtons(preview).find((b) => b.verb === 'announce.send')!.data.announcementId as string;
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, announcementId, areas: 'ICC,XYZ' }))).toContain('Some of what was sent is not valid');
    expect((await h.db.announcement.findUniqueOrThrow({ where: { id: announcementId } })).audience).toEqual({ organisations: ['luovi'], roles: ['teacher'], areas: ['ICC'], channels: [] });
  });

  it('scheduled for tomorrow 09:00 in the coordinator’s zone, to a team channel (once, no answer buttons) and to people focusing on an area', async () => {
    const { cora, tiina, matti } = await setup();
    const channelId = '19:general-luovi@thread.tacv2';
    await h.db.conversation.create({
      data: {
        id: channelId, kind: 'channel', tenantId: TENANT, teamId: '19:team', teamName: 'Luovi International', channelName: 'General', serviceUrl: SERVICE_URL,
        reference: { channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: channelId, conversationType: 'channel', tenantId: TENANT }, bot: { id: '28:rexvet-bot', name: 'REX VET Mentor' } },
      },
    });
    // Only Tiina has a plan focusing on ICC.
    const a = await h.db.assessment.create({ data: { personId: (await h.person(tiina)).id, status: 'completed', frameworkVersion: '0.1.0', startedAt: new Date(), completedAt: new Date() } });
    await h.db.plan.create({ data: { personId: (await h.person(tiina)).id, assessmentId: a.id, focusAreas: ['ICC'], checkins: [], createdAt: new Date() } });

    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, areas: 'ICC', channels: channelId, sendDate: '2026-11-29', sendTime: '09:00' }))).toContain('That time has passed');
    // A date that is not in the calendar is refused, not rolled forward to 2 March.
    expect(cardText(await h.execute(cora, 'announce.save', { ...draft, sendDate: '2027-02-30', sendTime: '09:00' }))).not.toContain('Ready to send');
    expect(await h.db.announcement.count()).toBe(0);
    const preview = await h.execute(cora, 'announce.save', { ...draft, areas: 'ICC', channels: channelId, sendDate: '2026-12-01', sendTime: '09:00' });
    expect(cardText(preview)).toContain('It reaches 1 person in their chat with the bot.');
    expect(cardText(preview)).toContain('2026-12-01 09:00 (Europe/Helsinki)');
    expect(cardText(preview)).toContain('It is also posted in 1 team channel.');
    const schedule = cardButtons(preview).find((b) => b.title === 'Schedule')!;
    expect(cardText(await h.execute(cora, schedule.verb, schedule.data))).toContain('Scheduled: sending starts 2026-12-01 09:00 (Europe/Helsinki).');
    expect(announcementsTo(tiina)).toHaveLength(0);
    h.clock.set('2026-12-01T06:59:00Z');
    await h.runDue();
    expect(h.connector.cardsTo(channelId)).toHaveLength(0);
    h.clock.set('2026-12-01T07:00:30Z');
    await h.runDue();
    await h.runDue();
    expect(announcementsTo(tiina)).toHaveLength(1);
    expect(announcementsTo(matti)).toHaveLength(0);
    const posted = h.connector.cardsTo(channelId);
    expect(posted).toHaveLength(1);
    expect(cardButtons(posted[0])).toHaveLength(0);
    expect(cardText(posted[0])).toContain('in your own chat with REX VET Mentor');

    const exported = await h.execute(cora, 'announce.export', { announcementId: schedule.data.announcementId });
    expect(cardText(exported)).toMatch(/\/exports\/[A-Za-z0-9_-]{32}\.csv/);
    const link = await h.db.exportLink.findFirstOrThrow();
    const rows = (link.data as { rows: string[][] }).rows;
    expect(rows[0]).toEqual(['Recipient', 'E-mail', 'Status', 'Reason', 'Technical detail', 'Time (UTC)']);
    expect(rows.map((r) => r[2]).slice(1).sort()).toEqual(['delivered', 'delivered']);
    expect(rows.some((r) => r[0] === 'Tiina Teacher')).toBe(true);
    expect(rows.some((r) => r[0] === 'Luovi International › General')).toBe(true);
  });

  it('the General channel, which Teams leaves unnamed, is named in the coordinator’s language on the compose card and in the delivery list', async () => {
    const { cora } = await setup();
    await h.execute(cora, 'settings.save', { language: 'fi', jobRole: 'teacher' });
    const channelId = '19:general-luovi@thread.tacv2';
    await h.db.conversation.create({
      data: {
        id: channelId, kind: 'channel', tenantId: TENANT, teamId: '19:team', teamName: 'Luovi International', channelName: null, serviceUrl: SERVICE_URL,
        reference: { channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: channelId, conversationType: 'channel', tenantId: TENANT }, bot: { id: '28:rexvet-bot', name: 'REX VET Mentor' } },
      },
    });
    const [form] = await h.say(cora, 'announce');
    expect(cardText(form)).toContain('Luovi International › Yleinen');
    expect(cardText(form)).not.toContain('General');
    const preview = await h.execute(cora, 'announce.save', { ...draft, channels: channelId });
    expect(cardText(preview)).toContain('Se julkaistaan myös 1 tiimin kanavalla.');
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    await h.execute(cora, send.verb, send.data);
    await h.runDue();
    await h.execute(cora, 'announce.export', { announcementId: send.data.announcementId });
    const rows = ((await h.db.exportLink.findFirstOrThrow()).data as { rows: string[][] }).rows;
    expect(rows.map((r) => r[0])).toContain('Luovi International › Yleinen');
  });
});
