import { afterEach, describe, expect, it } from '@jest/globals';
import { passModule } from '../helpers/modules.js';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { SERVICE_URL, TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { revokeBadge } from '../../src/features/badges/badges.service.js';
import { QueueNotifier } from '../../src/jobs/notifier.js';

let h: BotHarness;
afterEach(async () => h?.close());

const STATEMENTS: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };

/** Self-assessment: every area Explorer (2) except Intercultural competence — Rookie (1) unless given. */
async function assess(user: TestUser, icc: { score: string; evidence?: string } = { score: '1' }) {
  let card = await h.execute(user, 'assessment.start');
  for (const [area, n] of Object.entries(STATEMENTS)) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    const scores = Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, area === 'ICC' ? icc.score : '2']));
    const notes = area === 'ICC' && icc.evidence ? Object.fromEntries(Array.from({ length: n }, (_, i) => [`evidence:${area}.${i + 1}`, `${icc.evidence} ${i + 1}`])) : {};
    card = await h.execute(user, next.verb, { ...next.data, ...scores, ...notes });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  await h.execute(user, finish.verb, finish.data);
}

const earnedCards = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => cardText(c).includes('You earned a badge')) as CardJson[];

describe('Open Badges in Teams', () => {
  it('passing the first module of an area assessed Explorer earns that area’s Explorer badge: a verifiable credential and a card', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.onboarded([tiina]);
    await assess(tiina);
    expect(await h.db.badgeAward.count()).toBe(0);
    await passModule(h, tiina, 'EU-L1-L2');

    const [card] = earnedCards(tiina);
    expect(cardText(card)).toContain('Explorer: Europe and the EU in my work');
    const award = await h.db.badgeAward.findFirstOrThrow();
    expect(award).toMatchObject({ badgeClassId: 'EU-L2', awardedBy: 'rules', revokedAt: null });
    const links = JSON.stringify(card);
    expect(links).toContain(`/badges/c/${award.id}`);
    expect(links).toContain('https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME');
    expect(await h.badges.verify(award.credential as object)).toEqual({ verified: true, revoked: false, problems: [] });
    const credential = award.credential as { credentialSubject: { achievement: { alignment: { targetCode: string }[] } }; evidence: { name: string }[] };
    expect(credential.credentialSubject.achievement.alignment[0]!.targetCode).toBe('EU-L2');
    expect(credential.evidence.map((e) => e.name)).toEqual(expect.arrayContaining(['REX VET self-assessment']));
    expect(JSON.stringify(credential)).not.toContain(tiina.email);

    const [list] = await h.say(tiina, 'badges');
    expect(cardText(list)).toContain('Explorer: Europe and the EU in my work');
    // Revoked, it stays revoked: a later check (another module) issues VET's badge but not this one again.
    await revokeBadge({ db: h.db, clock: h.clock, issuer: h.badges, notifier: new QueueNotifier({ db: h.db, clock: h.clock }), defaultLanguage: 'en' }, { ref: award.id, reason: 'Test', actor: 'cli:test' });
    await passModule(h, tiina, 'VET-L1-L2');
    expect(await h.db.badgeAward.count({ where: { badgeClassId: 'EU-L2' } })).toBe(1);
    expect(earnedCards(tiina).map((c) => cardText(c))).toEqual([expect.stringContaining('Europe and the EU'), expect.stringContaining('VET systems')]);
  });

  it('no badge while the area is assessed Rookie, even with its module passed', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.onboarded([tiina]);
    await assess(tiina);
    await passModule(h, tiina, 'ICC-L1-L2');
    expect(await h.db.badgeAward.count()).toBe(0);
    expect(earnedCards(tiina)).toHaveLength(0);
    const [list] = await h.say(tiina, 'badges');
    expect(cardText(list)).toContain('No badges yet.');
  });

  it('Practitioner needs a review: the person applies with evidence, a coordinator of their organisation approves, the badge is issued', async () => {
    const tiina = makeUser('Tiina Teacher');
    const cora = makeUser('Cora Coordinator');
    const otto = makeUser('Otto Outsider', { tenantId: 'ee000000-0000-4000-8000-000000000001' });
    h = await BotHarness.create({ users: [tiina, cora, otto], env: { ORG_TENANTS: `luovi:${TENANT},ee-partner:ee000000-0000-4000-8000-000000000001` } });
    await h.onboard(tiina);
    await h.onboard(cora);
    await h.onboard(otto);
    await h.db.grant.create({ data: { personId: (await h.person(cora)).id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
    await h.db.grant.create({ data: { personId: (await h.person(otto)).id, role: 'coordinator', scope: 'ee-partner', grantedBy: 'test' } });
    await assess(tiina, { score: '3', evidence: 'Hosted a group from Tallinn' });

    const [list] = await h.say(tiina, 'badges');
    const apply = cardButtons(list).find((b) => b.verb === 'badges.apply' && b.data.badgeId === 'ICC-L3')!;
    const form = await h.execute(tiina, apply.verb, apply.data);
    expect(cardText(form)).toContain('Hosted a group from Tallinn 1');
    const sent = await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L3', evidence: 'I led the hosting of three Estonian students in spring 2026.' });
    expect(cardText(sent)).toContain('1 reviewer(s) of your organisation got your application');
    await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L3', evidence: 'again' });
    expect(await h.db.badgeApplication.count()).toBe(1);

    const [review] = h.connector.cardsTo(personalConversationId(cora)).filter((c) => cardText(c).includes('A badge application to review'));
    expect(cardText(review)).toContain('I led the hosting of three Estonian students');
    expect(h.connector.cardsTo(personalConversationId(otto)).filter((c) => cardText(c).includes('A badge application'))).toHaveLength(0);
    const approve = cardButtons(review).find((b) => b.data.decision === 'approve')!;

    // Someone else's organisation, the applicant themself, a forged decision: refused, nothing changes.
    expect(cardText(await h.execute(otto, approve.verb, approve.data))).not.toContain('Approved');
    expect(cardText(await h.execute(tiina, approve.verb, approve.data))).not.toContain('Approved');
    expect(await h.db.badgeAward.count()).toBe(0);

    const more = cardButtons(review).find((b) => b.data.decision === 'more')!;
    expect(cardText(await h.execute(cora, more.verb, more.data))).toContain('Please write a comment');
    const done = await h.execute(cora, approve.verb, { ...approve.data, comment: 'Well documented.' });
    expect(cardText(done)).toContain('Approved — the badge is issued');
    const late = await h.execute(cora, more.verb, { ...more.data, comment: 'Too late' });
    expect(cardText(late)).toContain('Already decided by Cora Coordinator');
    const award = await h.db.badgeAward.findFirstOrThrow();
    expect(award).toMatchObject({ badgeClassId: 'ICC-L3', awardedBy: `person:${(await h.person(cora)).id}` });
    expect(earnedCards(tiina).map((c) => cardText(c))).toEqual([expect.stringContaining('Practitioner: Intercultural competence')]);
    expect(await h.badges.verify(award.credential as object)).toMatchObject({ verified: true, revoked: false });
    // The reviewer's comment was for the applicant: the public credential only says the evidence was reviewed.
    expect(JSON.stringify(award.credential)).not.toContain('Well documented.');
    expect(JSON.stringify(award.credential)).toContain('Reviewed evidence');
  });

  it('asking for more tells the applicant with the comment, and they can apply again', async () => {
    const tiina = makeUser('Tiina Teacher');
    const mia = makeUser('Mia Mentor');
    h = await BotHarness.onboarded([tiina, mia]);
    await h.db.grant.create({ data: { personId: (await h.person(mia)).id, role: 'mentor', scope: 'luovi', grantedBy: 'test' } });
    await assess(tiina, { score: '3', evidence: 'Hosted a group' });
    await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L3', evidence: 'Some evidence.' });
    const [review] = h.connector.cardsTo(personalConversationId(mia)).filter((c) => cardText(c).includes('A badge application to review'));
    const more = cardButtons(review).find((b) => b.data.decision === 'more')!;
    expect(cardText(await h.execute(mia, more.verb, { ...more.data, comment: 'Add the feedback from the students.' }))).toContain('More evidence asked for');
    const told = h.connector.cardsTo(personalConversationId(tiina)).find((c) => cardText(c).includes('More evidence, please'))!;
    expect(cardText(told)).toContain('Add the feedback from the students.');
    expect(cardText(await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L3', evidence: 'With the students\' feedback.' }))).toContain('got your application');
    expect(await h.db.badgeApplication.count()).toBe(2);
  });

  it('attending an event on an area assessed Explorer earns that area’s Explorer badge; the credential names the event and when', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.onboarded([tiina]);
    await assess(tiina, { score: '2' }); // Intercultural competence: Explorer, and no module passed
    await h.db.event.create({ data: { id: 'ws-tallinn', type: 'workshop', title: { en: 'Workshop in Tallinn' }, startsAt: new Date('2026-12-02T08:00:00Z'), endsAt: new Date('2026-12-02T14:00:00Z'), timeZone: 'Europe/Tallinn', areas: ['ICC'] } });
    await h.db.rsvp.create({ data: { personId: (await h.person(tiina)).id, eventId: 'ws-tallinn', status: 'going', updatedAt: h.clock.now() } });
    expect(await h.db.badgeAward.count()).toBe(0);

    // The day after: "Did you attend?" — one click.
    h.clock.set('2026-12-03T07:00:30Z');
    await h.runDue();
    const reminder = h.connector.cardsTo(personalConversationId(tiina)).find((c) => cardText(c).includes('Did you attend?'))!;
    const attended = cardButtons(reminder).find((b) => b.verb === 'events.attended')!;
    expect(cardText(await h.execute(tiina, attended.verb, attended.data))).toContain('counts toward the badges of its areas');
    await h.execute(tiina, attended.verb, attended.data); // a double click awards nothing more

    expect(earnedCards(tiina).map((c) => cardText(c))).toEqual([expect.stringContaining('Explorer: Intercultural competence')]);
    const award = await h.db.badgeAward.findFirstOrThrow();
    expect(award).toMatchObject({ badgeClassId: 'ICC-L2', awardedBy: 'rules' });
    const evidence = (award.credential as { evidence: { type: string[]; name: string; narrative: string }[] }).evidence;
    expect(evidence).toContainEqual(expect.objectContaining({ name: 'Workshop in Tallinn', narrative: 'Attended the event (2026-12-02); confirmed by the holder after it.' }));
    expect(await h.badges.verify(award.credential as object)).toEqual({ verified: true, revoked: false, problems: [] });
    expect(await h.db.badgeAward.count()).toBe(1);
  });

  it('events attended on an area are Practitioner evidence: listed on the application and the review card, and in the credential', async () => {
    const tiina = makeUser('Tiina Teacher');
    const cora = makeUser('Cora Coordinator');
    h = await BotHarness.onboarded([tiina, cora]);
    await h.db.grant.create({ data: { personId: (await h.person(cora)).id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
    await assess(tiina, { score: '3' }); // Practitioner in Intercultural competence, but no notes to show it
    const tiinaId = (await h.person(tiina)).id;
    const events = [
      { id: 'ws-tallinn', title: { en: 'Workshop in Tallinn' }, startsAt: new Date('2026-12-02T08:00:00Z'), endsAt: new Date('2026-12-02T14:00:00Z'), timeZone: 'Europe/Tallinn', areas: ['ICC'] },
      { id: 'me-oulu', title: { en: 'Multiplier event in Oulu' }, startsAt: new Date('2026-12-04T08:00:00Z'), endsAt: new Date('2026-12-05T13:00:00Z'), timeZone: 'Europe/Helsinki', areas: ['ICC', 'MOB'] },
      { id: 'mob-webinar', title: { en: 'Mobility webinar' }, startsAt: new Date('2026-12-03T12:00:00Z'), endsAt: new Date('2026-12-03T13:00:00Z'), timeZone: 'Europe/Helsinki', areas: ['MOB'] },
    ];
    for (const e of events) {
      await h.db.event.create({ data: { ...e, type: 'workshop' } });
      await h.db.rsvp.create({ data: { personId: tiinaId, eventId: e.id, status: 'going', updatedAt: h.clock.now() } });
    }
    const applyButton = async () => cardButtons((await h.say(tiina, 'badges'))[0]).find((b) => b.verb === 'badges.apply' && b.data.badgeId === 'ICC-L3');
    expect(await applyButton()).toBeUndefined();

    h.clock.set('2026-12-06T10:00:00Z');
    for (const e of events) await h.execute(tiina, 'events.attended', { eventId: e.id });
    const apply = (await applyButton())!;
    expect(apply).toBeDefined();
    const form = cardText(await h.execute(tiina, apply.verb, apply.data));
    expect(form).toContain('Events on this area you attended\n• Workshop in Tallinn (2026-12-02)\n• Multiplier event in Oulu (2026-12-04 – 2026-12-05)');
    expect(form).not.toContain('Mobility webinar'); // another area's event

    await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L3', evidence: 'I brought what I learned in Tallinn and Oulu into my own teaching.' });
    const [review] = h.connector.cardsTo(personalConversationId(cora)).filter((c) => cardText(c).includes('A badge application to review'));
    expect(cardText(review)).toContain('Events on this area they attended\n• Workshop in Tallinn (2026-12-02)\n• Multiplier event in Oulu (2026-12-04 – 2026-12-05)');
    const approve = cardButtons(review).find((b) => b.data.decision === 'approve')!;
    expect(cardText(await h.execute(cora, approve.verb, approve.data))).toContain('Approved — the badge is issued');

    const award = await h.db.badgeAward.findFirstOrThrow({ where: { badgeClassId: 'ICC-L3' } });
    const names = (award.credential as { evidence: { name: string }[] }).evidence.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['Workshop in Tallinn', 'Multiplier event in Oulu', 'Reviewed evidence']));
    expect(names).not.toContain('Mobility webinar');
    expect(await h.badges.verify(award.credential as object)).toMatchObject({ verified: true, revoked: false });
  });

  it('an application for a badge the rules do not allow yet is refused', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.onboarded([tiina]);
    await assess(tiina);
    const refused = await h.execute(tiina, 'badges.submit', { badgeId: 'ICC-L4', evidence: 'I am an expert.' });
    expect(cardText(refused)).not.toContain('got your application');
    expect(await h.db.badgeApplication.count()).toBe(0);
  });

  it('celebrates in a team channel only on the person’s click, once; nobody else can, and the name on the page is their choice', async () => {
    const tiina = makeUser('Tiina Teacher');
    const matti = makeUser('Matti Teacher');
    h = await BotHarness.onboarded([tiina, matti]);
    const channelId = '19:general-luovi@thread.tacv2';
    await h.db.conversation.create({
      data: {
        id: channelId, kind: 'channel', tenantId: TENANT, teamId: '19:team-luovi', teamName: 'Luovi International', channelName: 'General', serviceUrl: SERVICE_URL,
        reference: { channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: channelId, conversationType: 'channel', tenantId: TENANT }, bot: { id: '28:rexvet-bot', name: 'REX VET Mentor' } },
      },
    });
    await assess(tiina);
    await passModule(h, tiina, 'EU-L1-L2');
    expect(h.connector.cardsTo(channelId)).toHaveLength(0);

    const [earned] = earnedCards(tiina);
    const form = cardButtons(earned).find((b) => b.verb === 'badges.celebrateForm')!;
    const choose = await h.execute(tiina, form.verb, form.data);
    expect(cardText(choose)).toContain('Luovi International › General');
    expect(h.connector.cardsTo(channelId)).toHaveLength(0);
    expect(cardText(await h.execute(matti, form.verb, form.data))).not.toContain('Luovi International › General');

    const post = cardButtons(choose).find((b) => b.verb === 'badges.celebrate')!;
    expect(cardText(await h.execute(tiina, post.verb, { ...post.data, conversationId: channelId }))).toContain('Your badge will appear in Luovi International › General');
    expect(cardText(await h.execute(tiina, post.verb, { ...post.data, conversationId: channelId }))).toContain('Already posted');
    await h.execute(tiina, post.verb, { ...post.data, conversationId: '19:some-other-channel' });
    const posted = h.connector.cardsTo(channelId);
    expect(posted).toHaveLength(1);
    expect(cardText(posted[0])).toContain('🎉 Tiina Teacher earned a badge');
    expect(cardText(posted[0])).toContain('Explorer: Europe and the EU in my work');

    const award = await h.db.badgeAward.findFirstOrThrow();
    expect(award.showName).toBe(false);
    const show = cardButtons(earned).find((b) => b.verb === 'badges.showName')!;
    await h.execute(matti, show.verb, show.data);
    expect((await h.db.badgeAward.findFirstOrThrow()).showName).toBe(false);
    expect(cardText(await h.execute(tiina, show.verb, show.data))).toContain('Your name now appears');
    expect((await h.db.badgeAward.findFirstOrThrow()).showName).toBe(true);
  });

  it('a coordinator awards a badge directly in Teams, only to people of their organisation', async () => {
    const tiina = makeUser('Tiina Teacher');
    const cora = makeUser('Cora Coordinator');
    const otto = makeUser('Otto Outsider', { tenantId: 'ee000000-0000-4000-8000-000000000001' });
    h = await BotHarness.create({ users: [tiina, cora, otto], env: { ORG_TENANTS: `luovi:${TENANT},ee-partner:ee000000-0000-4000-8000-000000000001` } });
    for (const u of [tiina, cora, otto]) await h.onboard(u);
    await h.db.grant.create({ data: { personId: (await h.person(cora)).id, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });

    const [form] = await h.say(cora, 'award');
    expect(cardText(form)).toContain('Tiina Teacher');
    expect(cardText(form)).not.toContain('Otto Outsider');
    const tiinaId = (await h.person(tiina)).id;
    const note = 'Took part in the training activity in Tallinn, 10–14 March 2027.';
    expect(cardText(await h.execute(cora, 'badges.award', { personId: (await h.person(otto)).id, badgeId: 'MOB-L2', note }))).not.toContain('Badge awarded');
    expect(cardText(await h.execute(cora, 'badges.award', { personId: (await h.person(cora)).id, badgeId: 'MOB-L2', note }))).not.toContain('Badge awarded');
    expect(cardText(await h.execute(tiina, 'badges.award', { personId: tiinaId, badgeId: 'MOB-L2', note }))).not.toContain('Badge awarded');
    expect(await h.db.badgeAward.count()).toBe(0);

    const done = await h.execute(cora, 'badges.award', { personId: tiinaId, badgeId: 'MOB-L2', note });
    expect(cardText(done)).toContain('Tiina Teacher now holds Explorer: Managing international projects and mobility');
    expect(cardText(await h.execute(cora, 'badges.award', { personId: tiinaId, badgeId: 'MOB-L2', note }))).toContain('already holds');
    const award = await h.db.badgeAward.findFirstOrThrow();
    expect((award.credential as { evidence: { narrative: string }[] }).evidence.map((e) => e.narrative)).toContain(note);
    expect(earnedCards(tiina)).toHaveLength(1);
  });
});
