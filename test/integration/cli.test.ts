import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

let t: TestDb;
let lines: string[];
const run = (...argv: string[]) => runCli(argv, (l) => lines.push(l));

beforeEach(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  process.env.LOG_LEVEL = 'silent';
  lines = [];
  await t.db.person.create({ data: { teamsUserId: '29:matti', name: 'Matti Manager', email: 'matti.manager@luovi.example', organisationId: 'luovi' } });
});
afterEach(async () => {
  delete process.env.DATABASE_URL;
  await t.close();
});

describe('npm run cli', () => {
  it('--help lists the commands', async () => {
    expect(await run('--help')).toBe(0);
    expect(lines.join('\n')).toMatch(/grant-role --email <email> --role <role> --org <organisationId\|partnership>[\s\S]*revoke-role[\s\S]*load-content/);
  });

  it('grants a role once, audits it, and revoking takes it away (audited too)', async () => {
    expect(await run('grant-role', '--email', 'Matti.Manager@luovi.example', '--role', 'manager', '--org', 'luovi')).toBe(0);
    expect(await run('grant-role', '--email', 'matti.manager@luovi.example', '--role', 'manager', '--org', 'luovi')).toBe(0);
    expect(lines).toEqual([
      'Granted manager (luovi) to Matti Manager <matti.manager@luovi.example>.',
      'Matti Manager <matti.manager@luovi.example> already has manager (luovi); nothing changed.',
    ]);
    expect(await t.db.grant.findMany({ select: { role: true, scope: true } })).toEqual([{ role: 'manager', scope: 'luovi' }]);
    expect(await run('revoke-role', '--email', 'matti.manager@luovi.example', '--role', 'manager', '--org', 'luovi')).toBe(0);
    expect(await t.db.grant.count()).toBe(0);
    const audit = await t.db.auditLog.findMany({ orderBy: { at: 'asc' }, select: { action: true, actor: true } });
    expect(audit.map((a) => a.action)).toEqual(['grant', 'revoke']);
    expect(audit[0]!.actor).toMatch(/^cli:/);
  });

  it('grants for the whole partnership', async () => {
    expect(await run('grant-role', '--email', 'matti.manager@luovi.example', '--role', 'admin', '--org', 'partnership')).toBe(0);
    expect(await t.db.grant.findFirstOrThrow()).toMatchObject({ role: 'admin', scope: 'partnership' });
  });

  it('erase-person says who without --yes, erases with it (audit pseudonymised), and a second run finds nobody', async () => {
    expect(await run('grant-role', '--email', 'matti.manager@luovi.example', '--role', 'manager', '--org', 'luovi')).toBe(0);
    expect(await run('erase-person', '--email', 'Matti.Manager@luovi.example')).toBe(1);
    expect(lines.at(-1)).toContain('This would erase Matti Manager');
    expect(await t.db.person.count()).toBe(1);
    expect(await run('erase-person', '--email', 'matti.manager@luovi.example', '--yes')).toBe(0);
    expect(lines.at(-1)).toMatch(/^Erased; the audit log now names them pseudonym:/);
    expect(await t.db.person.count()).toBe(0);
    expect(JSON.stringify(await t.db.auditLog.findMany())).not.toMatch(/matti|Matti/);
    expect(await run('erase-person', '--email', 'matti.manager@luovi.example', '--yes')).toBe(1);
    expect(lines.at(-1)).toContain('No one with the e-mail matti.manager@luovi.example is stored');
  });

  it.each([
    [['grant-role', '--email', 'nobody@luovi.example', '--role', 'manager', '--org', 'luovi'], /Nobody with e-mail nobody@luovi\.example/],
    [['grant-role', '--email', 'matti.manager@luovi.example', '--role', 'emperor', '--org', 'luovi'], /Unknown role "emperor"/],
    [['grant-role', '--email', 'matti.manager@luovi.example', '--role', 'manager', '--org', 'atlantis'], /Unknown organisation "atlantis"/],
    [['grant-role', '--email', 'matti.manager@luovi.example'], /Missing option/],
    [['grant-role', '--mail', 'x'], /Unknown option/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('refuses %j with a clear message and changes nothing', async (argv, message) => {
    expect(await run(...argv)).toBe(1);
    expect(lines.join('\n')).toMatch(message);
    expect(await t.db.grant.count()).toBe(0);
    expect(await t.db.auditLog.count()).toBe(0);
  });

  it('load-content reports each file', async () => {
    expect(await run('load-content')).toBe(0);
    expect(lines).toContain('framework.json 0.1.0: unchanged');
  });

  it('lists badges, awards one (the last line is its public URL), and revokes it by that URL', async () => {
    process.env.BADGE_KEY_FILE = `${t.file}.issuer-key.json`;
    try {
      expect(await run('list-badges')).toBe(0);
      expect(lines).toContain('ICC-L2             Explorer: Intercultural competence');
      expect(lines).toContain('META-EXPERT        REX VET Expert path');
      lines = [];
      expect(await run('award-badge', '--email', 'matti.manager@luovi.example', '--badge', 'MOB-L3', '--note', 'Coordinated the Tallinn mobility.')).toBe(0);
      const url = lines.at(-1)!;
      expect(url).toMatch(/^http:\/\/localhost:3978\/badges\/c\/[0-9a-f-]{36}$/);
      expect(await t.db.badgeAward.count({ where: { badgeClassId: 'MOB-L3', revokedAt: null } })).toBe(1);
      expect(await t.db.job.count({ where: { kind: 'notify', idempotencyKey: { startsWith: 'notify:badge:' } } })).toBe(1);
      lines = [];
      expect(await run('award-badge', '--email', 'matti.manager@luovi.example', '--badge', 'NOPE-L9')).toBe(1);
      expect(lines[0]).toContain('No badge "NOPE-L9"');
      lines = [];
      expect(await run('revoke-badge', '--credential', url, '--reason', 'Wrong person')).toBe(0);
      expect(lines[0]).toMatch(/^Revoked MOB-L3/);
      expect(await t.db.badgeAward.findFirstOrThrow()).toMatchObject({ revokeReason: 'Wrong person' });
      expect((await t.db.auditLog.findMany({ select: { action: true } })).map((a) => a.action)).toEqual(expect.arrayContaining(['badge.award', 'badge.revoke']));
    } finally {
      delete process.env.BADGE_KEY_FILE;
    }
  });

  it('demo-data creates clearly marked fictitious staff (replacing earlier ones) and is refused in production', async () => {
    expect(await run('demo-data', '--org', 'luovi', '--staff', '40')).toBe(0);
    expect(lines.at(-1)).toMatch(/^Created 40 fictitious staff for luovi \(marked demo\)/);
    expect(await run('demo-data', '--org', 'luovi', '--staff', '25')).toBe(0);
    expect(lines.at(-1)).toContain('Replaced 40 earlier demo staff.');
    const demo = await t.db.person.findMany({ where: { demo: true }, select: { name: true, email: true } });
    expect(demo).toHaveLength(25);
    for (const p of demo) {
      expect(p.name).toMatch(/\(demo\)$/);
      expect(p.email).toMatch(/\.demo\.invalid$/);
    }
    expect(await t.db.badgeAward.count({ where: { awardedBy: { not: 'demo-data' } } })).toBe(0);
    expect(await run('demo-data', '--org', 'nowhere', '--staff', '5')).toBe(1);
    const saved = { ...process.env };
    process.env.NODE_ENV = 'production';
    process.env.BOT_ID = '7d9f1c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f';
    process.env.BOT_PASSWORD = 'x';
    process.env.BOT_TENANT_ID = 't';
    try {
      lines = [];
      expect(await run('demo-data', '--org', 'luovi', '--staff', '5')).toBe(1);
      expect(lines[0]).toBe('Refused: demo data is never created in production.');
    } finally {
      for (const k of ['NODE_ENV', 'BOT_ID', 'BOT_PASSWORD', 'BOT_TENANT_ID']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
