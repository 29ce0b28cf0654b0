import os from 'node:os';
import { parseArgs } from 'node:util';
import { EnvError, loadEnv, loadEnvFile } from '../config/env.js';
import { createDb } from '../db/client.js';
import { migrateDeploy } from '../db/migrate.js';
import { loadContent } from '../features/content/content.service.js';
import { grantRole, revokeRole } from '../features/people/grants.service.js';
import { GRANT_ROLES, PARTNERSHIP } from '../features/people/roles.js';
import { AppError } from '../lib/errors.js';
import { createLogger } from '../lib/logger.js';
import { contentDir, projectRoot } from '../lib/paths.js';
import { isEntryPoint } from './entry.js';
import { listJobs, runDue } from './jobs.commands.js';
import { awardFromCli, listBadges, revokeFromCli } from './badges.commands.js';
import { demoData } from './demo.commands.js';
import { eraseFromCli } from './privacy.commands.js';

/** The operators' command line: `npm run cli -- <command> [options]`. Same services as the bot. */
const COMMANDS: Record<string, { usage: string; summary: string }> = {
  'grant-role': {
    usage: 'grant-role --email <email> --role <role> --org <organisationId|partnership>',
    summary: `give a permission (${GRANT_ROLES.join(', ')}) for one organisation or the whole ${PARTNERSHIP}`,
  },
  'revoke-role': { usage: 'revoke-role --email <email> --role <role> --org <organisationId|partnership>', summary: 'take a permission away' },
  'load-content': { usage: 'load-content', summary: 'load prisma/content/*.json into the database (idempotent; changed files update in place)' },
  'list-badges': { usage: 'list-badges', summary: 'list badge ids and names' },
  'award-badge': {
    usage: 'award-badge --email <email> --badge <badgeId> [--note <text>]',
    summary: 'issue a badge (e.g. after a training activity); prints the credential\'s public URL as the last line',
  },
  'revoke-badge': { usage: 'revoke-badge --credential <credential id or public URL> --reason <text>', summary: 'revoke an issued badge' },
  'demo-data': { usage: 'demo-data --org <organisationId> --staff <n>', summary: 'create fictitious, clearly marked staff with assessments, plans and badges (refused in production)' },
  'erase-person': {
    usage: 'erase-person --email <email> [--yes]',
    summary: "erase a person and everything stored about them, as 'delete my data' does (an erasure request that reached you another way); without --yes it only says who",
  },
  jobs: { usage: 'jobs', summary: 'list queued, failed, unknown and dead-lettered background jobs, and tenants where Teams stopped the bot' },
  'run-due': {
    usage: 'run-due [--until <ISO time>]',
    summary: 'run the scheduler once and send every job due by then, with the clock set to it (a future time is refused in production)',
  },
};

function help(): string {
  const lines = ['Usage: npm run cli -- <command> [options]', '', 'Commands:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push('', 'Every grant and revoke is written to the audit log. The database is DATABASE_URL (default file:./data/app.db).');
  return lines.join('\n');
}

export async function runCli(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(help());
    return command ? 0 : 1;
  }
  if (!COMMANDS[command]) {
    out(`Unknown command "${command}".\n\n${help()}`);
    return 1;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' }, until: { type: 'string' }, badge: { type: 'string' }, note: { type: 'string' }, credential: { type: 'string' }, reason: { type: 'string' }, staff: { type: 'string' }, yes: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    out(`${(error as Error).message}\nUsage: npm run cli -- ${COMMANDS[command].usage}`);
    return 1;
  }
  if (values.help) {
    out(`Usage: npm run cli -- ${COMMANDS[command].usage}\n  ${COMMANDS[command].summary}`);
    return 0;
  }
  loadEnvFile(projectRoot);
  const env = loadEnv(process.env);
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  await migrateDeploy(env.DATABASE_URL);
  const db = await createDb(env.DATABASE_URL, logger);
  try {
    if (command === 'load-content') {
      // ORG_TENANTS belongs to the running bot's environment: the CLI keeps the mappings the bot wrote.
      for (const r of await loadContent(db, { dir: contentDir })) out(`${r.file} ${r.version}: ${r.status}`);
      return 0;
    }
    if (command === 'jobs') return await listJobs(db, out);
    if (command === 'list-badges') return await listBadges(db, out);
    if (command === 'demo-data') {
      if (typeof values.org !== 'string' || typeof values.staff !== 'string') {
        out(`Missing option.\nUsage: npm run cli -- ${COMMANDS[command].usage}`);
        return 1;
      }
      return await demoData({ env, db }, { org: values.org, staff: values.staff }, out);
    }
    if (command === 'award-badge' || command === 'revoke-badge') {
      const need = command === 'award-badge' ? (['email', 'badge'] as const) : (['credential', 'reason'] as const);
      if (need.some((k) => typeof values[k] !== 'string' || !(values[k] as string).trim())) {
        out(`Missing option.\nUsage: npm run cli -- ${COMMANDS[command].usage}`);
        return 1;
      }
      const v = values as Record<string, string>;
      return command === 'award-badge'
        ? await awardFromCli({ env, db, logger }, { email: v.email!, badge: v.badge!, note: v.note }, out)
        : await revokeFromCli({ env, db, logger }, { credential: v.credential!, reason: v.reason! }, out);
    }
    if (command === 'erase-person') {
      if (typeof values.email !== 'string' || !values.email.trim()) {
        out(`Missing option.\nUsage: npm run cli -- ${COMMANDS[command].usage}`);
        return 1;
      }
      return await eraseFromCli({ env, db }, { email: values.email, yes: values.yes === true }, out);
    }
    if (command === 'run-due') return await runDue({ env, db, logger }, values.until as string | undefined, out);
    const { email, role, org } = values;
    if (typeof email !== 'string' || typeof role !== 'string' || typeof org !== 'string') {
      out(`Missing option.\nUsage: npm run cli -- ${COMMANDS[command].usage}`);
      return 1;
    }
    const actor = `cli:${os.userInfo().username}`;
    const opts = { email, role, scope: org, actor };
    const result = command === 'grant-role' ? await grantRole(db, opts) : await revokeRole(db, opts);
    const who = `${result.person.name ?? '?'} <${result.person.email ?? email}>`;
    const messages = {
      granted: `Granted ${role} (${org}) to ${who}.`,
      already: `${who} already has ${role} (${org}); nothing changed.`,
      revoked: `Revoked ${role} (${org}) from ${who}.`,
      absent: `${who} does not have ${role} (${org}); nothing changed.`,
    };
    out(messages[result.status]);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      out(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

if (isEntryPoint(import.meta.url)) {
  runCli(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error) => {
      if (error instanceof EnvError) process.stderr.write(`${error.message}\n`);
      else process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
