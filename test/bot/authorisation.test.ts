import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { POLICIES, type Action } from '../../src/features/people/authorise.js';
import { GRANT_ROLES, PARTNERSHIP, type GrantRole } from '../../src/features/people/roles.js';
import { BotHarness, cardButtons, cardText } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { FakeConnector } from '../helpers/connector.js';
import { snapshotTables } from '../helpers/db.js';

/**
 * Enumerates every command and card verb the bot registers and, for every kind of person — a teacher, each grant
 * for Luovi, the same for another organisation, the same for the whole partnership — proves the outcome POLICIES
 * promises: without the role, the refusal card and nothing changes. Then it forges, with the real ids of Luovi's
 * objects, every action that names a target, as holders of the same roles in another organisation. A new command or
 * verb is covered without editing this file; a new grant verb must say below whether it takes a target.
 */
const EE_TENANT = 'ee000000-0000-4000-8000-0000000000ee';
const REFUSED = 'needs a permission you don';
const NOT_FOUND = "couldn't find that";

type Kind = { key: string; role?: GrantRole; scope?: string; user: TestUser };
const kinds: Kind[] = [
  { key: 'teacher@luovi', user: makeUser('Tiina Teacher') },
  ...GRANT_ROLES.flatMap((role) => [
    { key: `${role}@luovi`, role, scope: 'luovi', user: makeUser(`Luovi ${role}`) },
    { key: `${role}@ee-partner`, role, scope: 'ee-partner', user: makeUser(`Estonian ${role}`, { tenantId: EE_TENANT, email: `${role}@ee-partner.example` }) },
    { key: `${role}@partnership`, role, scope: PARTNERSHIP, user: makeUser(`Partnership ${role}`) },
  ]),
];
const kind = (key: string) => kinds.find((k) => k.key === key)!;
const tiina = kind('teacher@luovi').user;
const matti = makeUser('Matti Manager');

/** Actions whose target is the whole partnership: a grant for one organisation is refused by the handler. */
const PARTNERSHIP_WIDE = new Set<Action>(['mapping.partnership']);

/** Whether POLICIES (and a partnership-wide target) refuse this kind of person, whatever the payload. */
function refuses(k: Kind, action: Action): boolean {
  const policy = POLICIES[action];
  if (policy.who !== 'grant') return false;
  if (!k.role || !(policy.roles as readonly string[]).includes(k.role)) return true;
  return PARTNERSHIP_WIDE.has(action) && k.scope !== PARTNERSHIP;
}

let h: BotHarness;
/** Real Luovi objects the forgeries name. */
const ids = { requestId: '', applicationId: '', planId: '', announcementId: '', tiinaId: '', luoviManagerId: '' };

async function assess(user: TestUser) {
  const statements: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };
  let card = await h.execute(user, 'assessment.start');
  for (const [area, n] of Object.entries(statements)) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    card = await h.execute(user, next.verb, { ...next.data, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, '2'])) });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  await h.execute(user, finish.verb, finish.data);
}

beforeAll(async () => {
  h = await BotHarness.create({ users: [...kinds.map((k) => k.user), matti], env: { ORG_TENANTS: `luovi:${TENANT},ee-partner:${EE_TENANT}` } });
  for (const k of kinds) {
    await h.onboard(k.user);
    if (k.role) await h.db.grant.create({ data: { personId: (await h.person(k.user)).id, role: k.role, scope: k.scope!, grantedBy: 'test' } });
  }
  await h.onboard(matti, { jobRole: 'manager' });
  ids.requestId = (await h.db.accessRequest.findFirstOrThrow({ where: { status: 'pending', organisationId: 'luovi' } })).id;
  ids.tiinaId = (await h.person(tiina)).id;
  ids.luoviManagerId = (await h.person(kind('manager@luovi').user)).id;
  // Tiina's plan, shared with Luovi's manager; her badge application; a coordinator's draft announcement to Luovi.
  await assess(tiina);
  await h.execute(tiina, 'path.open');
  await h.execute(tiina, 'path.interests', { areas: 'ICC' });
  await h.execute(tiina, 'path.share', { viewerId: ids.luoviManagerId });
  ids.planId = (await h.db.planShare.findFirstOrThrow({ where: { viewerId: ids.luoviManagerId } })).planId;
  ids.applicationId = (
    await h.db.badgeApplication.create({ data: { personId: ids.tiinaId, badgeClassId: 'ICC-L3', evidence: 'Hosted three students from Tallinn.', openKey: `${ids.tiinaId}:ICC-L3`, createdAt: h.clock.now() } })
  ).id;
  const preview = await h.execute(kind('coordinator@luovi').user, 'announce.save', { title: 'Erasmus+ info day', text: 'Come and hear about mobility.', organisations: 'luovi', roles: '' });
  ids.announcementId = cardButtons(preview).find((b) => b.verb === 'announce.send')!.data.announcementId as string;
}, 120_000);
afterAll(async () => h?.close());
// The setup file clears nock after every test: each test intercepts the Bot Connector afresh (sends are counted here).
let connector: FakeConnector;
beforeEach(() => {
  connector = new FakeConnector().knows(...kinds.map((k) => k.user), matti);
});

const verbs = () => [...h.bot.registry.verbs.values()];
const commands = () => [...h.bot.registry.commands.values()];

/** The event written with the coordinator's draft announcement (announce.saveEvent, then changed once it is sent). */
const EVENT = { type: 'workshop', startDate: '2026-12-10', startTime: '10:00', endTime: '14:00', timeZone: 'Europe/Helsinki', place: 'Oulu' };
/**
 * Every grant verb that names something of an organisation, forged with Luovi's real ids, and who may do it there.
 * `control` is a Luovi (or partnership) holder for whom the same payload works, so the ids are proven real (in this
 * order: revoking the manager's grant at the end also ends what was shared with him).
 */
const FORGERIES: { verb: string; payload: () => Record<string, unknown>; control: string; works: string }[] = [
  // Not a grant verb, but a target all the same: a plan shared with one person.
  { verb: 'path.viewShared', payload: () => ({ planId: ids.planId }), control: 'manager@luovi', works: "Tiina Teacher's development path" },
  { verb: 'requests.approve', payload: () => ({ requestId: ids.requestId }), control: 'admin@luovi', works: 'Approved by Luovi admin' },
  { verb: 'requests.decline', payload: () => ({ requestId: ids.requestId }), control: 'admin@partnership', works: 'Approved by Luovi admin' },
  { verb: 'badges.review', payload: () => ({ applicationId: ids.applicationId, decision: 'decline', comment: 'Please add the programme.' }), control: 'mentor@luovi', works: 'Declined' },
  { verb: 'badges.award', payload: () => ({ personId: ids.tiinaId, badgeId: 'MOB-L2', note: 'Took part in the Tallinn training activity.' }), control: 'coordinator@luovi', works: 'Badge awarded' },
  { verb: 'mapping.open', payload: () => ({ organisationId: 'luovi' }), control: 'manager@luovi', works: 'Ammattiopisto Luovi' },
  { verb: 'digest.export', payload: () => ({ organisationId: 'luovi', format: 'csv' }), control: 'manager@partnership', works: '/exports/' },
  { verb: 'mapping.strategy', payload: () => ({ organisationId: 'luovi' }), control: 'coordinator@luovi', works: 'Ammattiopisto Luovi' },
  { verb: 'mapping.saveStrategy', payload: () => ({ organisationId: 'luovi', 'weight:ICC': '3' }), control: 'manager@luovi', works: 'Saved.' },
  { verb: 'announce.preview', payload: () => ({ announcementId: ids.announcementId }), control: 'coordinator@luovi', works: 'Erasmus+ info day' },
  { verb: 'announce.edit', payload: () => ({ announcementId: ids.announcementId }), control: 'coordinator@luovi', works: 'Erasmus+ info day' },
  { verb: 'announce.report', payload: () => ({ announcementId: ids.announcementId }), control: 'admin@partnership', works: 'Erasmus+ info day' },
  { verb: 'announce.export', payload: () => ({ announcementId: ids.announcementId }), control: 'coordinator@luovi', works: '/exports/' },
  { verb: 'announce.save', payload: () => ({ title: 'Forged', text: 'To Luovi.', organisations: 'luovi', roles: '' }), control: 'coordinator@partnership', works: 'Forged' },
  { verb: 'announce.saveEvent', payload: () => ({ announcementId: ids.announcementId, ...EVENT }), control: 'coordinator@luovi', works: 'Ready to send' },
  { verb: 'announce.send', payload: () => ({ announcementId: ids.announcementId }), control: 'coordinator@luovi', works: 'Erasmus+ info day' },
  { verb: 'announce.editEvent', payload: () => ({ announcementId: ids.announcementId }), control: 'coordinator@luovi', works: 'Edit the event' },
  { verb: 'announce.updateEvent', payload: () => ({ announcementId: ids.announcementId, revision: '0', ...EVENT, place: 'Tornio' }), control: 'coordinator@luovi', works: 'Saved.' },
  { verb: 'announce.cancelEvent', payload: () => ({ announcementId: ids.announcementId }), control: 'admin@partnership', works: 'Cancel the event' },
  { verb: 'announce.cancel', payload: () => ({ announcementId: ids.announcementId }), control: 'coordinator@luovi', works: 'Erasmus+ info day' },
  { verb: 'grants.grant', payload: () => ({ role: 'coordinator', scope: 'luovi', personId: ids.tiinaId }), control: 'admin@luovi', works: 'Granted coordinator (Ammattiopisto Luovi) to Tiina Teacher' },
  { verb: 'grants.revoke', payload: () => ({ personId: ids.luoviManagerId, role: 'manager', scope: 'luovi' }), control: 'admin@partnership', works: 'Revoked manager (Ammattiopisto Luovi) from Luovi manager' },
];
/** Grant verbs that name no organisation's object: they act on the caller's own scope or settings. */
const UNTARGETED = new Set(['requests.list', 'badges.awardForm', 'digest.open', 'digest.settings', 'digest.save', 'mapping.partnership', 'announce.new', 'grants.open']);

const sentTo = (kinds: Kind[]) => kinds.map((k) => connector.cardsTo(personalConversationId(k.user)).length);

describe('authorise() on every registered entry point', () => {
  it('every command and verb names an action with a policy, every policy is used, every grant verb is classified', () => {
    const used = new Set<string>([...commands(), ...verbs()].map((e) => e.action));
    for (const action of used) expect(Object.keys(POLICIES)).toContain(action);
    for (const action of Object.keys(POLICIES)) expect(used).toContain(action);
    expect(verbs().length).toBeGreaterThanOrEqual(8);
    const forged = new Set(FORGERIES.map((f) => f.verb));
    const unclassified = verbs().filter((v) => POLICIES[v.action].who === 'grant' && !forged.has(v.verb) && !UNTARGETED.has(v.verb)).map((v) => v.verb);
    expect(unclassified).toEqual([]);
    for (const verb of [...forged, ...UNTARGETED]) expect(h.bot.registry.verbs.has(verb)).toBe(true);
  });

  it.each(kinds.map((k) => [k.key, k] as const))('%s: every command and verb is refused or let through as POLICIES says', async (_key, k) => {
    const refusedVerbs = verbs().filter((v) => refuses(k, v.action));
    const refusedCommands = commands().filter((c) => refuses(k, c.action));
    // Refused, with a forged but realistic payload naming Luovi's objects: the refusal card, and nothing changes.
    const before = await snapshotTables(h.db);
    const sentBefore = connector.sent.length;
    for (const { verb } of refusedVerbs) {
      const card = await h.execute(k.user, verb, { ...ids, organisationId: 'luovi', personId: ids.tiinaId, role: 'admin', scope: PARTNERSHIP });
      expect({ verb, text: cardText(card) }).toEqual({ verb, text: expect.stringContaining(REFUSED) });
    }
    for (const { name } of refusedCommands) {
      const [card] = await h.say(k.user, name);
      expect({ name, text: cardText(card) }).toEqual({ name, text: expect.stringContaining(REFUSED) });
    }
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(connector.sent.length).toBe(sentBefore);

    // Let through: the handler runs (an empty payload is refused as invalid input, not as a missing permission).
    for (const { verb } of verbs().filter((v) => !refuses(k, v.action))) {
      expect({ verb, text: cardText(await h.execute(k.user, verb, {})) }).toEqual({ verb, text: expect.not.stringContaining(REFUSED) });
    }
    for (const { name } of commands().filter((c) => !refuses(k, c.action))) {
      const replies = await h.say(k.user, name);
      expect({ name, text: replies.map(cardText).join('\n') }).toEqual({ name, text: expect.not.stringContaining(REFUSED) });
    }
    if (k.role === 'admin') expect(refusedVerbs.map((v) => v.verb)).not.toContain('grants.grant');
    if (!k.role) expect(refusedVerbs.length).toBeGreaterThan(0);
  });

  it('a person who asked for the manager grant has no more rights than a teacher until it is approved', async () => {
    for (const { verb } of verbs().filter((v) => POLICIES[v.action].who === 'grant')) {
      expect(cardText(await h.execute(matti, verb, { requestId: ids.requestId }))).toContain(REFUSED);
    }
    expect((await h.db.accessRequest.findUniqueOrThrow({ where: { id: ids.requestId } })).status).toBe('pending');
  });

  it.each(FORGERIES.map((f) => [f.verb, f] as const))(
    "%s with Luovi's real ids is refused to every holder of another organisation, and nothing changes",
    async (verb, f) => {
      const forgers = kinds.filter((k) => k.scope === 'ee-partner');
      const before = await snapshotTables(h.db);
      const sentBefore = connector.sent.length;
      for (const k of forgers) {
        const text = cardText(await h.execute(k.user, verb, f.payload()));
        expect({ forger: k.key, refused: text.includes(REFUSED) || text.includes(NOT_FOUND) }).toEqual({ forger: k.key, refused: true });
      }
      expect(await snapshotTables(h.db)).toEqual(before);
      expect(connector.sent.length).toBe(sentBefore);
      expect(sentTo(forgers)).toEqual(forgers.map(() => 0));
    },
  );

  it('the same payloads work for a holder in Luovi or the partnership (the forged ids were real)', async () => {
    const outcomes: { verb: string; works: boolean; text?: string }[] = [];
    for (const f of FORGERIES) {
      const text = cardText(await h.execute(kind(f.control).user, f.verb, f.payload()));
      outcomes.push(text.includes(f.works) ? { verb: f.verb, works: true } : { verb: f.verb, works: false, text });
    }
    expect(outcomes).toEqual(FORGERIES.map((f) => ({ verb: f.verb, works: true })));
    expect((await h.person(tiina)).grants).toMatchObject([{ role: 'coordinator', scope: 'luovi' }]);
    expect((await h.person(matti)).grants).toMatchObject([{ role: 'manager', scope: 'luovi' }]);
    // …and the people concerned were told (so the forgeries' "nothing sent" was not a silent connector).
    expect(connector.cardsTo(personalConversationId(matti)).map(cardText).join('\n')).toContain('Your request was approved');
    expect(connector.cardsTo(personalConversationId(tiina)).map(cardText).join('\n')).toContain('You have a new permission');
  });

  it('sends someone not yet onboarded to the welcome card for any command that needs onboarding', async () => {
    const newcomer = makeUser('Nina Newcomer');
    connector.knows(newcomer);
    for (const c of commands().filter((c) => POLICIES[c.action].who !== 'anyone')) {
      const [card] = await h.say(newcomer, c.name);
      expect(cardText(card)).toContain('Welcome to REX VET Mentor');
    }
    expect(connector.cardsTo(personalConversationId(newcomer))).toEqual([]);
  });
});
