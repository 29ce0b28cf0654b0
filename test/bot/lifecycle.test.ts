import { afterEach, describe, expect, it } from '@jest/globals';
import { BOT, SERVICE_URL, TENANT, activityFrom, makeUser, uid } from '../helpers/activities.js';
import { BotHarness, cardText } from '../helpers/bot.js';

let h: BotHarness;
afterEach(async () => h?.close());

const teamActivity = (user: ReturnType<typeof makeUser>, fields: Record<string, unknown>) => ({
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  id: uid('team'),
  from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
  recipient: BOT,
  conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: TENANT, isGroup: true, name: 'General' },
  channelData: { tenant: { id: TENANT }, team: { id: '19:general@thread.tacv2', name: 'Luovi International' }, channel: { id: '19:general@thread.tacv2', name: 'General' } },
  ...fields,
});

describe('install and uninstall', () => {
  it('stores the team and channel when the bot is added to a team, posts nothing there, and stops using it when removed', async () => {
    const kaisa = makeUser('Kaisa Coordinator');
    h = await BotHarness.create({ users: [kaisa] });
    const replies = await h.send(teamActivity(kaisa, { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] }));
    expect(replies.filter((a) => a.type === 'message')).toEqual([]);
    const channel = await h.db.conversation.findUniqueOrThrow({ where: { id: '19:general@thread.tacv2' } });
    expect(channel).toMatchObject({ kind: 'channel', teamId: '19:general@thread.tacv2', teamName: 'Luovi International', channelName: 'General', active: true, personId: null });

    await h.send(teamActivity(kaisa, { type: 'conversationUpdate', membersRemoved: [{ id: BOT.id }] }));
    expect((await h.db.conversation.findUniqueOrThrow({ where: { id: '19:general@thread.tacv2' } })).active).toBe(false);
  });

  it('marks a person\'s chat inactive when they uninstall the app, and active again when they come back', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    await h.onboard(tiina, { organisationId: 'luovi' });
    const person = await h.person(tiina);
    await h.send({ ...activityFrom(tiina, { type: 'installationUpdate', id: uid('iu') }), action: 'remove' } as Parameters<BotHarness['send']>[0]);
    expect(await h.db.conversation.count({ where: { personId: person.id, active: true } })).toBe(0);
    await h.say(tiina, 'help');
    expect(await h.db.conversation.count({ where: { personId: person.id, active: true } })).toBe(1);
  });
});

describe('shared chats and identity', () => {
  it('never answers personal commands in a team channel: no names, e-mails or profiles posted there', async () => {
    const anna = makeUser('Anna Admin');
    const matti = makeUser('Matti Manager');
    h = await BotHarness.create({ users: [anna, matti], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT}` } });
    await h.onboard(anna);
    await h.onboard(matti, { jobRole: 'manager' });
    for (const text of ['requests', 'settings', 'help', 'hello']) {
      const replies = await h.send(teamActivity(anna, { type: 'message', text }));
      const shown = replies.flatMap((a) => (a.attachments ?? []).map((att) => JSON.stringify(att.content))).join(' ');
      expect(shown).toContain('personal chat');
      expect(shown).not.toMatch(/Matti|@luovi|Job role|Unit/);
    }
  });

  it('recognises a person whose Teams user id changed (same Entra object id) instead of locking them out', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    await h.onboard(tiina, { organisationId: 'luovi' });
    const renewed = { ...tiina, id: '29:tiina-new-registration' };
    h.connector.knows(renewed);
    const [card] = await h.say(renewed, 'help');
    expect(cardText(card)).toContain('What I can do for you');
    expect(await h.db.person.count()).toBe(1);
    expect((await h.db.person.findFirstOrThrow()).teamsUserId).toBe(renewed.id);
  });
});
