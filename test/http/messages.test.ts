import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { executeAction, makeUser, message, personalConversationId } from '../helpers/activities.js';
import { cardText } from '../helpers/bot.js';
import { FakeConnector } from '../helpers/connector.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { expectConsoleErrors } from '../helpers/setup.js';

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

describe('POST /api/messages with Bot credentials (Teams mode)', () => {
  const teamsEnv = { BOT_ID: '7d9f1c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f', BOT_PASSWORD: 'secret', BOT_TENANT_ID: '11111111-2222-4333-8444-555555555555' };

  // botbuilder writes refused tokens to console.error itself; those (and only those) are expected here.
  beforeEach(() => expectConsoleErrors(/Unauthorized|Signing Key could not be retrieved|No valid identity/));

  async function tokenSignedByUnknownKey() {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({ serviceurl: 'https://smba.example.test/teams/' })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-a-microsoft-key', typ: 'JWT' })
      .setIssuer('https://api.botframework.com')
      .setAudience(teamsEnv.BOT_ID)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  }

  it('refuses a request without a token, or with a malformed one, with 401 and changes nothing', async () => {
    await start(teamsEnv);
    const tiina = makeUser('Tiina Teacher');
    expect((await post(message(tiina, 'hello'))).status).toBe(401);
    expect((await post(message(tiina, 'hello'), { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
    expect(await app!.db.person.count()).toBe(0);
  });

  it('refuses a well-formed token signed by a key Microsoft does not publish with 401', async () => {
    await start(teamsEnv);
    const { publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'a-microsoft-key', use: 'sig', endorsements: ['msteams'] };
    const openid = nock('https://login.botframework.com')
      .persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: 'https://api.botframework.com', jwks_uri: 'https://login.botframework.com/v1/.well-known/keys', id_token_signing_alg_values_supported: ['RS256'] })
      .get('/v1/.well-known/keys')
      .reply(200, { keys: [jwk] });
    const res = await post(message(makeUser('Tiina Teacher'), 'hello'), { authorization: `Bearer ${await tokenSignedByUnknownKey()}` });
    expect(res.status).toBe(401);
    expect(openid.isDone()).toBe(true);
    expect(await app!.db.person.count()).toBe(0);
  });

  it('answers 503, not a crash or a stack trace, when Microsoft\'s signing keys cannot be fetched', async () => {
    await start(teamsEnv);
    nock('https://login.botframework.com').persist().get(/.*/).replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND login.botframework.com' });
    const res = await post(message(makeUser('Tiina Teacher'), 'hello'), { authorization: `Bearer ${await tokenSignedByUnknownKey()}` });
    expect([401, 503]).toContain(res.status);
    expect(await res.text()).not.toMatch(/ENOTFOUND|at .*\.js/);
    expect((await fetch(`${app!.url}/healthz`)).status).toBe(200);
  });
});
