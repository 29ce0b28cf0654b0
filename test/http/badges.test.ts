import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { awardBadge, revokeBadge } from '../../src/features/badges/badges.service.js';
import { badgesDeps } from '../../src/jobs/runtime.js';
import { unbakePng, unbakeSvg } from '../../src/features/badges/bake.js';
import { verifyCredential } from '../../src/features/badges/ob3/signing.js';
import { identityHash } from '../../src/features/badges/ob3/credential.js';
import { systemClock } from '../../src/lib/clock.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { schemaValidator } from '../helpers/open-badges.js';

let app: RunningApp;
let testDb: TestDb;
let awardId: string;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * An independent verifier: it knows nothing but URLs. Every document (issuer, key, status list) is fetched over
 * HTTP from the running bot, as any Open Badges verifier on the internet would.
 */
const overHttp = async (url: string) => {
  const res = await fetch(url.split('#')[0]!, { headers: { accept: 'application/ld+json, application/json' } });
  if (!res.ok) return null;
  const doc = (await res.json()) as Record<string, unknown>;
  if (url.includes('#')) {
    const method = (doc.verificationMethod as { id: string }[] | undefined)?.find((m) => m.id === url);
    return method ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : null;
  }
  return doc;
};

beforeAll(async () => {
  testDb = await createTestDb();
  const port = await freePort();
  const env = loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json`, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
  app = await startApp({ env, logger: silentLogger, migrate: false, port, background: false });
  const person = await testDb.db.person.create({ data: { teamsUserId: '29:tiina', name: 'Tiina Teacher', email: 'Tiina.Teacher@luovi.example', language: 'en', onboardedAt: new Date() } });
  const deps = badgesDeps({ env, db: testDb.db, logger: silentLogger, clock: systemClock, badges: app.badges });
  ({ award: { id: awardId } } = await awardBadge(deps, { personId: person.id, badgeId: 'ICC-L2', awardedBy: 'cli:test', note: 'Attended the Tallinn training activity.' }));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});

describe('a badge’s public documents', () => {
  it('a baked PNG alone is enough: a verifier fetching only public URLs finds it valid, issued by the bot, not revoked', async () => {
    const png = await fetch(`${app.url}/badges/c/${awardId}/badge.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-disposition')).toContain('attachment');
    const credential = JSON.parse(unbakePng(Buffer.from(await png.arrayBuffer()))!) as { issuer: { id: string }; id: string; proof: unknown };
    expect(credential.issuer.id).toBe(`${app.url}/badges/issuer`);
    expect(await verifyCredential(credential, overHttp)).toEqual({ verified: true, revoked: false, problems: [] });
    const validate = schemaValidator();
    expect(validate({ ...credential, proof: [credential.proof] })).toBe(true);
    const identifier = (credential as unknown as { credentialSubject: { identifier: { identityHash: string; salt: string }[] } }).credentialSubject.identifier[0]!;
    expect(identifier.identityHash).toBe(identityHash('tiina.teacher@luovi.example', identifier.salt));
    expect(identityHash('someone.else@luovi.example', identifier.salt)).not.toBe(identifier.identityHash);

    const svg = await fetch(`${app.url}/badges/c/${awardId}/badge.svg`);
    expect(JSON.parse(unbakeSvg(await svg.text())!)).toEqual(credential);
  });

  it('the page is for people, the same address gives the credential to software', async () => {
    const page = await fetch(`${app.url}/badges/c/${awardId}`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Explorer: Intercultural competence');
    expect(html).toContain('Verified: signed by');
    expect(html).toContain('Attended the Tallinn training activity.');
    expect(html).toContain('the person it was issued to (name not shown)');
    expect(html).not.toContain('Tiina');
    const json = await fetch(`${app.url}/badges/c/${awardId}`, { headers: { accept: 'application/ld+json' } });
    expect(((await json.json()) as { type: string[] }).type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    const issuer = (await (await fetch(`${app.url}/badges/issuer`)).json()) as { assertionMethod: string[]; profile: { name: string } };
    expect(issuer.assertionMethod[0]).toMatch(new RegExp(`^${app.url}/badges/issuer#z6Mk`));
    expect((await fetch(`${app.url}/badges/images/ICC-L2.png`)).headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${app.url}/badges/c/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${app.url}/badges/c/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('Open Badges 2.0 hosted assertion for older backpacks passes the verifier checklist', async () => {
    const url = `${app.url}/badges/c/${awardId}/ob2`;
    const assertion = (await (await fetch(url)).json()) as Record<string, unknown> & { recipient: { identity: string; salt: string; hashed: boolean; type: string }; badge: string; verification: { type: string }; issuedOn: string };
    expect(assertion['@context']).toBe('https://w3id.org/openbadges/v2');
    expect(assertion).toMatchObject({ id: url, type: 'Assertion', verification: { type: 'hosted' } });
    expect(assertion.recipient).toMatchObject({ type: 'email', hashed: true });
    expect(assertion.recipient.identity).toMatch(/^sha256\$[0-9a-f]{64}$/);
    const hash = (email: string) => `sha256$${createHash('sha256').update(email + assertion.recipient.salt).digest('hex')}`;
    expect(hash('tiina.teacher@luovi.example')).toBe(assertion.recipient.identity);
    expect(hash('matti.manager@luovi.example')).not.toBe(assertion.recipient.identity);
    expect(Date.parse(assertion.issuedOn)).toBeLessThanOrEqual(Date.now());
    const badgeClass = (await (await fetch(assertion.badge)).json()) as Record<string, unknown>;
    for (const key of ['id', 'type', 'name', 'description', 'image', 'criteria', 'issuer']) expect(badgeClass[key]).toBeDefined();
    expect(badgeClass.id).toBe(assertion.badge);
    const issuer = (await (await fetch(badgeClass.issuer as string)).json()) as Record<string, unknown>;
    expect(issuer).toMatchObject({ type: 'Issuer', id: badgeClass.issuer });
    expect(new URL(url).host).toBe(new URL(issuer.id as string).host);
  });

  it('after revocation the same PNG verifies as revoked, and the page says so', async () => {
    const png = Buffer.from(await (await fetch(`${app.url}/badges/c/${awardId}/badge.png`)).arrayBuffer());
    const env = loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent' });
    const deps = badgesDeps({ env, db: testDb.db, logger: silentLogger, clock: systemClock, badges: app.badges });
    const first = await revokeBadge(deps, { ref: `${app.url}/badges/c/${awardId}`, reason: 'Awarded by mistake', actor: 'cli:test' });
    const again = await revokeBadge(deps, { ref: awardId, reason: 'Again', actor: 'cli:test' });
    expect([first.revoked, again.revoked]).toEqual([true, false]);
    expect(await verifyCredential(JSON.parse(unbakePng(png)!), overHttp)).toMatchObject({ verified: true, revoked: true });
    const html = await (await fetch(`${app.url}/badges/c/${awardId}`)).text();
    expect(html).toContain('Awarded by mistake');
    expect(html).not.toContain('Verified: signed by');
    const ob2 = await fetch(`${app.url}/badges/c/${awardId}/ob2`);
    expect(ob2.status).toBe(410);
    expect(await ob2.json()).toMatchObject({ revoked: true, revocationReason: 'Awarded by mistake' });
    const list = (await (await fetch(`${app.url}/badges/status/revocation`)).json()) as { credentialSubject: { encodedList: string } };
    expect(list.credentialSubject.encodedList.length).toBeGreaterThan(10);
  });
});
