import { afterEach, describe, expect, it } from '@jest/globals';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { readPngHeader } from '../helpers/png.js';

let app: RunningApp | undefined;
let testDb: TestDb | undefined;
afterEach(async () => {
  await app?.close();
  await testDb?.close();
});

async function completedAssessment(db: TestDb['db'], token: string) {
  const person = await db.person.create({ data: { teamsUserId: '29:c', language: 'fi', jobRole: 'teacher', onboardedAt: new Date() } });
  const areas = await db.area.findMany({ select: { id: true } });
  const results = { areas: Object.fromEntries(areas.map((a, i) => [a.id, { mean: (i % 4) + 0.5, level: (['L1', 'L2', 'L3', 'L4'] as const)[i % 4] }])), overall: { mean: 2, level: 'L2' } };
  return db.assessment.create({ data: { personId: person.id, status: 'completed', frameworkVersion: '0.1.0', results, chartToken: token, startedAt: new Date(), completedAt: new Date(), jobRole: 'teacher' } });
}

describe('GET /charts/<token>.png', () => {
  it('serves the results chart as a PNG to anyone holding the unguessable link', async () => {
    testDb = await createTestDb();
    const token = 'A'.repeat(10) + 'b_-'.repeat(10);
    await completedAssessment(testDb.db, token);
    app = await startApp({ env: loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json` }), logger: silentLogger, migrate: false, port: 0 });
    const res = await fetch(`${app.url}/charts/${token}.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    const header = readPngHeader(png);
    expect(header.width).toBe(900);
    expect(header.height).toBeGreaterThan(300);
    expect(png.length).toBeLessThan(1024 * 1024);
  });

  it.each(['nope.png', `${'x'.repeat(40)}.png`, '..%2F..%2Fpackage.json', `${'A'.repeat(40)}.svg`])('answers %s with a plain 404', async (file) => {
    testDb = await createTestDb();
    app = await startApp({ env: loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json` }), logger: silentLogger, migrate: false, port: 0 });
    const res = await fetch(`${app.url}/charts/${file}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/at .*\.js|sqlite|prisma/i);
  });
});
