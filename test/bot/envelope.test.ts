import { afterEach, describe, expect, it } from '@jest/globals';
import type { Activity } from 'botbuilder';
import { BOT, TENANT, activityFrom, makeUser, message, personalConversationId, uid } from '../helpers/activities.js';
import { BotHarness, cardText, cardsIn } from '../helpers/bot.js';

/**
 * What test/http/fuzz.test.ts found at the bot's door: activities whose free-form parts (channelData, entities,
 * an invoke's name or verb) are odd. Each used to end in a failed turn, a 501 or a crash inside the SDK.
 */
let h: BotHarness;
afterEach(async () => h?.close());

const tiina = makeUser('Tiina Teacher');
const matti = makeUser('Matti Manager');

async function setup() {
  h = await BotHarness.onboarded([tiina, matti]);
}
const odd = (fields: Record<string, unknown>) => ({ ...message(tiina, 'help'), ...fields }) as Partial<Activity>;

describe('odd activities at the bot', () => {
  it('reads Teams data of the wrong kind as absent and answers as usual', async () => {
    await setup();
    const replies = cardsIn(
      await h.send(
        odd({
          entities: [{ type: 'clientInfo', locale: 5, timezone: { zone: 'x' } }],
          channelData: { tenant: { id: 7 }, team: { id: {} }, channel: { name: [] } },
        }),
      ),
    );
    expect(cardText(replies[0])).toContain('What I can do for you');
    expect(await h.person(tiina)).toMatchObject({ clientLocale: 'en-US', timeZone: 'Europe/Helsinki', tenantId: TENANT });
  });

  it("answers a known Teams user carrying another person's Entra id as themselves, and changes neither record", async () => {
    await setup();
    const [card] = cardsIn(await h.send(odd({ from: { id: tiina.id, name: tiina.name, aadObjectId: matti.aadObjectId } })));
    expect(cardText(card)).toContain('What I can do for you');
    expect((await h.person(tiina)).aadObjectId).toBe(tiina.aadObjectId);
    expect((await h.person(matti)).aadObjectId).toBe(matti.aadObjectId);
  });

  it('answers a card button with an unknown verb with the out-of-date card, and another invoke with 400 (not 501)', async () => {
    await setup();
    expect(cardText(await h.execute(tiina, 'settings.nosuchthing', { anything: 1 }))).toContain('This card is out of date');
    const [response] = (await h.send(activityFrom(tiina, { type: 'invoke', name: 'composeExtension/query', id: uid('inv'), value: {} }))).filter((a) => a.type === 'invokeResponse');
    expect(response?.value).toEqual({ status: 400 });
    const [empty] = (await h.send(activityFrom(tiina, { type: 'invoke', name: 'adaptiveCard/action', id: uid('inv'), value: '' as never }))).filter((a) => a.type === 'invokeResponse');
    expect(cardText((empty?.value as { body: { value: unknown } }).body.value)).toContain('This card is out of date');
  });

  it('ignores a submit whose value is null instead of failing the turn', async () => {
    await setup();
    const replies = await h.send(activityFrom(tiina, { type: 'message', id: uid('sub'), value: null as never }));
    expect(cardsIn(replies).map(cardText).join('\n')).not.toContain('went wrong');
  });

  it('an uninstall with an odd action or team id stops using the chat it came from, nothing else', async () => {
    await setup();
    await h.send({ ...activityFrom(tiina, { type: 'installationUpdate', id: uid('iu') }), action: 7 } as unknown as Partial<Activity>);
    expect((await h.db.conversation.findUniqueOrThrow({ where: { id: personalConversationId(tiina) } })).active).toBe(true);
    await h.send(activityFrom(tiina, { type: 'conversationUpdate', id: uid('cu'), membersRemoved: [{ id: BOT.id, name: BOT.name }], channelData: { tenant: { id: TENANT }, team: { id: { $ne: null } } } }));
    expect((await h.db.conversation.findUniqueOrThrow({ where: { id: personalConversationId(tiina) } })).active).toBe(false);
    expect((await h.db.conversation.findUniqueOrThrow({ where: { id: personalConversationId(matti) } })).active).toBe(true);
  });
});
