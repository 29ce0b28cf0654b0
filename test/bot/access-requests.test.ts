import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';

let h: BotHarness;
afterEach(async () => h?.close());

const anna = makeUser('Anna Admin');
const matti = makeUser('Matti Manager');

async function setup(env: Record<string, string> = {}) {
  h = await BotHarness.create({ users: [anna, matti], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT}`, ...env } });
  await h.onboard(anna, { organisationId: 'luovi' });
}

describe('choosing the manager job role', () => {
  it('grants nothing by itself, sends the admin a request card, and an approval grants the role and tells the person', async () => {
    await setup();
    const saved = await h.onboard(matti, { jobRole: 'manager' });
    expect(cardText(saved)).toContain('I asked your organisation');
    expect((await h.person(matti)).grants).toEqual([]);

    const [requestCard] = h.connector.cardsTo(personalConversationId(anna));
    expect(cardText(requestCard)).toContain('Matti Manager asks to be confirmed as manager at Ammattiopisto Luovi');
    const approve = cardButtons(requestCard).find((b) => b.verb === 'requests.approve')!;

    const decided = await h.execute(anna, approve.verb, approve.data);
    expect(cardText(decided)).toContain('Approved by Anna Admin');
    expect(cardButtons(decided).map((b) => b.verb)).toEqual(['requests.list']);
    expect((await h.person(matti)).grants).toMatchObject([{ role: 'manager', scope: 'luovi' }]);
    const [told] = h.connector.cardsTo(personalConversationId(matti));
    expect(cardText(told)).toContain('Your request was approved');
    expect(await h.db.auditLog.count({ where: { action: 'request.approved' } })).toBe(1);
  });

  it('records a double click or a replayed approval once and answers with the decision already made', async () => {
    await setup();
    await h.onboard(matti, { jobRole: 'manager' });
    const approve = cardButtons(h.connector.cardsTo(personalConversationId(anna))[0]).find((b) => b.verb === 'requests.approve')!;
    await h.execute(anna, approve.verb, approve.data);
    const sentBefore = h.connector.sent.length;
    const before = await snapshotTables(h.db);
    const again = await h.execute(anna, approve.verb, approve.data);
    const declineLate = await h.execute(anna, 'requests.decline', approve.data);
    expect(cardText(again)).toContain('Approved by Anna Admin');
    expect(cardText(declineLate)).toContain('Approved by Anna Admin');
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(h.connector.sent.length).toBe(sentBefore);
  });

  it('a decline records the decision and tells the person, with no grant', async () => {
    await setup();
    await h.onboard(matti, { jobRole: 'manager' });
    const decline = cardButtons(h.connector.cardsTo(personalConversationId(anna))[0]).find((b) => b.verb === 'requests.decline')!;
    const decided = await h.execute(anna, decline.verb, decline.data);
    expect(cardText(decided)).toContain('Declined by Anna Admin');
    expect((await h.person(matti)).grants).toEqual([]);
    expect(cardText(h.connector.cardsTo(personalConversationId(matti))[0])).toContain('Your request was declined');
  });

  it('asking again while a request is open sends no second card', async () => {
    await setup();
    await h.onboard(matti, { jobRole: 'manager' });
    await h.execute(matti, 'settings.save', { language: 'en', jobRole: 'manager' });
    expect(h.connector.cardsTo(personalConversationId(anna))).toHaveLength(1);
    expect(await h.db.accessRequest.count()).toBe(1);
  });

  it('an admin of another organisation cannot decide, even with the real request id', async () => {
    const eeAdmin = makeUser('Eeva Estonia', { tenantId: 'other-tenant' });
    await setup({ ORG_TENANTS: `luovi:${TENANT},ee-partner:other-tenant` });
    h.connector.knows(eeAdmin);
    await h.onboard(eeAdmin);
    await h.db.grant.create({ data: { personId: (await h.person(eeAdmin)).id, role: 'admin', scope: 'ee-partner', grantedBy: 'test' } });
    await h.onboard(matti, { jobRole: 'manager' });
    const approve = cardButtons(h.connector.cardsTo(personalConversationId(anna))[0]).find((b) => b.verb === 'requests.approve')!;
    const before = await snapshotTables(h.db);
    const refused = await h.execute(eeAdmin, approve.verb, approve.data);
    expect(cardText(refused)).toContain('needs a permission you don');
    expect(await snapshotTables(h.db)).toEqual(before);
  });
});

describe('organisation requests (unmapped tenant, as in local mode)', () => {
  it('a person picks their organisation, an admin confirms it, and the person is told', async () => {
    await setup({ ORG_TENANTS: '' });
    const saved = await h.onboard(matti, { jobRole: 'teacher', organisationId: 'luovi' });
    expect(cardText(saved)).toContain('An admin will confirm your organisation');
    expect((await h.person(matti)).organisationId).toBeNull();
    const card = h.connector.cardsTo(personalConversationId(anna))[0];
    expect(cardText(card)).toContain('Matti Manager says they work at Ammattiopisto Luovi');
    const approve = cardButtons(card).find((b) => b.verb === 'requests.approve')!;
    await h.execute(anna, approve.verb, approve.data);
    expect((await h.person(matti)).organisationId).toBe('luovi');
  });

  it('an admin who picks an organisation in their scope is assigned at once', async () => {
    await setup({ ORG_TENANTS: '' });
    const annaPerson = await h.person(anna);
    expect(annaPerson.organisationId).toBe('luovi');
    expect(await h.db.accessRequest.count()).toBe(0);
  });

  it('the requests command lists what is pending for the admin', async () => {
    await setup({ ORG_TENANTS: '' });
    await h.onboard(matti, { jobRole: 'manager', organisationId: 'luovi' });
    const [list] = await h.say(anna, 'requests');
    const text = cardText(list);
    expect(text).toContain('Matti Manager says they work at Ammattiopisto Luovi');
    expect(text).toContain('Matti Manager asks to be confirmed as manager at Ammattiopisto Luovi');
    expect(cardButtons(list).filter((b) => b.verb === 'requests.approve')).toHaveLength(2);
  });
});

describe('requests stay consistent with what the person wants now', () => {
  const approveFor = (text: string) => {
    const card = h.connector.cardsTo(personalConversationId(anna)).find((c) => cardText(c).includes(text))!;
    return cardButtons(card).find((b) => b.verb === 'requests.approve')!;
  };
  const declineFor = (text: string) => {
    const card = h.connector.cardsTo(personalConversationId(anna)).find((c) => cardText(c).includes(text))!;
    return cardButtons(card).find((b) => b.verb === 'requests.decline')!;
  };

  it('a manager request made while the organisation awaits an admin is asked in that organisation, and waits for it', async () => {
    await setup({ ORG_TENANTS: '' });
    const saved = await h.onboard(matti, { jobRole: 'manager', organisationId: 'luovi' });
    expect(cardText(saved)).toContain('I asked your organisation');
    expect(await h.db.accessRequest.findMany({ where: { status: 'pending' }, select: { kind: true, organisationId: true } })).toEqual(
      expect.arrayContaining([{ kind: 'organisation', organisationId: 'luovi' }, { kind: 'grant', organisationId: 'luovi' }]),
    );
    const early = await h.execute(anna, 'requests.approve', approveFor('asks to be confirmed as manager').data);
    expect(cardText(early)).toContain('Approve (or decline) their organisation first');
    expect((await h.person(matti)).grants).toEqual([]);
    await h.execute(anna, 'requests.approve', approveFor('says they work at').data);
    await h.execute(anna, 'requests.approve', approveFor('asks to be confirmed as manager').data);
    expect((await h.person(matti)).grants).toMatchObject([{ role: 'manager', scope: 'luovi' }]);
  });

  it('declining the organisation withdraws the grant request made for it', async () => {
    await setup({ ORG_TENANTS: '' });
    await h.onboard(matti, { jobRole: 'manager', organisationId: 'luovi' });
    await h.execute(anna, 'requests.decline', declineFor('says they work at').data);
    const late = await h.execute(anna, 'requests.approve', approveFor('asks to be confirmed as manager').data);
    expect(cardText(late)).toContain('Withdrawn');
    expect((await h.person(matti)).grants).toEqual([]);
  });

  it('changing the job role away from manager withdraws the open manager request', async () => {
    await setup();
    await h.onboard(matti, { jobRole: 'manager' });
    await h.execute(matti, 'settings.save', { language: 'en', jobRole: 'teacher' });
    const late = await h.execute(anna, 'requests.approve', approveFor('asks to be confirmed as manager').data);
    expect(cardText(late)).toContain('Withdrawn');
    expect((await h.person(matti)).grants).toEqual([]);
  });

  it('a double click on Save (two turns at once) answers both with the saved card and opens one request', async () => {
    await setup();
    h.connector.knows(matti);
    await h.say(matti, 'hello');
    const form = { language: 'en', jobRole: 'manager' };
    const [a, b] = await Promise.all([h.execute(matti, 'onboarding.save', form), h.execute(matti, 'onboarding.save', form)]);
    for (const card of [a, b]) expect(cardText(card)).not.toContain('went wrong');
    expect(await h.db.accessRequest.count({ where: { kind: 'grant', status: 'pending' } })).toBe(1);
  });
});
