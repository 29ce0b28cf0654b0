import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { EnvError, LOCAL_PSEUDONYM_KEY, loadEnv } from '../../src/config/env.js';

function parseDotEnv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

describe('environment', () => {
  it('env.example works as it is, in local mode', () => {
    const env = loadEnv(parseDotEnv('env.example'));
    expect(env.localMode).toBe(true);
    expect(env.PORT).toBe(3978);
    expect(env.BOOTSTRAP_ADMINS).toEqual(['00000000-0000-4000-8000-000000000a01']);
  });

  it('has defaults for everything', () => {
    expect(loadEnv({})).toMatchObject({ PORT: 3978, PUBLIC_BASE_URL: 'http://localhost:3978', DATABASE_URL: 'file:./data/app.db', localMode: true, ORG_TENANTS: [] });
  });

  it('refuses to start and lists every bad key at once', () => {
    let error: EnvError | undefined;
    try {
      loadEnv({ PORT: 'eighty', PUBLIC_BASE_URL: 'not a url', LOG_LEVEL: 'loud', BOOTSTRAP_ADMINS: 'bob', ORG_TENANTS: 'luovi' });
    } catch (e) {
      error = e as EnvError;
    }
    expect(error).toBeInstanceOf(EnvError);
    const keys = error!.problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(expect.arrayContaining(['PORT', 'PUBLIC_BASE_URL', 'LOG_LEVEL', 'BOOTSTRAP_ADMINS', 'ORG_TENANTS']));
  });

  it('in Teams mode needs the password and, for a single-tenant bot, the tenant', () => {
    expect(() => loadEnv({ BOT_ID: 'a' })).toThrow(/BOT_PASSWORD[\s\S]*BOT_TENANT_ID/);
    const env = loadEnv({ BOT_ID: 'a', BOT_PASSWORD: 'p', BOT_TENANT_ID: 't' });
    expect(env.localMode).toBe(false);
  });

  it('production (npm run serve) refuses to start without Bot credentials', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' }, { requireBotCredentials: true })).toThrow(/BOT_ID: is required in production/);
  });

  it('production needs its own pseudonym key (at least 32 characters); elsewhere a public development key is used', () => {
    const prod = { NODE_ENV: 'production', BOT_ID: 'a', BOT_PASSWORD: 'p', BOT_TENANT_ID: 't', PUBLIC_BASE_URL: 'https://rexvet.example.org' };
    expect(() => loadEnv(prod, { requireBotCredentials: true })).toThrow(/PRIVACY_PSEUDONYM_KEY: is required in production/);
    expect(() => loadEnv({ ...prod, PRIVACY_PSEUDONYM_KEY: 'short' }, { requireBotCredentials: true })).toThrow(/PRIVACY_PSEUDONYM_KEY: must be at least 32 characters/);
    expect(loadEnv({ ...prod, PRIVACY_PSEUDONYM_KEY: 'k'.repeat(32) }, { requireBotCredentials: true }).PRIVACY_PSEUDONYM_KEY).toBe('k'.repeat(32));
    expect(loadEnv({}).PRIVACY_PSEUDONYM_KEY).toBe(LOCAL_PSEUDONYM_KEY);
    expect(loadEnv({}).RETENTION_INACTIVE_MONTHS).toBe(24);
  });

  it('parses the tenant map, several tenants per organisation', () => {
    expect(loadEnv({ ORG_TENANTS: 'luovi:t1|t2, ee-partner:t3' }).ORG_TENANTS).toEqual([
      { organisationId: 'luovi', tenantId: 't1' },
      { organisationId: 'luovi', tenantId: 't2' },
      { organisationId: 'ee-partner', tenantId: 't3' },
    ]);
  });
});
