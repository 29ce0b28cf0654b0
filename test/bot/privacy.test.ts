import { afterEach, describe, expect, it } from '@jest/globals';
import { isDeepStrictEqual } from 'node:util';
import { passModule } from '../helpers/modules.js';
import { BotHarness, cardButtons, cardText } from '../helpers/bot.js';
import { TENANT, activityFrom, makeUser, personalConversationId, uid, type TestUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';
import { badgePage } from '../../src/features/badges/badge-page.service.js';
import { createRowsExport } from '../../src/features/mapping/export.service.js';
import { personalData } from '../../src/features/privacy/export.service.js';
import { PersonalDataRepository } from '../../src/features/privacy/personal-data.repository.js';
import { pseudonym } from '../../src/features/privacy/pseudonym.js';
import { hashLinkToken } from '../../src/lib/link-token.js';

let h: BotHarness;
afterEach(async () => h?.close());

const KEY = 'test-pseudonym-key-0123456789abcdef0123456789';
const AREAS: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };

/** Every area Explorer (2); intercultural competence 3 with a note per statement; English rated on the language step. */
async function assess(user: TestUser, note?: string) {
  let card = await h.execute(user, 'assessment.start');
  for (const [area, n] of Object.entries(AREAS)) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    const score = area === 'ICC' && note ? '3' : '2';
    const answers = Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, score]));
    const notes = area === 'ICC' && note ? Object.fromEntries(Array.from({ length: n }, (_, i) => [`evidence:${area}.${i + 1}`, `${note} ${i + 1}`])) : {};
    card = await h.execute(user, next.verb, { ...next.data, ...answers, ...notes });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  await h.execute(user, finish.verb, { ...finish.data, language: 'en', 'cefr:listening': 'B2', 'cefr:writing': 'B1' });
}

async function planWithInterest(user: TestUser, area: string) {
  await h.execute(user, 'path.open');
  return h.execute(user, 'path.interests', { areas: area });
}

const CHANNEL = '19:luovi-general@thread.tacv2';
/** A message in a team channel: the bot answers "let's talk in private", and the channel's stored reference names the sender. */
const inChannel = (user: TestUser) =>
  h.send(activityFrom(user, {
    type: 'message', text: 'hello', id: uid('msg'),
    conversation: { id: CHANNEL, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: 'General' },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team-luovi', name: 'Luovi International' }, channel: { id: CHANNEL, name: 'General' } },
  }));

const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x)) ?? '');

/**
 * Tiina, a coordinator and mentor of Luovi, with a bit of everything: a completed assessment with evidence notes and
 * language ratings, a plan with a goal, a reflection and her own targets, her plan shared with Matti and his with her,
 * a passed module and its badge (her name shown on its page), a badge application Matti reviews, an RSVP, reminder
 * and digest settings, an announcement sent and one in draft, a badge she awarded to Matti, a message in a team
 * channel and a celebration posted there, an access request an admin decided, a `my data` link. Anna (admin) and
 * Matti (manager, mentor) have their own data.
 */
async function world() {
  const anna = makeUser('Anna Admin');
  const matti = makeUser('Matti Manager');
  const tiina = makeUser('Tiina Teacher');
  h = await BotHarness.create({ users: [anna, matti, tiina], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT}`, PRIVACY_PSEUDONYM_KEY: KEY } });
  await h.onboard(anna);
  await h.onboard(matti, { jobRole: 'manager' });
  await h.onboard(tiina, { jobRole: 'coordinator' });
  for (const r of await h.db.accessRequest.findMany({ where: { status: 'pending' } })) await h.execute(anna, 'requests.approve', { requestId: r.id });
  const ids = { anna: (await h.person(anna)).id, matti: (await h.person(matti)).id, tiina: (await h.person(tiina)).id };
  for (const personId of [ids.tiina, ids.matti]) await h.db.grant.create({ data: { personId, role: 'mentor', scope: 'luovi', grantedBy: `person:${ids.anna}` } });

  await assess(tiina, 'Hosted a group from Tallinn');
  const plan = await planWithInterest(tiina, 'ICC');
  const [first, second] = cardButtons(plan).filter((b) => b.verb === 'path.accept');
  await h.execute(tiina, first!.verb, first!.data);
  await h.execute(tiina, 'path.goal', { stepId: first!.data.stepId, what: 'Host a colleague from Tallinn for a day', by: '2027-02-15', evidence: 'The day programme', support: '' });
  await h.execute(tiina, 'path.done', { stepId: second!.data.stepId, reflection: 'Talking with the Estonian team changed how I plan.', link: '' });
  await h.execute(tiina, 'path.targets', { 'target:ICC': 'L4' });
  await h.execute(tiina, 'path.share', { viewerId: ids.matti });
  await assess(matti);
  await planWithInterest(matti, 'EU');
  await h.execute(matti, 'path.share', { viewerId: ids.tiina });

  await passModule(h, tiina, 'EU-L1-L2', 'I will tell my students about Erasmus+.');
  const award = await h.db.badgeAward.findFirstOrThrow({ where: { personId: ids.tiina } });
  await h.execute(tiina, 'badges.showName', { awardId: award.id, show: 'true' });
  await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L3', evidence: 'I led the hosting of three Estonian students.' });
  await h.execute(tiina, 'badges.award', { personId: ids.matti, badgeId: 'MOB-L2', note: 'Organised the Tallinn visit.' });
  await h.db.rsvp.create({ data: { personId: ids.tiina, eventId: (await h.db.event.findFirstOrThrow()).id, status: 'going', updatedAt: h.clock.now() } });
  await h.db.person.update({ where: { id: ids.tiina }, data: { reminderPrefs: { off: ['nudge'], weeklyCap: 2 }, digestPrefs: { weekday: 2, time: '08:30', paused: false } } });
  await inChannel(tiina);
  await h.execute(tiina, 'badges.celebrate', { awardId: award.id, conversationId: CHANNEL });
  // An announcement with its own event, sent; another one still a draft with its hidden event. She typed her name
  // and e-mail into the text and the place.
  const event = { type: 'workshop', title: '', startDate: '2026-12-10', startTime: '10:00', endDate: '', endTime: '14:00', timeZone: 'Europe/Helsinki', place: `Room 12, ask for ${tiina.name}`, link: '', deadlineDate: '', deadlineTime: '', areas: 'MOB' };
  let announcementId = '';
  for (const title of ['Erasmus+ info day', 'Draft for spring']) {
    const picture = { imageUrl: `https://example.org/${tiina.email}/info-day.png`, imageAlt: `${tiina.name} welcoming guests` };
    const form = await h.execute(tiina, 'announce.save', { title, text: `Come and hear about mobility grants. Questions: ${tiina.name}, ${tiina.email}.`, organisations: 'luovi', roles: '', eventId: 'new-event', ...picture });
    const saveEvent = cardButtons(form).find((b) => b.verb === 'announce.saveEvent')!;
    const preview = await h.execute(tiina, saveEvent.verb, { ...saveEvent.data, ...event });
    const send = cardButtons(preview).find((b) => b.verb === 'announce.send')!;
    if (title === 'Erasmus+ info day') {
      await h.execute(tiina, send.verb, send.data);
      announcementId = send.data.announcementId as string;
    }
  }
  // Matti is going; she moves the event, so his change notice carries the old place she typed.
  const going = h.connector.cardsTo(personalConversationId(matti)).flatMap((c) => cardButtons(c)).find((b) => b.verb === 'announce.rsvp' && b.data.status === 'going')!;
  await h.execute(matti, going.verb, going.data);
  const edit = cardButtons(await h.execute(tiina, 'announce.editEvent', { announcementId })).find((b) => b.verb === 'announce.updateEvent')!;
  await h.execute(tiina, edit.verb, { ...edit.data, ...event, place: `Main hall, ask for ${tiina.name}` });
  // Anna (a partnership admin) downloads its delivery list: a link whose table names Tiina, Matti and herself.
  await h.execute(anna, 'announce.export', { announcementId });
  await h.say(tiina, 'my data');
  await h.say(matti, 'digest');
  return { anna, matti, tiina, ids, award, announcementId };
}

describe('data rights: my data', () => {
  it('gives the person two 15-minute links to their own data, bound to them (only a hash of the token is stored), in their language', async () => {
    const tiina = makeUser('Tiina Teacher', { locale: 'fi-FI' });
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}`, PUBLIC_BASE_URL: 'https://rexvet.example.org' } });
    await h.onboard(tiina, { language: 'fi' });
    const [card] = await h.say(tiina, 'omat tiedot');
    const text = cardText(card);
    expect(text).toContain('Tietosi ovat ladattavissa');
    expect(text).toContain('15 minuuttia (klo 10:15 (Europe/Helsinki) asti)');
    const links = [...text.matchAll(/\((https:\/\/rexvet\.example\.org\/privacy\/([A-Za-z0-9_-]{32})\.(json|html))\)/g)];
    expect(links.map((l) => l[3])).toEqual(['json', 'html']);
    expect(links[0]![2]).toBe(links[1]![2]);
    const row = await h.db.privacyExport.findFirstOrThrow();
    expect(row).toMatchObject({ personId: (await h.person(tiina)).id, lang: 'fi', expiresAt: new Date('2026-11-30T08:15:00Z') });
    expect(JSON.stringify(await snapshotTables(h.db))).not.toContain(links[0]![2]);
    // The English words work for a Finnish speaker too, and the button on the privacy card gives a fresh link.
    expect(cardText((await h.say(tiina, 'my data'))[0])).toContain('/privacy/');
    expect(cardText(await h.execute(tiina, 'privacy.export'))).toContain('/privacy/');
    expect(await h.db.privacyExport.count()).toBe(3);
  });

  it('help lists the words; someone who has only said hello can ask for their data too', async () => {
    const tiina = makeUser('Tiina Teacher');
    const nina = makeUser('Nina Newcomer');
    h = await BotHarness.create({ users: [tiina, nina] });
    await h.onboard(tiina);
    const help = cardText((await h.say(tiina, 'help'))[0]);
    expect(help).toContain('my data');
    expect(help).toContain('delete my data');
    await h.say(nina, 'hello');
    expect(cardText((await h.say(nina, 'my data'))[0])).toContain('/privacy/');
    expect(cardText((await h.say(nina, 'delete my data'))[0])).toContain('What will be erased');
  });
});

describe('data rights: where she appears in other rows', () => {
  it('my data shows the channel that names her, the cards about her sent to admins and reviewers and the delivery list naming her; the erasure removes exactly those', async () => {
    const { tiina, matti, ids } = await world();
    const identity = await h.db.person.findUniqueOrThrow({ where: { id: ids.tiina }, select: { id: true, teamsUserId: true, aadObjectId: true, name: true, email: true, upn: true } });
    const data = (await personalData(h.db, ids.tiina, h.clock.now()))!;
    expect(data.sharedChats).toMatchObject([{ kind: 'channel', teamName: 'Luovi International', channelName: 'General', reference: { user: { name: tiina.name } } }]);
    const messages = data.messagesAboutYou.map((m) => ({ kind: m.kind, content: str(m.content) }));
    // The card asking Anna to decide her request (name, e-mail), the review card to Matti (her evidence), his change notice (the place she typed).
    expect(messages.filter((m) => m.kind === 'notify' && m.content.includes('asks to be confirmed') && m.content.includes(tiina.email))).toHaveLength(1);
    expect(messages.filter((m) => m.kind === 'notify' && m.content.includes('I led the hosting of three Estonian students.'))).toHaveLength(1);
    expect(messages.filter((m) => m.kind === 'event-change' && m.content.includes(`Room 12, ask for ${tiina.name}`))).toHaveLength(1);
    // Not whom they went to.
    expect(str(data.messagesAboutYou)).not.toContain(ids.matti);
    expect(str(data.messagesAboutYou)).not.toContain(ids.anna);
    // Anna's delivery list: its header and Tiina's own row, not the other recipients'.
    expect(data.downloadLinks).toEqual([{ organisationId: expect.any(String), format: 'csv', expiresAt: expect.any(Date), madeByYou: false, rowsNamingYou: [expect.arrayContaining(['Recipient', 'E-mail']), expect.arrayContaining([tiina.name, tiina.email])] }]);
    expect(str(data.downloadLinks)).not.toContain(matti.email);
    expect(data.announcements.map((a) => a.title).sort()).toEqual(['Draft for spring', 'Erasmus+ info day']);

    const confirm = cardButtons((await h.say(tiina, 'delete my data'))[0]).find((b) => b.verb === 'privacy.eraseConfirm')!;
    await h.execute(tiina, confirm.verb, confirm.data);
    expect(await new PersonalDataRepository(h.db).appearances(identity)).toEqual({ auditLog: [], announcements: [], eventsCreated: [], sharedChats: [], messagesToOthers: [], exportLinks: [] });
  }, 120_000);
});

describe('data rights: delete my data', () => {
  it('erases every trace of the person in every table, keeps her badges verifiable without her name, and leaves everyone else’s data as it was', async () => {
    const { anna, tiina, ids, award } = await world();
    const tiinaRow = await h.person(tiina);
    const secrets = [ids.tiina, tiina.id, tiina.aadObjectId, tiina.email, tiinaRow.upn!, tiina.name, personalConversationId(tiina)];
    const mentions = (value: unknown) => secrets.some((s) => str(value).toLowerCase().includes(s.toLowerCase()));
    const alias = pseudonym(KEY, ids.tiina);
    const byHer = await h.db.auditLog.count({ where: { actor: `person:${ids.tiina}` } });
    const snapshotsBefore = await h.db.mappingSnapshot.count();
    expect(byHer).toBeGreaterThan(5);

    const [ask] = await h.say(tiina, 'delete my data');
    expect(cardText(ask)).toMatch(/Delete your data\?[\s\S]*What will be erased[\s\S]*What is kept[\s\S]*pseudonym[\s\S]*cannot be undone/);
    const before = await snapshotTables(h.db);
    const tablesMentioningHer = Object.entries(before).filter(([, rows]) => rows.some(mentions)).map(([t]) => t);
    // The scenario reaches the tables that matter (otherwise the walk below would prove little).
    expect(tablesMentioningHer).toEqual(expect.arrayContaining([
      'AccessRequest', 'Announcement', 'AreaInterest', 'Assessment', 'AuditLog', 'BadgeApplication', 'BadgeAward', 'Conversation', 'Event', 'ExportLink', 'Grant', 'Job',
      'ModuleProgress', 'Person', 'Plan', 'PlanShare', 'PrivacyExport', 'Rsvp', 'SendLog', 'TargetOverride',
    ]));
    // Rows of her assessments and plans (answers, language ratings, steps) name her only through them.
    // What she typed as free text is there to find: the announcement's text, the event's place, the change notice
    // to Matti (the old place), the card about her access request to Anna, the delivery list Anna downloaded.
    expect((await h.db.announcement.findFirstOrThrow({ where: { status: 'sent' } })).text).toContain(tiina.name);
    expect((await h.db.announcement.findFirstOrThrow({ where: { status: 'sent' } })).imageAlt).toContain(tiina.name);
    expect((await h.db.event.findFirstOrThrow({ where: { source: 'announcement', draft: false } })).place).toBe(`Main hall, ask for ${tiina.name}`);
    expect(str((await h.db.job.findFirstOrThrow({ where: { kind: 'event-change', personId: ids.matti } })).payload)).toContain(tiina.name);
    expect((await h.db.job.findMany({ where: { idempotencyKey: { startsWith: 'notify:request:' }, personId: ids.anna } })).filter((j) => str(j.payload).includes(tiina.name))).toHaveLength(1);
    expect(str((await h.db.exportLink.findFirstOrThrow()).data)).toContain(tiina.name);
    const hers = [...(await h.db.assessment.findMany({ where: { personId: ids.tiina } })), ...(await h.db.plan.findMany({ where: { personId: ids.tiina } }))].map((r) => r.id);
    const concernsHer = (row: unknown) => mentions(row) || hers.some((id) => str(row).includes(id));

    const confirm = cardButtons(ask).find((b) => b.verb === 'privacy.eraseConfirm')!;
    const done = await h.execute(tiina, confirm.verb, confirm.data);
    expect(cardText(done)).toContain('Your data is deleted');
    expect(cardText(done)).toContain('your 1 badge keeps verifying, without your name');

    // Walk every column of every table: nothing holds her id, Teams or Entra id, e-mail, UPN, name or chat id.
    const after = await snapshotTables(h.db);
    const leaks = Object.entries(after).flatMap(([table, rows]) =>
      rows.flatMap((row) => Object.entries(row as Record<string, unknown>).filter(([, v]) => mentions(v)).map(([col, v]) => `${table}.${col}: ${str(v).slice(0, 120)}`)),
    );
    expect(leaks).toEqual([]);
    // Every row that did not concern her is still there, unchanged.
    for (const [table, rows] of Object.entries(before)) {
      const missing = rows.filter((r) => !concernsHer(r) && !after[table]!.some((a) => isDeepStrictEqual(a, r)));
      expect({ table, missing }).toEqual({ table, missing: [] });
    }
    expect(await h.db.plan.count({ where: { personId: ids.matti } })).toBe(1);
    expect(await h.db.grant.count({ where: { personId: ids.matti } })).toBe(2);

    // Kept: published aggregates, the audit trail under a keyed pseudonym, what she did for others, her badge.
    expect(await h.db.mappingSnapshot.count()).toBe(snapshotsBefore);
    expect(await h.db.auditLog.count({ where: { actor: alias } })).toBe(byHer + 1);
    expect(await h.db.auditLog.findFirstOrThrow({ where: { action: 'privacy.erase' } })).toMatchObject({ actor: alias, target: alias, details: { reason: 'request', badgesKept: 1 } });
    expect(await h.db.badgeAward.findFirstOrThrow({ where: { personId: ids.matti } })).toMatchObject({ awardedBy: alias });
    expect(await h.db.announcement.findMany({ select: { title: true, createdBy: true } })).toEqual([{ title: 'Erasmus+ info day', createdBy: alias }]);
    expect(await h.db.event.findMany({ where: { source: 'announcement' }, select: { title: true, createdBy: true, draft: true } })).toEqual([{ title: { en: 'Erasmus+ info day' }, createdBy: alias, draft: false }]);
    const kept = await h.db.badgeAward.findUniqueOrThrow({ where: { id: award.id }, include: { person: true } });
    expect(kept).toMatchObject({ statusIndex: award.statusIndex, showName: false, revokedAt: null, person: { name: null, email: null, aadObjectId: null, erasedAt: expect.any(Date) } });
    expect(kept.credential).toEqual(award.credential);
    expect(await h.badges.verify(kept.credential as object)).toMatchObject({ verified: true, revoked: false });
    expect((await badgePage(h.db, h.badges, award.id, 'en'))!.recipientName).toBeNull();

    // Her next message starts afresh: a new, empty profile and the welcome card.
    const [welcome] = await h.say(tiina, 'hello');
    expect(cardText(welcome)).toContain('Welcome to REX VET Mentor');
    const fresh = await h.person(tiina);
    expect(fresh.id).not.toBe(ids.tiina);
    expect(fresh).toMatchObject({ onboardedAt: null, jobRole: null, grants: [] });

    // The old confirmation card, replayed, erases nothing of the new profile (or anyone else's).
    const beforeReplay = await snapshotTables(h.db);
    expect(cardText(await h.execute(tiina, confirm.verb, confirm.data))).toContain('nothing was deleted');
    expect(await snapshotTables(h.db)).toEqual(beforeReplay);
    expect((await h.person(anna)).grants).toMatchObject([{ role: 'admin', scope: 'partnership' }]);
  }, 120_000);

  it('a double click erases once and records one erasure', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.onboarded([tiina]);
    const confirm = cardButtons((await h.say(tiina, 'delete my data'))[0]).find((b) => b.verb === 'privacy.eraseConfirm')!;
    const cards = await Promise.all([h.execute(tiina, confirm.verb, confirm.data), h.execute(tiina, confirm.verb, confirm.data)]);
    for (const c of cards) expect(cardText(c)).toMatch(/Your data is deleted|nothing was deleted/);
    expect(cardText(cards[0])).toContain('Your data is deleted');
    expect(await h.db.auditLog.count({ where: { action: 'privacy.erase' } })).toBe(1);
    expect(await h.db.person.count({ where: { onboardedAt: { not: null } } })).toBe(0);
  });

  it('a forged confirmation for someone else erases nothing', async () => {
    const tiina = makeUser('Tiina Teacher');
    const matti = makeUser('Matti Manager');
    h = await BotHarness.onboarded([tiina, matti]);
    const before = await snapshotTables(h.db);
    const card = await h.execute(matti, 'privacy.eraseConfirm', { profile: (await h.person(tiina)).id });
    expect(cardText(card)).toContain('nothing was deleted');
    expect(cardText(await h.execute(matti, 'privacy.eraseConfirm', { profile: 'x'.repeat(65) }))).toContain('not valid');
    expect(await snapshotTables(h.db)).toEqual(before);
  });
});

describe('data rights: retention', () => {
  it('erases profiles unused for RETENTION_INACTIVE_MONTHS at night, demo staff too, as the system; people who came back stay', async () => {
    const pia = makeUser('Pia Passive');
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [pia, tiina], env: { ORG_TENANTS: `luovi:${TENANT}`, RETENTION_INACTIVE_MONTHS: '12', PRIVACY_PSEUDONYM_KEY: KEY } });
    await h.onboard(pia);
    await h.onboard(tiina);
    const piaId = (await h.person(pia)).id;
    await h.db.person.create({ data: { teamsUserId: '29:demo-1', name: 'Demo Person', organisationId: 'luovi', demo: true, onboardedAt: h.clock.now(), lastSeenAt: h.clock.now() } });
    h.clock.set('2027-11-20T10:00:00Z');
    await h.say(tiina, 'hello');

    // 03:40 in Helsinki on 1 December 2027: twelve months and a day after Pia's last message.
    h.clock.set('2027-12-01T01:40:00Z');
    const ticks = await h.runDue();
    expect(ticks.find((t) => t.name === 'retention')).toMatchObject({ occurrences: 1, queued: 2 });
    expect(await h.db.person.findMany({ where: { erasedAt: null }, select: { name: true } })).toEqual([{ name: 'Tiina Teacher' }]);
    expect(await h.db.auditLog.findMany({ where: { action: 'privacy.erase' }, select: { actor: true, target: true, details: true } })).toEqual(
      expect.arrayContaining([{ actor: 'system', target: pseudonym(KEY, piaId), details: { reason: 'retention', badgesKept: 0 } }]),
    );
    expect(await h.db.auditLog.count({ where: { action: 'privacy.erase' } })).toBe(2);

    // The next night finds nothing more; Pia writing again starts afresh.
    h.clock.set('2027-12-02T01:40:00Z');
    expect((await h.runDue()).find((t) => t.name === 'retention')).toMatchObject({ queued: 0 });
    expect(cardText((await h.say(pia, 'hello'))[0])).toContain('Welcome to REX VET Mentor');
  });
});

describe('data rights: nightly clean-up', () => {
  it('deletes expired download links and empties messages finished more than 30 days ago; the rows (reports, keys) stay', async () => {
    const anna = makeUser('Anna Admin');
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [anna, tiina], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT}` } });
    await h.onboard(anna);
    await h.onboard(tiina, { jobRole: 'coordinator' }); // the card asking Anna to decide: Tiina's name and e-mail
    await h.say(tiina, 'my data');
    const delivery = { organisationId: 'luovi', name: 'rexvet-delivery', rows: [['recipient', 'e-mail'], [tiina.name, tiina.email]], note: '', createdBy: `person:${(await h.person(anna)).id}`, format: 'csv' as const };
    await createRowsExport(h.db, h.clock, delivery);
    const card = await h.db.job.findFirstOrThrow({ where: { idempotencyKey: { startsWith: 'notify:request:' } } });
    expect(str(card.payload)).toContain(tiina.email);
    // The worker stamps finishedAt from the wall clock: here, the harness's business day. A change notice finished
    // three weeks later, a sent reminder (its buttons read its payload) and a notice still waiting.
    await h.db.job.update({ where: { id: card.id }, data: { finishedAt: h.clock.now() } });
    const tiinaId = (await h.person(tiina)).id;
    const changes = { eventId: 'ev-1', revision: 1, cancelled: false, changes: [{ field: 'where', from: 'Room 12', to: 'Main hall' }] };
    await h.db.job.create({ data: { kind: 'event-change', idempotencyKey: `event-change:ev-1:1:${tiinaId}`, payload: changes, personId: tiinaId, status: 'sent', runAt: new Date('2026-12-20T08:00:00Z'), createdAt: new Date('2026-12-20T08:00:00Z'), finishedAt: new Date('2026-12-20T08:00:00Z') } });
    const reminder = { type: 'nudge', refId: 'plan-1', expiresAt: '2026-12-02T00:00:00.000Z' };
    await h.db.job.create({ data: { kind: 'reminder', idempotencyKey: `reminder:nudge:plan-1:${tiinaId}`, payload: reminder, personId: tiinaId, status: 'sent', runAt: h.clock.now(), createdAt: h.clock.now(), finishedAt: h.clock.now() } });
    await h.db.job.create({ data: { kind: 'notify', idempotencyKey: `notify:later:${tiinaId}`, payload: { to: { personId: tiinaId }, card: { body: [tiina.name] }, summary: 'later' }, personId: tiinaId, status: 'queued', runAt: new Date('2027-06-01T08:00:00Z'), createdAt: h.clock.now() } });
    const jobsBefore = await h.db.job.findMany({ orderBy: { id: 'asc' }, select: { id: true, idempotencyKey: true, status: true, finishedAt: true } });

    // 03:40 in Helsinki on 1 January 2027; a manager downloaded a delivery list five minutes ago.
    h.clock.set('2027-01-01T01:35:00Z');
    const { token: live } = await createRowsExport(h.db, h.clock, delivery);
    h.clock.set('2027-01-01T01:40:00Z');
    await h.runDue();
    expect(await h.db.exportLink.findMany({ select: { tokenHash: true } })).toEqual([{ tokenHash: hashLinkToken(live) }]);
    expect(await h.db.privacyExport.count()).toBe(0);
    expect(await h.db.job.findMany({ orderBy: { id: 'asc' }, select: { id: true, idempotencyKey: true, status: true, finishedAt: true } })).toEqual(jobsBefore);
    const payload = async (key: string) => (await h.db.job.findFirstOrThrow({ where: { idempotencyKey: { startsWith: key } } })).payload;
    expect(await payload('notify:request:')).toEqual({ pruned: true });
    expect(await payload('event-change:')).toEqual(changes);
    expect(await payload('reminder:')).toEqual(reminder);
    expect(str(await payload('notify:later:'))).toContain(tiina.name);

    // The next night rewrites nothing.
    const jobs = await h.db.job.findMany({ orderBy: { id: 'asc' } });
    h.clock.set('2027-01-02T01:40:00Z');
    await h.runDue();
    expect(await h.db.job.findMany({ orderBy: { id: 'asc' } })).toEqual(jobs);
  });
});

describe('privacy notice', () => {
  it.each([
    ['en-US', 'privacy', ['at least 7 people', 'unused for 18 months', '"my data"', '"delete my data"', 'Managers see only anonymous totals']],
    ['fi-FI', 'tietosuoja', ['vähintään 7 hengen', 'ei ole käytetty 18 kuukauteen', '"omat tiedot"', '"poista tietoni"', 'Esihenkilöt näkevät vain']],
  ])('%s: the welcome card and `%s` say what is stored, who sees what, how long, and how to export or delete', async (locale, word, phrases) => {
    const tiina = makeUser('Tiina Teacher', { locale });
    h = await BotHarness.create({ users: [tiina], env: { PRIVACY_MIN_GROUP: '7', RETENTION_INACTIVE_MONTHS: '18' } });
    const welcome = cardText((await h.install(tiina))[0]);
    for (const p of phrases) expect(welcome).toContain(p);
    const [card] = await h.say(tiina, word);
    const text = cardText(card);
    expect(text).toMatch(locale === 'en-US' ? /What is stored[\s\S]*Who sees what[\s\S]*How long[\s\S]*Your rights/ : /Mitä tallennetaan[\s\S]*Kuka näkee mitä[\s\S]*Kuinka kauan[\s\S]*Oikeutesi/);
    expect(text).toContain(locale === 'en-US' ? 'at least 7 people' : 'vähintään 7 hengen');
    expect(text).toContain(locale === 'en-US' ? 'used for 18 months' : 'käyttänyt 18 kuukauteen');
    expect(cardButtons(card).map((b) => b.verb)).toEqual(['privacy.export', 'privacy.eraseAsk', 'help.show']);
  });
});
