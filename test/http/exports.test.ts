import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { loadEnv } from '../../src/config/env.js';
import { createExport, createRowsExport } from '../../src/features/mapping/export.service.js';
import { systemClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { createTestDb, snapshotTables, type TestDb } from '../helpers/db.js';

let app: RunningApp;
let testDb: TestDb;
const AREAS = ['EU', 'VET', 'LANG', 'ICC', 'CURR', 'LEARN', 'MOB', 'STRAT'];
const manager = { personId: 'mgr', onboarded: true, organisationId: 'luovi', grants: [{ role: 'manager' as const, scope: 'luovi' }] };

beforeAll(async () => {
  testDb = await createTestDb();
  app = await startApp({ env: loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json` }), logger: silentLogger, migrate: false, port: 0, background: false });
  const units = await testDb.db.unit.findMany({ where: { organisationId: 'luovi' }, select: { id: true } });
  // 14 Explorers in the first unit, 3 Practitioners in the second: the second unit and the Practitioner counts must never show.
  for (let i = 0; i < 17; i++) {
    const person = await testDb.db.person.create({ data: { teamsUserId: `29:s${i}`, organisationId: 'luovi', unitId: units[i < 14 ? 0 : 1]!.id, jobRole: 'teacher', onboardedAt: new Date('2026-10-01T00:00:00Z') } });
    const level = i < 14 ? 'L2' : 'L3';
    await testDb.db.assessment.create({ data: { personId: person.id, status: 'completed', frameworkVersion: '0.1.0', results: { areas: Object.fromEntries(AREAS.map((a) => [a, { mean: 2, level }])), overall: { mean: 2, level } }, startedAt: new Date('2026-11-01T00:00:00Z'), completedAt: new Date('2026-11-01T00:00:00Z') } });
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});

const deps = () => ({ db: testDb.db, clock: systemClock, k: 5 });
const numericCounts = (rows: (string | number)[][]) => rows.slice(1).map((r) => r[6]).filter((v): v is number => typeof v === 'number');

describe('mapping exports', () => {
  it('CSV: every group × area × level, small counts written as "hidden", never as numbers', async () => {
    const { token } = await createExport(deps(), manager, 'luovi', 'csv');
    const res = await fetch(`${app.url}/exports/${token}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="rexvet-mapping-luovi-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await res.text()).replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['organisation', 'breakdown', 'group', 'people', 'area', 'level', 'count', 'as_of']);
    const rows = lines.map((r) => r.map((v, i) => (i >= 3 && /^\d+$/.test(v) ? Number(v) : v)));
    for (const n of numericCounts(rows)) expect(n === 0 || n >= 5).toBe(true);
    expect(rows.some((r) => r[6] === 'hidden')).toBe(true);
    expect(rows.filter((r) => r[1] === 'unit' && r[3] !== 'hidden').length).toBe(0); // two units, one under k: both hidden
    expect(rows.find((r) => r[1] === 'organisation')![3]).toBe(17);
  });

  it('XLSX reads back with the same protected counts', async () => {
    const { token } = await createExport(deps(), manager, 'luovi', 'xlsx');
    const res = await fetch(`${app.url}/exports/${token}.xlsx`);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const rows: (string | number)[][] = [];
    book.getWorksheet('Mapping')!.eachRow((row) => rows.push((row.values as (string | number)[]).slice(1)));
    // The organisation, its two units with staff and the one job role: 4 groups × 8 areas × 4 levels, and the header.
    expect(rows.length).toBe(1 + 4 * 8 * 4);
    expect(rows[0]).toEqual(['organisation', 'breakdown', 'group', 'people', 'area', 'level', 'count', 'as_of']);
    for (const n of numericCounts(rows)) expect(n === 0 || n >= 5).toBe(true);
  });

  it('only a hash of a link’s token is stored (mapping and delivery exports alike); the link itself works', async () => {
    const mapping = await createExport(deps(), manager, 'luovi', 'csv');
    const rows = await createRowsExport(testDb.db, systemClock, { organisationId: 'luovi', name: 'rexvet-delivery', rows: [['recipient'], ['Tiina Teacher']], note: '', createdBy: 'person:x', format: 'csv' });
    const stored = JSON.stringify(await snapshotTables(testDb.db));
    for (const { token } of [mapping, rows]) {
      expect(stored).not.toContain(token);
      expect(stored).toContain(createHash('sha256').update(token).digest('hex'));
      expect((await fetch(`${app.url}/exports/${token}.csv`)).status).toBe(200);
    }
  });

  it('a display name a spreadsheet would run as a formula is written as text, also after a tab or a carriage return', async () => {
    const names = ['=HYPERLINK("https://evil.example","x")', '+1+1', '-2', '@SUM(A1)', '\t=cmd', '\r=cmd', 'Tiina Teacher'];
    const { token } = await createRowsExport(testDb.db, systemClock, { organisationId: 'luovi', name: 'rexvet-delivery', rows: [['recipient'], ...names.map((n) => [n])], note: '', createdBy: 'person:x', format: 'csv' });
    const csv = (await (await fetch(`${app.url}/exports/${token}.csv`)).text()).replace(/^\ufeff/, '');
    const cells = csv.trim().split('\r\n').slice(1);
    expect(cells.slice(0, 6).every((c) => c.startsWith('"\'') || c.startsWith("'"))).toBe(true);
    expect(cells[6]).toBe('Tiina Teacher');
  });

  it('links expire, and another organisation’s export is refused', async () => {
    const { token } = await createExport(deps(), manager, 'luovi', 'csv');
    await testDb.db.exportLink.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await fetch(`${app.url}/exports/${token}.csv`)).status).toBe(404);
    expect((await fetch(`${app.url}/exports/${token.slice(0, -1)}A.xlsx`)).status).toBe(404);
    await expect(createExport(deps(), manager, 'ee-partner', 'csv')).rejects.toThrow('forbidden');
  });
});
