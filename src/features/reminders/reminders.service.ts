import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { PeopleRepository } from '../people/people.repository.js';
import { readPrefs, REMINDER_KINDS, timeZoneOf, prefsSchema, type ReminderKind, type ReminderPrefs } from './preferences.js';
import { RemindersRepository } from './reminders.repository.js';
import { dueReminders, KIND_OF, type ReminderType } from './reminders.rules.js';

export type RemindersDeps = { db: Db; clock: Clock; defaultTimeZone: string; nudgeAfterWeeks: number };

export const reminderPayload = z.object({
  type: z.enum(['step-tomorrow', 'step-today', 'event-week', 'event-day', 'event-attended', 'assessment-unfinished', 'module-unfinished', 'checkin', 'reassess', 'nudge']),
  refId: z.string().min(1),
  n: z.number().int().min(0).max(10).optional(),
  expiresAt: z.string().datetime(),
  /** Event reminders: the start they were queued for (absent on reminders queued before this was recorded). */
  startsAt: z.string().datetime().optional(),
  snoozed: z.boolean().optional(),
});
export type ReminderPayload = z.infer<typeof reminderPayload>;

const WEEK = 7 * 86_400_000;

/** The daily look for one person at `at` (their preferred local time): queues each due reminder once. */
export async function scanPerson(deps: RemindersDeps, personId: string, at: Date): Promise<number> {
  const repo = new RemindersRepository(deps.db);
  const person = await repo.person(personId);
  const snapshot = await repo.snapshot(personId);
  if (!person || !snapshot) return 0;
  const prefs = readPrefs(person.reminderPrefs);
  const zone = timeZoneOf(prefs, person.timeZone, deps.defaultTimeZone);
  const queue = new JobQueue(deps.db);
  let created = 0;
  for (const r of dueReminders(snapshot, at, zone, { nudgeAfterWeeks: deps.nudgeAfterWeeks })) {
    if (prefs.off.includes(KIND_OF[r.type])) continue;
    const payload: ReminderPayload = {
      type: r.type, refId: r.refId, expiresAt: r.expiresAt, ...(r.n !== undefined ? { n: r.n } : {}), ...(r.startsAt ? { startsAt: r.startsAt } : {}),
    };
    if ((await queue.enqueue({ kind: 'reminder', key: r.key, payload, runAt: at, personId }, deps.clock.now())).created) created += 1;
  }
  return created;
}

async function ownSentReminder(deps: RemindersDeps, personId: string, jobId: string) {
  const job = await new RemindersRepository(deps.db).findReminderJob(jobId);
  if (!job || job.kind !== 'reminder' || job.personId !== personId) throw new AppError('not_found');
  const payload = reminderPayload.safeParse(job.payload);
  if (!payload.success) throw new AppError('not_found');
  return { job, payload: payload.data };
}

/** "Snooze 1 week": the same reminder again in a week. A second click (or a replay) changes nothing. */
export async function snoozeReminder(deps: RemindersDeps, personId: string, jobId: string): Promise<{ until: Date; type: ReminderType }> {
  const { job, payload } = await ownSentReminder(deps, personId, jobId);
  const now = deps.clock.now();
  const until = new Date(now.getTime() + WEEK);
  const expiresAt = new Date(Math.max(Date.parse(payload.expiresAt), until.getTime() + 86_400_000)).toISOString();
  const base = job.idempotencyKey.replace(/:snoozed:\d+$/, '');
  const round = Number(/:snoozed:(\d+)$/.exec(job.idempotencyKey)?.[1] ?? 0) + 1;
  const { job: snoozed } = await new JobQueue(deps.db).enqueue(
    { kind: 'reminder', key: `${base}:snoozed:${round}`, payload: { ...payload, expiresAt, snoozed: true }, runAt: until, personId },
    now,
  );
  return { until: snoozed.runAt, type: payload.type };
}

/** "Stop these": turns the reminder's kind off and cancels what is queued of that kind. */
export async function stopReminderKind(deps: RemindersDeps, personId: string, jobId: string): Promise<ReminderKind> {
  const { payload } = await ownSentReminder(deps, personId, jobId);
  const kind = KIND_OF[payload.type];
  const repo = new RemindersRepository(deps.db);
  const person = await repo.person(personId);
  const prefs = readPrefs(person?.reminderPrefs);
  if (!prefs.off.includes(kind)) await repo.savePrefs(personId, { ...prefs, off: [...prefs.off, kind] });
  await cancelQueuedOfKinds(deps, personId, [kind]);
  await new PeopleRepository(deps.db).audit({ actor: `person:${personId}`, action: 'reminders.stop', target: `person:${personId}`, details: { kind } });
  return kind;
}

async function cancelQueuedOfKinds(deps: RemindersDeps, personId: string, kinds: ReminderKind[]) {
  const queued = await new RemindersRepository(deps.db).queuedReminders(personId);
  const ids = queued.filter((j) => {
    const p = reminderPayload.safeParse(j.payload);
    return p.success && kinds.includes(KIND_OF[p.data.type]);
  }).map((j) => j.id);
  return new JobQueue(deps.db).cancelQueued(ids, deps.clock.now(), 'stopped by the person');
}

export type PrefsView = { prefs: ReminderPrefs; timeZone: string; clientTimeZone: string | null };

export async function reminderPrefsView(deps: RemindersDeps, personId: string): Promise<PrefsView> {
  const person = await new RemindersRepository(deps.db).person(personId);
  if (!person) throw new AppError('not_found');
  const prefs = readPrefs(person.reminderPrefs);
  return { prefs, timeZone: timeZoneOf(prefs, person.timeZone, deps.defaultTimeZone), clientTimeZone: person.timeZone };
}

export const prefsInput = z.object({
  on: z.array(z.enum(REMINDER_KINDS)),
  weeklyCap: z.number().int().min(0).max(14),
  quietStart: prefsSchema.shape.quietStart,
  quietEnd: prefsSchema.shape.quietEnd,
  time: prefsSchema.shape.time,
  timeZone: z.string().nullable(),
});

/** Saves the settings card; kinds turned off lose their queued reminders. */
export async function saveReminderPrefs(deps: RemindersDeps, personId: string, input: z.infer<typeof prefsInput>): Promise<PrefsView> {
  const off = REMINDER_KINDS.filter((k) => !input.on.includes(k));
  const prefs = prefsSchema.safeParse({ off, weeklyCap: input.weeklyCap, quietStart: input.quietStart, quietEnd: input.quietEnd, time: input.time, timeZone: input.timeZone });
  if (!prefs.success) throw new AppError('invalid_input');
  await new RemindersRepository(deps.db).savePrefs(personId, prefs.data);
  await cancelQueuedOfKinds(deps, personId, off);
  return reminderPrefsView(deps, personId);
}
