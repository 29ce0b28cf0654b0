import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { loadEnv } from '../../src/config/env.js';
import { awardBadge } from '../../src/features/badges/badges.service.js';
import { createRowsExport } from '../../src/features/mapping/export.service.js';
import { fixedClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { badgesDeps } from '../../src/jobs/runtime.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { makeUser, message } from '../helpers/activities.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/**
 * The server as the internet sees it: which routes exist, what their tokens give away, which paths they accept,
 * which headers every answer carries and how every refusal looks. Requests go through node:http so that paths
 * reach the server exactly as written (fetch would resolve `..` and `%2e%2e` before sending).
 */
let app: RunningApp;
let testDb: TestDb;
let awardId: string;
const clock = fixedClock(new Date());
const env = (db: TestDb, more: Record<string, string> = {}) =>
  loadEnv({ NODE_ENV: 'test', DATABASE_URL: db.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${db.file}.issuer-key.json`, ...more });

beforeAll(async () => {
  testDb = await createTestDb();
  app = await startApp({ env: env(testDb), logger: silentLogger, clock, migrate: false, port: 0, background: false });
  const person = await testDb.db.person.create({ data: { teamsUserId: '29:tiina', name: 'Tiina Teacher', email: 'tiina.teacher@luovi.example', language: 'en', onboardedAt: clock.now() } });
  const deps = badgesDeps({ env: env(testDb), db: testDb.db, logger: silentLogger, clock, badges: app.badges });
  ({ award: { id: awardId } } = await awardBadge(deps, { personId: person.id, badgeId: 'ICC-L2', awardedBy: 'cli:test' }));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});

type Answer = { status: number; headers: IncomingHttpHeaders; text: string };

function raw(base: string, method: string, pathAsWritten: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    // Node sends a DELETE or OPTIONS body without a length unless told: say it, as a real client would.
    const headers = { ...opts.headers, ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}) };
    const req = http.request({ host: url.hostname, port: url.port, method, path: pathAsWritten, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const get = (p: string, headers?: Record<string, string>) => raw(app.url, 'GET', p, { headers });

const registered = (a: RunningApp): string[] => (a.server.getDebugInfo().routes as { method: string; path: string }[]).map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();

/** The routes the README documents as public (its "Public HTTP routes" table). */
function documentedRoutes(): string[] {
  const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
  const table = readme.split('## Public HTTP routes')[1]!.split('\n## ')[0]!;
  return [...table.matchAll(/^\| `([A-Z]+ \/[^`]*)` \|/gm)].map((m) => m[1]!).sort();
}

/** A refusal: a short JSON object with one message, nothing about files, the database, the code or the request. */
function expectShortRefusal(a: Answer) {
  expect(a.headers['content-type']).toMatch(/^application\/json/);
  expect(a.text.length).toBeLessThan(120);
  const body = JSON.parse(a.text) as Record<string, unknown>;
  expect(typeof body.error).toBe('string');
  expect(a.text).not.toMatch(/ at |\.ts|\.js|node_modules|sqlite|prisma|select |\/work\/|package\.json|does not exist|rex-vet-mentor/i);
}

describe('the routes the server answers', () => {
  it('are exactly the documented public ones', () => {
    expect(documentedRoutes().length).toBeGreaterThan(10);
    expect(registered(app)).toEqual(documentedRoutes());
  });

  it.each(['/', '/admin', '/api', '/api/messages/x', '/.env', '/env.example', '/data/app.db', '/package.json', '/src/main.ts', '/node_modules/restify/package.json', '/prisma/schema.prisma', '/badges', '/charts'])(
    'anything else (%s) is a 404 with a short JSON body',
    async (p) => {
      const a = await get(p);
      expect(a.status).toBe(404);
      expectShortRefusal(a);
    },
  );
});

describe('download links', () => {
  it('an export link works for 15 minutes by the clock, then is a 404 just like a token that never existed', async () => {
    const start = clock.now();
    const { token } = await createRowsExport(testDb.db, clock, { organisationId: 'luovi', name: 'delivery', rows: [['person', 'status'], ['p1', 'delivered']], note: 'test', createdBy: 'test', format: 'csv' });
    clock.set(new Date(start.getTime() + 15 * 60_000 - 1000));
    const fresh = await get(`/exports/${token}.csv`);
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('p1,delivered');
    expect(fresh.headers['cache-control']).toBe('no-store');

    clock.set(new Date(start.getTime() + 15 * 60_000));
    const expired = await get(`/exports/${token}.csv`);
    const unknown = await get(`/exports/${crypto.randomBytes(24).toString('base64url')}.csv`);
    const otherFormat = await get(`/exports/${token}.xlsx`);
    clock.set(start);
    for (const a of [expired, unknown]) {
      expect(a.status).toBe(404);
      expectShortRefusal(a);
    }
    expect(expired.text).toBe(unknown.text);
    expect(otherFormat.status).toBe(404);
  });

  it.each([
    ['a results chart', '/charts/', '.png'],
    ['a digest chart', '/charts/mapping/', '.png'],
    ['my data', '/privacy/', '.json'],
    ['my data (page)', '/privacy/', '.html'],
  ])('an unknown token for %s is a plain 404', async (_name, prefix, suffix) => {
    const a = await get(`${prefix}${crypto.randomBytes(24).toString('base64url')}${suffix}`);
    expect(a.status).toBe(404);
    expectShortRefusal(a);
  });
});

describe('paths', () => {
  const payloads = [
    '..%2F..%2Fpackage.json',
    '%2e%2e%2f%2e%2e%2fpackage.json',
    '%2E%2E',
    '..%5C..%5Cpackage.json',
    '%252e%252e%252fpackage.json',
    '....%2F%2F....%2F%2Fetc%2Fpasswd',
    '%c0%ae%c0%ae%2fpackage.json',
    `${'A'.repeat(32)}%00.png`,
    `${'A'.repeat(32)}.png%00.json`,
    '%00',
    '%',
    '%zz',
  ];
  /** Every route with a path segment, each segment in turn replaced (the others given a plausible value). */
  const cases = () =>
    registered(app)
      .filter((r) => r.startsWith('GET ') && r.includes('/:'))
      .flatMap((r) => {
        const route = r.slice(4);
        const params = route.match(/:[a-z]+/g)!;
        return params.flatMap((param) => payloads.map((p) => route.replace(param, p).replace(/:id/g, awardId).replace(/:file/g, 'badge.png')));
      });

  it('no segment reaches a file: traversal, encoded dots and slashes, null bytes and broken escapes are a 404, never a 500', async () => {
    const paths = [...cases(), '/charts/../../package.json', '/badges/c/../../../package.json', '/badges/images/..%2F..%2F..%2Fdata%2Fapp.db', '/exports/..%2f..%2fdata%2fapp.db.csv', '/charts/%2e%2e/%2e%2e/package.json'];
    expect(paths.length).toBeGreaterThan(100);
    for (const p of paths) {
      const a = await get(p);
      expect([p, a.status]).toEqual([p, 404]);
      expectShortRefusal(a);
    }
  });
});

describe('headers', () => {
  const samples = () => [
    ['GET', '/healthz'],
    ['GET', '/badges/issuer'],
    ['GET', '/badges/status/revocation'],
    ['GET', '/badges/achievements/ICC-L2'],
    ['GET', '/badges/images/ICC-L2.png'],
    ['GET', '/badges/framework'],
    ['GET', `/badges/c/${awardId}`],
    ['GET', `/badges/c/${awardId}/badge.png`],
    ['GET', `/badges/c/${awardId}/badge.svg`],
    ['GET', `/badges/c/${awardId}/credential.json`],
    ['GET', `/badges/c/${awardId}/ob2`],
    ['GET', '/badges/ob2/issuer'],
    ['GET', '/badges/ob2/classes/ICC-L2'],
    ['GET', `/charts/${'A'.repeat(32)}.png`],
    ['GET', '/nowhere'],
    ['DELETE', '/healthz'],
    ['POST', '/api/messages'],
  ];

  it('every answer says: no sniffing, no referrer, no framing, no active content; and names no server', async () => {
    for (const [method, p] of samples()) {
      const a = await raw(app.url, method!, p!, { headers: { 'content-type': 'text/plain' }, body: method === 'POST' ? 'x' : undefined });
      expect(a.status).toBeLessThan(500);
      expect({ p, ...pick(a.headers) }).toEqual({
        p,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'content-security-policy': expect.stringMatching(/^default-src 'none';.*frame-ancestors 'none'/),
        'strict-transport-security': undefined,
        'x-powered-by': undefined,
        server: undefined,
      });
    }
  });

  it('the badge page may load its own styles and picture only: no script, no inline style beyond its own', async () => {
    const a = await get(`/badges/c/${awardId}`, { accept: 'text/html' });
    expect(a.headers['content-type']).toContain('text/html');
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toMatch(/unsafe|script-src|\*/);
    expect(csp).toContain("frame-ancestors 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(a.text)![1]!;
    expect(csp).toContain(`style-src 'sha256-${crypto.createHash('sha256').update(style).digest('base64')}'`);
    const img = /<img src="([^"]+)"/.exec(a.text)![1]!;
    expect(csp).toContain(`img-src ${new URL(img).origin}`);
    expect(a.text).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('Strict-Transport-Security is sent when the public address is https', async () => {
    const db = await createTestDb({ content: false });
    const secure = await startApp({ env: env(db, { PUBLIC_BASE_URL: 'https://rexvet.example.org' }), logger: silentLogger, migrate: false, port: 0, background: false });
    try {
      for (const p of ['/healthz', '/nowhere']) expect((await raw(secure.url, 'GET', p)).headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await secure.close();
      await db.close();
    }
  });
});

function pick(h: IncomingHttpHeaders) {
  const keys = ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-security-policy', 'strict-transport-security', 'x-powered-by', 'server'];
  return Object.fromEntries(keys.map((k) => [k, h[k]]));
}

describe('refusals', () => {
  const activity = () => JSON.stringify(message(makeUser('Tiina Teacher'), 'hello'));
  it.each<[string, number, { headers?: Record<string, string>; body?: string }]>([
    ['a body over 256 KB', 413, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...JSON.parse(activity()), padding: 'x'.repeat(300 * 1024) }) }],
    ['plain text', 415, { headers: { 'content-type': 'text/plain' }, body: 'hello' }],
    ['a form', 415, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=message' }],
    ['no content type', 415, { body: activity() }],
    ['malformed JSON', 400, { headers: { 'content-type': 'application/json' }, body: '{"type": "message",' }],
    ['an empty JSON body', 400, { headers: { 'content-type': 'application/json' }, body: '' }],
    ['JSON that is a string', 400, { headers: { 'content-type': 'application/json' }, body: '"hello"' }],
  ])('POST /api/messages with %s → %i', async (_name, status, opts) => {
    const a = await raw(app.url, 'POST', '/api/messages', opts);
    expect(a.status).toBe(status);
    expectShortRefusal(a);
  });

  it('other methods on every route are a 405 (or 404), never a 500', async () => {
    const routes = registered(app).map((r) => [r.split(' ')[0]!, r.split(' ')[1]!.replace(/:id/g, awardId).replace(/:file/g, 'badge.png')] as const);
    for (const [allowed, p] of routes) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'].filter((m) => m !== allowed)) {
        const a = await raw(app.url, method, p, { headers: { 'content-type': 'application/json' }, body: method === 'GET' || method === 'TRACE' ? undefined : '{}' });
        expect({ method, p, refused: [404, 405].includes(a.status) ? 'yes' : a.status }).toEqual({ method, p, refused: 'yes' });
        expectShortRefusal(a);
      }
    }
  });

  it('a failure inside a route is a 500 with a log reference, never the error’s text', async () => {
    const db = await createTestDb();
    const broken = await startApp({ env: env(db), logger: silentLogger, migrate: false, port: 0, background: false });
    try {
      await db.db.$executeRawUnsafe('ALTER TABLE "BadgeClass" RENAME TO "BadgeClassGone"');
      for (const p of ['/badges/achievements/ICC-L2', '/badges/images/ICC-L2.png']) {
        const a = await raw(broken.url, 'GET', p);
        expect(a.status).toBe(500);
        expectShortRefusal(a);
        expect(JSON.parse(a.text)).toEqual({ error: 'Internal error', ref: expect.stringMatching(/^[0-9a-f]{8}$/) });
        expect(a.text).not.toMatch(/BadgeClass/);
      }
    } finally {
      await broken.close();
      await db.close();
    }
  });
});
