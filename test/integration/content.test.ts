import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContentError, loadContent } from '../../src/features/content/content.service.js';
import { contentDir } from '../../src/lib/paths.js';
import { createTestDb, snapshotTables, type TestDb } from '../helpers/db.js';

let t: TestDb;
afterEach(async () => t?.close());

function copyContent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rexvet-content-'));
  fs.cpSync(contentDir, dir, { recursive: true });
  return dir;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- content files are edited freely to provoke each case
const edit = (dir: string, file: string, fn: (json: any) => void) => {
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  fn(json);
  fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
};

describe('content loading', () => {
  it('loads the framework (8 areas, their statements), role profiles and partner organisations', async () => {
    t = await createTestDb({ content: false });
    const results = await loadContent(t.db, { dir: contentDir });
    expect(results.every((r) => r.status === 'loaded')).toBe(true);
    expect(await t.db.area.count()).toBe(8);
    expect((await t.db.area.findMany({ orderBy: { position: 'asc' } })).map((a) => a.id)).toEqual(['EU', 'VET', 'LANG', 'ICC', 'CURR', 'LEARN', 'MOB', 'STRAT']);
    expect(await t.db.statement.count()).toBeGreaterThanOrEqual(16);
    expect((await t.db.jobRole.findMany()).map((r) => r.id).sort()).toEqual(['coordinator', 'manager', 'support_staff', 'teacher']);
    const luovi = await t.db.organisation.findUniqueOrThrow({ where: { id: 'luovi' }, include: { units: true } });
    expect(luovi.units.length).toBeGreaterThan(0);
    const eu = await t.db.area.findUniqueOrThrow({ where: { id: 'EU' } });
    expect((eu.content as { name: { fi: string } }).name.fi).toBeTruthy();
  });

  it('loads events with their local times converted to UTC, and modules from their folder', async () => {
    t = await createTestDb({ content: false });
    await loadContent(t.db, { dir: contentDir });
    const webinar = await t.db.event.findUniqueOrThrow({ where: { id: 'webinar-erasmus-basics-2027-02' } });
    expect(webinar.startsAt.toISOString()).toBe('2027-02-10T12:00:00.000Z');
    expect(await t.db.module.count({ where: { active: true } })).toBe(10);
  });

  it('is idempotent: a second run changes nothing and duplicates nothing', async () => {
    t = await createTestDb({ content: false });
    await loadContent(t.db, { dir: contentDir });
    const before = await snapshotTables(t.db);
    const again = await loadContent(t.db, { dir: contentDir });
    expect(again.every((r) => r.status === 'unchanged')).toBe(true);
    expect(await snapshotTables(t.db)).toEqual(before);
  });

  it('updates changed content in place, keeping ids (people who point at a unit keep pointing at it)', async () => {
    t = await createTestDb({ content: false });
    await loadContent(t.db, { dir: contentDir });
    const person = await t.db.person.create({ data: { teamsUserId: '29:x', organisationId: 'luovi', unitId: 'luovi-teaching' } });
    const dir = copyContent();
    edit(dir, 'framework.json', (f) => {
      f.version = '0.1.1';
      f.areas[0].name.en = 'Europe, the EU and me';
    });
    edit(dir, 'organisations.json', (f) => {
      f.version = '0.1.1';
      f.organisations[0].units = f.organisations[0].units.filter((u: { id: string }) => u.id !== 'luovi-teaching');
    });
    const results = await loadContent(t.db, { dir, extraTenants: [{ organisationId: 'luovi', tenantId: 'tenant-1' }] });
    expect(results.find((r) => r.file === 'framework.json')).toEqual({ file: 'framework.json', version: '0.1.1', status: 'updated' });
    expect(((await t.db.area.findUniqueOrThrow({ where: { id: 'EU' } })).content as { name: { en: string } }).name.en).toBe('Europe, the EU and me');
    expect(await t.db.area.count()).toBe(8);
    expect((await t.db.unit.findUniqueOrThrow({ where: { id: 'luovi-teaching' } })).active).toBe(false);
    expect((await t.db.person.findUniqueOrThrow({ where: { id: person.id } })).unitId).toBe('luovi-teaching');
    expect(await t.db.organisationTenant.findMany({ select: { tenantId: true, organisationId: true, source: true } })).toEqual([
      { tenantId: 'tenant-1', organisationId: 'luovi', source: 'env' },
    ]);
  });

  it('refuses invalid content with every problem listed, and loads none of it', async () => {
    t = await createTestDb({ content: false });
    const dir = copyContent();
    edit(dir, 'framework.json', (f) => {
      f.areas[1].statements[0].id = 'not an id';
    });
    edit(dir, 'role-profiles.json', (f) => {
      f.roles[0].default = 'L9';
    });
    await expect(loadContent(t.db, { dir })).rejects.toThrow(ContentError);
    await expect(loadContent(t.db, { dir })).rejects.toThrow(/framework\.json[\s\S]*role-profiles\.json/);
    expect(await t.db.area.count()).toBe(0);
    expect(await t.db.contentVersion.count()).toBe(0);
  });

  it('refuses a tenant mapping to an organisation that does not exist', async () => {
    t = await createTestDb({ content: false });
    await expect(loadContent(t.db, { dir: contentDir, extraTenants: [{ organisationId: 'nowhere', tenantId: 't' }] })).rejects.toThrow(/nowhere/);
  });
});
