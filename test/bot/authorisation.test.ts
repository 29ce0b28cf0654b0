import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { POLICIES, type Action } from '../../src/features/people/authorise.js';
import { BotHarness, cardText } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';

/**
 * Enumerates every command and card verb the bot registers and proves that a person without the grant an action
 * needs is refused and nothing changes. A new command or verb is covered here without editing this file.
 */
let h: BotHarness;
const anna = makeUser('Anna Admin');
const matti = makeUser('Matti Manager');
const tiina = makeUser('Tiina Teacher');
let requestId: string;

beforeAll(async () => {
  h = await BotHarness.create({ users: [anna, matti, tiina], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT}` } });
  await h.onboard(anna);
  await h.onboard(tiina);
  await h.onboard(matti, { jobRole: 'manager' });
  requestId = (await h.db.accessRequest.findFirstOrThrow()).id;
});
afterAll(async () => h?.close());

const needsGrant = (action: Action) => POLICIES[action].who === 'grant';

describe('authorise() on every registered entry point', () => {
  it('every command and verb names an action with a policy, and every policy is used', () => {
    const used = new Set<string>([...h.bot.registry.commands.values(), ...h.bot.registry.verbs.values()].map((e) => e.action));
    for (const action of used) expect(Object.keys(POLICIES)).toContain(action);
    for (const action of Object.keys(POLICIES)) expect(used).toContain(action);
    expect(h.bot.registry.verbs.size).toBeGreaterThanOrEqual(8);
  });

  const verbs = () => [...h.bot.registry.verbs.values()];
  const commands = () => [...h.bot.registry.commands.values()];

  it('refuses every grant-only card verb to a teacher, with a forged but realistic payload, changing nothing', async () => {
    const guarded = verbs().filter((v) => needsGrant(v.action));
    expect(guarded.length).toBeGreaterThan(0);
    for (const { verb } of guarded) {
      const before = await snapshotTables(h.db);
      const sentBefore = h.connector.sent.length;
      const card = await h.execute(tiina, verb, { requestId, organisationId: 'luovi', personId: (await h.person(tiina)).id });
      expect({ verb, text: cardText(card) }).toEqual({ verb, text: expect.stringContaining('needs a permission you don') });
      expect(await snapshotTables(h.db)).toEqual(before);
      expect(h.connector.sent.length).toBe(sentBefore);
    }
  });

  it('refuses every grant-only command to a teacher', async () => {
    const guarded = commands().filter((c) => needsGrant(c.action));
    expect(guarded.length).toBeGreaterThan(0);
    for (const { name } of guarded) {
      const before = await snapshotTables(h.db);
      const [card] = await h.say(tiina, name);
      expect({ name, text: cardText(card) }).toEqual({ name, text: expect.stringContaining('needs a permission you don') });
      expect(await snapshotTables(h.db)).toEqual(before);
    }
  });

  it('a person who asked for the manager grant has no more rights than a teacher until it is approved', async () => {
    for (const { verb } of verbs().filter((v) => needsGrant(v.action))) {
      const card = await h.execute(matti, verb, { requestId });
      expect(cardText(card)).toContain('needs a permission you don');
    }
    expect((await h.db.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe('pending');
  });

  it('lets the holder of the grant through (the gate is not simply closed)', async () => {
    const [list] = await h.say(anna, 'requests');
    expect(cardText(list)).toContain('Matti Manager');
  });

  it('sends someone not yet onboarded to the welcome card for any command that needs onboarding', async () => {
    const newcomer = makeUser('Nina Newcomer');
    h.connector.knows(newcomer);
    for (const c of commands().filter((c) => POLICIES[c.action].who !== 'anyone')) {
      const [card] = await h.say(newcomer, c.name);
      expect(cardText(card)).toContain('Welcome to REX VET Mentor');
    }
    expect(h.connector.cardsTo(personalConversationId(newcomer))).toEqual([]);
  });
});
