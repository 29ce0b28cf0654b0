import type { Env } from '../config/env.js';
import type { Db } from '../db/client.js';
import { createAdapter, createBot } from '../bot/app.js';
import { JobQueue, type JobStatus } from '../jobs/queue.js';
import { Background, createSender, openBadgeIssuer } from '../jobs/runtime.js';
import { fixedClock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

const LISTED: JobStatus[] = ['queued', 'leased', 'sending', 'failed', 'unknown', 'dead'];

/** `jobs`: what waits, what failed, what nobody can tell about, what ran out of attempts; and stopped tenants. */
export async function listJobs(db: Db, out: (line: string) => void): Promise<number> {
  const queue = new JobQueue(db);
  const counts = await queue.counts();
  out(`Jobs by status: ${counts.map((c) => `${c.status} ${c._count._all}`).join(', ') || 'none'}`);
  const jobs = await queue.list(LISTED);
  if (jobs.length === 0) out('Nothing queued, failed, unknown or dead-lettered.');
  for (const j of jobs) {
    out(`${j.status.padEnd(8)} ${j.kind.padEnd(9)} run at ${j.runAt.toISOString()}  attempts ${j.attempts}  ${j.idempotencyKey}${j.lastError ? `\n         ${j.lastError}` : ''}`);
  }
  const tenants = await db.tenantState.findMany({ where: { disabledAt: { not: null } } });
  for (const t of tenants) out(`tenant ${t.tenantId}: Teams refused the bot (${t.reason}) since ${t.disabledAt!.toISOString()}; nothing is sent there until someone from it writes again.`);
  return 0;
}

/**
 * `run-due [--until <ISO>]`: one scheduler tick and every job due up to that time, with the clock set to it. In local
 * mode a future time shows what would be sent then (e.g. next week's reminders); production refuses it.
 */
export async function runDue(deps: { env: Env; db: Db; logger: Logger }, until: string | undefined, out: (line: string) => void): Promise<number> {
  const now = new Date();
  const at = until ? new Date(until) : now;
  if (Number.isNaN(at.getTime())) {
    out(`"${until}" is not a date and time; use ISO 8601, e.g. 2026-12-07T09:05:00+02:00.`);
    return 1;
  }
  if (deps.env.NODE_ENV === 'production' && at.getTime() > now.getTime() + 60_000) {
    out('Refused: a future --until would send future reminders now. It is for local demos; in production run-due takes no --until in the future.');
    return 1;
  }
  const clock = fixedClock(at);
  const adapter = createAdapter(deps.env);
  const bot = createBot({ ...deps, clock, adapter });

  const badges = await openBadgeIssuer(deps.env, deps.db, clock);
  const background = new Background({ ...deps, clock, badges, sender: createSender({ ...deps, clock, app: bot.app }) });
  const startedAt = new Date();
  for (const r of await background.tickOnce()) out(`${r.name}: ${r.recipients} recipients, ${r.occurrences} due by ${at.toISOString()}, ${r.queued} jobs queued`);
  const ran = await background.worker.drain();
  const touched = await deps.db.job.findMany({ where: { updatedAt: { gte: startedAt } }, orderBy: { updatedAt: 'asc' }, select: { status: true, kind: true, idempotencyKey: true, lastError: true } });
  out(`Ran ${ran} due jobs.`);
  for (const j of touched) out(`  ${j.status.padEnd(8)} ${j.kind.padEnd(9)} ${j.idempotencyKey}${j.lastError && j.status !== 'sent' ? ` (${j.lastError})` : ''}`);
  return 0;
}
