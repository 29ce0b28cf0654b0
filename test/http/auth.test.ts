import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { SERVICE_URL, makeUser, message, personalConversationId } from '../helpers/activities.js';
import { cardText } from '../helpers/bot.js';
import { FakeConnector } from '../helpers/connector.js';
import { createTestDb, snapshotTables, type TestDb } from '../helpers/db.js';
import { expectConsoleErrors } from '../helpers/setup.js';

/**
 * The bot in Teams mode (BOT_ID set) behind the real server. Microsoft's side is played by nock: the Bot Framework
 * OpenID metadata and its keys (channel tokens), Entra's (the emulator issuers botbuilder also accepts), the Entra
 * token endpoint the bot gets its own token from, and the Bot Connector. The "Microsoft" keys are made here.
 *
 * botbuilder caches the Bot Framework keys once fetched (per metadata URL, for the process), so the tests where
 * Microsoft cannot be reached run first, while nothing is cached yet — as after a restart during an outage.
 */
const BOT_ID = '7d9f1c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f';
const BOT_TENANT_ID = '11111111-2222-4333-8444-555555555555';
const BOT_FRAMEWORK = 'https://login.botframework.com';
const CHANNEL_ISSUER = 'https://api.botframework.com';
const ENTRA = 'https://login.microsoftonline.com';
const EMULATOR_ISSUER = `${ENTRA}/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0`;

type Key = { privateKey: CryptoKey; jwk: JWK };
const keys: Record<'teams' | 'skypeOnly' | 'entra' | 'attacker', Key> = {} as never;

let app: RunningApp;
let testDb: TestDb;

beforeAll(async () => {
  for (const [name, kid, endorsements] of [['teams', 'bf-key-1', ['msteams', 'webchat']], ['skypeOnly', 'bf-key-2', ['skype']], ['entra', 'entra-key-1', undefined], ['attacker', 'bf-key-1', undefined]] as const) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    keys[name] = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA', ...(endorsements ? { endorsements: [...endorsements] } : {}) } };
  }
  testDb = await createTestDb({ content: false });
  const env = loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json`, BOT_ID, BOT_PASSWORD: 'secret', BOT_TENANT_ID });
  app = await startApp({ env, logger: silentLogger, migrate: false, port: 0, background: false });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});

/** Microsoft's published Bot Framework keys: one endorsed for Teams, one for another channel only. */
function botFrameworkLogin() {
  return nock(BOT_FRAMEWORK)
    .persist()
    .get('/v1/.well-known/openidconfiguration')
    .reply(200, { issuer: CHANNEL_ISSUER, jwks_uri: `${BOT_FRAMEWORK}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] })
    .get('/v1/.well-known/keys')
    .reply(200, { keys: [keys.teams.jwk, keys.skypeOnly.jwk] });
}

/** Entra's common metadata, which botbuilder consults for tokens naming an emulator issuer. */
function entraLogin() {
  return nock(ENTRA)
    .persist()
    .get('/common/v2.0/.well-known/openid-configuration')
    .reply(200, { issuer: `${ENTRA}/{tenantid}/v2.0`, jwks_uri: `${ENTRA}/common/discovery/v2.0/keys` })
    .get('/common/discovery/v2.0/keys')
    .reply(200, { keys: [keys.entra.jwk] });
}

/** A Bot Framework channel token as Teams sends it, with any part changed. */
function channelToken(opts: { key?: CryptoKey; kid?: string; iss?: string; aud?: string; serviceurl?: string; iat?: number; exp?: number; nbf?: number; claims?: Record<string, unknown> } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ serviceurl: opts.serviceurl ?? SERVICE_URL, ...opts.claims })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'bf-key-1', typ: 'JWT' })
    .setIssuer(opts.iss ?? CHANNEL_ISSUER)
    .setAudience(opts.aud ?? BOT_ID)
    .setIssuedAt(opts.iat ?? now - 60)
    .setNotBefore(opts.nbf ?? now - 60)
    .setExpirationTime(opts.exp ?? now + 3600)
    .sign(opts.key ?? keys.teams.privateKey);
}

/** nock 14 only fails the request for an Error instance (a plain object leaves it hanging). */
function dnsFailure() {
  return Object.assign(new Error('getaddrinfo ENOTFOUND login.botframework.com'), { code: 'ENOTFOUND' });
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const post = (body: unknown, authorization?: string) =>
  fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });

/** A request that must change nothing: the answer, and proof that no turn ran and nothing was stored or sent. */
async function refused(authorization: string | undefined) {
  const connector = new FakeConnector();
  const tiina = makeUser('Tiina Teacher');
  connector.knows(tiina);
  const before = await snapshotTables(app.db);
  const res = await post(message(tiina, 'hello'), authorization);
  const text = await res.text();
  expect(await snapshotTables(app.db)).toEqual(before);
  expect(connector.sent).toEqual([]);
  expect(connector.memberLookups).toEqual([]);
  expect(text).not.toMatch(/at .*\.js|ENOTFOUND|jwt|signature|secret|botframework|invalid/i);
  return { status: res.status, body: JSON.parse(text) as unknown };
}

describe('when Microsoft’s signing keys cannot be fetched (nothing cached yet)', () => {
  it.each([
    ['the OpenID metadata answers 500', () => nock(BOT_FRAMEWORK).get('/v1/.well-known/openidconfiguration').reply(500, 'oops')],
    ['the metadata host is unreachable', () => nock(BOT_FRAMEWORK).get('/v1/.well-known/openidconfiguration').replyWithError(dnsFailure())],
    [
      'the key set answers 500',
      () => nock(BOT_FRAMEWORK).get('/v1/.well-known/openidconfiguration').reply(200, { issuer: CHANNEL_ISSUER, jwks_uri: `${BOT_FRAMEWORK}/v1/.well-known/keys` }).get('/v1/.well-known/keys').reply(500),
    ],
    ['the metadata is not JSON', () => nock(BOT_FRAMEWORK).get('/v1/.well-known/openidconfiguration').reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' })],
  ])('%s: a clear 503, nothing run or stored, and the server keeps serving', async (_name, outage) => {
    const scope = outage();
    const { status, body } = await refused(`Bearer ${await channelToken()}`);
    expect(status).toBe(503);
    expect(body).toEqual({ error: 'Authentication service unavailable, try again later' });
    expect(scope.isDone()).toBe(true);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('POST /api/messages refuses every token Microsoft did not issue for this bot', () => {
  // botbuilder writes some refusals to console.error itself (expired tokens, failed signatures); only those are expected.
  beforeEach(() => {
    expectConsoleErrors(/TokenExpiredError|Error finding key for token/);
    botFrameworkLogin();
    entraLogin();
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => Promise<string | undefined>]>([
    ['no Authorization header', async () => undefined],
    ['a bearer value that is not a JWT', async () => 'Bearer not-a-jwt'],
    ['another scheme', async () => `Basic ${Buffer.from('bot:secret').toString('base64')}`],
    ['a token without the scheme', async () => channelToken()],
    ['an expired token (past the 5-minute tolerance)', async () => `Bearer ${await channelToken({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 600 })}`],
    ['a token not valid yet', async () => `Bearer ${await channelToken({ nbf: now() + 3600 })}`],
    ['a token signed by another key under Microsoft’s key id', async () => `Bearer ${await channelToken({ key: keys.attacker.privateKey })}`],
    ['a token whose key id Microsoft does not publish', async () => `Bearer ${await channelToken({ key: keys.attacker.privateKey, kid: 'attacker-key' })}`],
    ['an unsigned token (alg none)', async () => `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: 'bf-key-1' })}.${b64({ iss: CHANNEL_ISSUER, aud: BOT_ID, serviceurl: SERVICE_URL, exp: now() + 600 })}.`],
    [
      'an HS256 token keyed with Microsoft’s public key',
      async () =>
        `Bearer ${await new SignJWT({ serviceurl: SERVICE_URL }).setProtectedHeader({ alg: 'HS256', kid: 'bf-key-1' }).setIssuer(CHANNEL_ISSUER).setAudience(BOT_ID).setExpirationTime('10m').sign(new TextEncoder().encode(JSON.stringify(keys.teams.jwk)))}`,
    ],
    ['a token for another bot (wrong audience)', async () => `Bearer ${await channelToken({ aud: '00000000-1111-4222-8333-444444444444' })}`],
    ['a token from another issuer', async () => `Bearer ${await channelToken({ iss: 'https://login.evil.example' })}`],
    ['a token signed by a Microsoft key not endorsed for Teams', async () => `Bearer ${await channelToken({ key: keys.skypeOnly.privateKey, kid: 'bf-key-2' })}`],
    ['a token issued for another service URL (replayed to make the bot call elsewhere)', async () => `Bearer ${await channelToken({ serviceurl: 'https://smba.evil.example/teams/' })}`],
  ])('%s → 401, no turn, nothing stored', async (_name, authorization) => {
    const { status, body } = await refused(await authorization());
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'Unauthorized' });
  });

  it('a token naming an Entra (emulator) issuer is checked against Entra’s keys: not signed by them → 401', async () => {
    nock.cleanAll();
    const entra = entraLogin();
    const forged = await channelToken({ iss: EMULATOR_ISSUER, kid: 'entra-key-1', key: keys.attacker.privateKey, claims: { ver: '2.0', azp: BOT_ID } });
    const { status, body } = await refused(`Bearer ${forged}`);
    expect([status, body]).toEqual([401, { error: 'Unauthorized' }]);
    expect(entra.isDone()).toBe(true);
  });
});

describe('POST /api/messages with a token Microsoft signed for this bot', () => {
  beforeEach(() => {
    botFrameworkLogin();
    entraLogin();
  });

  it('answers 200 and the bot replies through the Bot Connector with its own token', async () => {
    let tokenRequests = 0;
    nock(ENTRA)
      .persist()
      .get(`/${BOT_TENANT_ID}/v2.0/.well-known/openid-configuration`)
      .reply(200, {
        issuer: `${ENTRA}/${BOT_TENANT_ID}/v2.0`,
        token_endpoint: `${ENTRA}/${BOT_TENANT_ID}/oauth2/v2.0/token`,
        authorization_endpoint: `${ENTRA}/${BOT_TENANT_ID}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${ENTRA}/${BOT_TENANT_ID}/oauth2/v2.0/logout`,
        jwks_uri: `${ENTRA}/${BOT_TENANT_ID}/discovery/v2.0/keys`,
      })
      .post(`/${BOT_TENANT_ID}/oauth2/v2.0/token`, (body: Record<string, string>) => body.client_id === BOT_ID && body.client_secret === 'secret' && body.scope === `${CHANNEL_ISSUER}/.default`)
      .query(true)
      .reply(() => {
        tokenRequests++;
        return [200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'bot-access-token' }];
      });
    const connector = new FakeConnector();
    const tiina = makeUser('Tiina Teacher');
    connector.knows(tiina);
    const res = await post(message(tiina, 'hello'), `Bearer ${await channelToken()}`);
    expect(res.status).toBe(200);
    expect(cardText(connector.cardsTo(personalConversationId(tiina))[0])).toContain('Welcome to REX VET Mentor');
    expect(connector.memberLookups).toEqual([tiina.id]);
    expect((await app.db.person.findUniqueOrThrow({ where: { teamsUserId: tiina.id } })).email).toBe(tiina.email);
    expect(tokenRequests).toBeGreaterThan(0);
    expect(connector.authorizations.length).toBeGreaterThan(1);
    expect(new Set(connector.authorizations)).toEqual(new Set(['Bearer bot-access-token']));
  });
});
