import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from '../lib/time.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const csv = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []),
  z.array(z.string()),
);

/** `luovi:tenant-guid-1|tenant-guid-2,ee-partner:tenant-guid-3` → [{organisationId, tenantId}] */
const orgTenants = z.preprocess(
  (v) => (typeof v === 'string' ? v : ''),
  z.string().transform((raw, ctx) => {
    const pairs: { organisationId: string; tenantId: string }[] = [];
    for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [org, tenants] = entry.split(':');
      if (!org || !tenants) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${entry}" is not <organisationId>:<tenantId>[|<tenantId>…]` });
        continue;
      }
      for (const tenantId of tenants.split('|').map((s) => s.trim()).filter(Boolean)) pairs.push({ organisationId: org.trim(), tenantId });
    }
    return pairs;
  }),
);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3978),
    PUBLIC_BASE_URL: z.string().url().default('http://localhost:3978'),
    DATABASE_URL: z
      .string()
      .regex(/^file:.+/, 'must be a SQLite file URL such as file:./data/app.db')
      .default('file:./data/app.db'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BOT_ID: optionalString,
    BOT_PASSWORD: optionalString,
    BOT_TENANT_ID: optionalString,
    BOT_TYPE: z.preprocess(emptyToUndefined, z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant')),
    BOOTSTRAP_ADMINS: csv.pipe(
      z.array(
        z
          .string()
          .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be Microsoft Entra object ids (GUIDs)')
          .transform((id) => id.toLowerCase()),
      ),
    ),
    ORG_TENANTS: orgTenants,
    DEFAULT_LANGUAGE: z.preprocess(emptyToUndefined, z.string().min(2).default('en')),
    /** Reminders use the person's Teams time zone; this is for people whose client never sent one. */
    DEFAULT_TIME_ZONE: z.preprocess(emptyToUndefined, z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Helsinki').default('Europe/Helsinki')),
    /** Proactive sends per second to one tenant, for the whole deployment (all instances share it). */
    PROACTIVE_TENANT_RATE: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(50).default(25)),
    /** Jobs one instance runs at once. */
    JOB_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(8)),
    /** The Open Badges issuer's signing key (created on first start). Keep it out of git and back it up. */
    BADGE_KEY_FILE: z.preprocess(emptyToUndefined, z.string().default('./data/badge-issuer-key.json')),
    BADGE_ISSUER_NAME: z.preprocess(emptyToUndefined, z.string().min(2).max(200).default('REX VET Mentor — Erasmus+ partnership coordinated by Luovi')),
    /** The issuer's home page in badges (defaults to PUBLIC_BASE_URL). */
    BADGE_ISSUER_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
    BADGE_ISSUER_EMAIL: z.preprocess(emptyToUndefined, z.string().email().optional()),
    /** Managers never see a count of fewer than this many people (small-cell protection); at least 3. */
    PRIVACY_MIN_GROUP: z.preprocess(emptyToUndefined, z.coerce.number().int().min(3).max(50).default(5)),
    /** The key of the keyed hash (HMAC) that replaces an erased person in the audit log. Required in production. */
    PRIVACY_PSEUDONYM_KEY: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional()),
    /** Profiles not used for this many months are erased by the retention job. */
    RETENTION_INACTIVE_MONTHS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(120).default(24)),
    /** Weeks without activity (while a plan is active) before a gentle nudge. */
    NUDGE_AFTER_WEEKS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(26).default(3)),
  })
  .superRefine((env, ctx) => {
    if (env.BOT_ID && !env.BOT_PASSWORD && env.BOT_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BOT_PASSWORD'], message: 'is required when BOT_ID is set' });
    }
    if (env.BOT_ID && env.BOT_TYPE === 'SingleTenant' && !env.BOT_TENANT_ID) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BOT_TENANT_ID'], message: 'is required for a SingleTenant bot' });
    }
  });

export type Env = Omit<z.infer<typeof envSchema>, 'PRIVACY_PSEUDONYM_KEY'> & { PRIVACY_PSEUDONYM_KEY: string; localMode: boolean };

/** Outside production only: pseudonyms made with it are as good as none (the key is public). */
export const LOCAL_PSEUDONYM_KEY = 'rexvet-local-development-pseudonym-key-not-secret';

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses process.env (or a given record); throws an EnvError listing every bad key. */
export function loadEnv(source: Record<string, string | undefined> = process.env, opts: { requireBotCredentials?: boolean } = {}): Env {
  const result = envSchema.safeParse(source);
  const problems = result.success ? [] : result.error.issues.map((i) => `${String(i.path[0] ?? '(env)')}: ${i.message}`);
  if (result.success && opts.requireBotCredentials && !result.data.PUBLIC_BASE_URL.startsWith('https://')) {
    problems.push('PUBLIC_BASE_URL: must be https:// in production (badges, their issuer and revocation list are public documents verifiers fetch)');
  }
  if (result.success && opts.requireBotCredentials && !result.data.BOT_ID) {
    problems.push('BOT_ID: is required in production (`npm run serve`); use `npm start` for local mode without credentials');
  }
  if (result.success && opts.requireBotCredentials && !result.data.PRIVACY_PSEUDONYM_KEY) {
    problems.push('PRIVACY_PSEUDONYM_KEY: is required in production (a long random secret, e.g. `openssl rand -hex 32`; keep it, or erased people\'s audit entries can no longer be linked to one another)');
  }
  if (problems.length > 0 || !result.success) throw new EnvError(problems);
  return { ...result.data, PRIVACY_PSEUDONYM_KEY: result.data.PRIVACY_PSEUDONYM_KEY ?? LOCAL_PSEUDONYM_KEY, localMode: !result.data.BOT_ID };
}

/**
 * For the local commands (`npm start`, `npm run cli`, `npm run package`): .env when there is one, else env.example
 * as it is (its defaults make a working local setup). Variables already in the environment always win.
 */
export function loadEnvFile(root: string): string | undefined {
  const file = [path.join(root, '.env'), path.join(root, 'env.example')].find((f) => fs.existsSync(f));
  if (file) process.loadEnvFile(file);
  return file;
}
