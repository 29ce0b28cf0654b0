import { afterEach, describe, expect, it } from '@jest/globals';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { executeAction, makeUser, message, personalConversationId } from '../helpers/activities.js';
import { cardText } from '../helpers/bot.js';
import { FakeConnector } from '../helpers/connector.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

let app: RunningApp | undefined;
let testDb: TestDb | undefined;
afterEach(async () => {
  await app?.close();
  await testDb?.close();
  app = undefined;
});

async function start(env: Record<string, string> = {}) {
  testDb = await createTestDb({ content: false });
  app = await startApp({ env: loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json`, ...env }), logger: silentLogger, migrate: false, port: 0 });
  return app;
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /api/messages in local mode', () => {
  it('answers a real Teams message over HTTP with the welcome card, sent to the Bot Connector', async () => {
    await start();
    const tiina = makeUser('Tiina Teacher');
    const connector = new FakeConnector().knows(tiina);
    const res = await post(message(tiina, 'hello'));
    expect(res.status).toBe(200);
    const [card] = connector.cardsTo(personalConversationId(tiina));
    expect(cardText(card)).toContain('Welcome to REX VET Mentor');
    expect(connector.memberLookups).toEqual([tiina.id]);
    const person = await app!.db.person.findUniqueOrThrow({ where: { teamsUserId: tiina.id } });
    expect(person.email).toBe(tiina.email);
  });

  it('answers an Action.Execute invoke with the replacing card in the HTTP response', async () => {
    await start();
    const tiina = makeUser('Tiina Teacher');
    new FakeConnector().knows(tiina);
    await post(message(tiina, 'hello'));
    const res = await post(executeAction(tiina, 'onboarding.save', { language: 'en', jobRole: 'teacher', organisationId: 'luovi' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toContain("You're all set");
  });

  it.each([
    ['a body that is not JSON', '{"type": "message",', 400],
    ['an activity without from, conversation or serviceUrl', { type: 'message', text: 'hi' }, 400],
    ['a serviceUrl that is not a URL', { ...message(makeUser('X'), 'hi'), serviceUrl: 'javascript:alert(1)' }, 400],
    ['an array', [1, 2, 3], 400],
    ['text over the limit', message(makeUser('X'), 'x'.repeat(30_000)), 400],
    // Found by test/http/fuzz.test.ts: each of these used to reach the bot and fail inside the SDKs (no answer sent).
    ['a conversation type that is not text', { ...message(makeUser('X'), 'hi'), conversation: { id: 'a:1', conversationType: -12 } }, 400],
    ['an entity without a type', { ...message(makeUser('X'), 'hi'), entities: [{}] }, 400],
    ['entities that are not a list', { ...message(makeUser('X'), 'hi'), entities: 'clientInfo' }, 400],
    ['an Entra object id that is not text', { ...message(makeUser('X'), 'hi'), from: { id: '29:x', aadObjectId: 7 } }, 400],
    ['channel data that is not an object', { ...message(makeUser('X'), 'hi'), channelData: 'tenant' }, 400],
    ['a mention without whom it mentions', { ...message(makeUser('X'), 'hi'), entities: [{ type: 'mention', text: '<at>Bot</at>' }] }, 400],
    ['a message mentioning the bot without text', { ...message(makeUser('X'), 'hi'), text: undefined, entities: [{ type: 'Mention', text: '<at>Bot</at>', mentioned: { id: '28:rexvet-bot' } }] }, 400],
  ])('refuses %s with a 4xx, never a 5xx', async (_name, body, status) => {
    await start();
    const res = await post(body as object);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses a body over the size limit with 413 and a non-JSON body with 415', async () => {
    await start();
    expect((await post({ ...message(makeUser('X'), 'hi'), padding: 'x'.repeat(300 * 1024) })).status).toBe(413);
    const res = await fetch(`${app!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
  });

  it('refuses a multipart upload without writing anything to disk', async () => {
    await start();
    const tmp = (await import('node:os')).tmpdir();
    const fs = await import('node:fs');
    const uploads = () => fs.readdirSync(tmp).filter((f) => f.startsWith('upload_')).length;
    const before = uploads();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(3 * 1024 * 1024)]), 'big.bin');
    const res = await fetch(`${app!.url}/api/messages`, { method: 'POST', body: form });
    expect([413, 415]).toContain(res.status);
    expect(uploads()).toBe(before);
  });

  it('reports health with the database', async () => {
    await start();
    const res = await fetch(`${app!.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});
