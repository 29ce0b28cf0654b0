import { z } from 'zod';
import { addDays, isTimeZone, localParts, zonedToUtc } from '../../lib/time.js';

/** Reminder kinds a person can turn off one by one (the settings card has a toggle for each). */
export const REMINDER_KINDS = ['steps', 'events', 'unfinished', 'checkins', 'reassess', 'nudge'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const prefsSchema = z.object({
  off: z.array(z.enum(REMINDER_KINDS)).default([]),
  /** Reminder cards per rolling 7 days; 0 means no limit. */
  weeklyCap: z.number().int().min(0).max(14).default(3),
  quietStart: hhmm.default('20:00'),
  quietEnd: hhmm.default('07:00'),
  /** When the daily look for reminders happens, local time. */
  time: hhmm.default('09:00'),
  /** Chosen in settings; otherwise the Teams client's zone, otherwise the deployment default. */
  timeZone: z.string().refine(isTimeZone, 'unknown time zone').nullable().default(null),
});
export type ReminderPrefs = z.infer<typeof prefsSchema>;

export const DEFAULT_PREFS: ReminderPrefs = prefsSchema.parse({});

/** Stored preferences, or the defaults when there are none or they no longer parse (never throws). */
export function readPrefs(stored: unknown): ReminderPrefs {
  const parsed = prefsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_PREFS;
}

export function timeZoneOf(prefs: ReminderPrefs, clientTimeZone: string | null | undefined, fallback: string): string {
  if (prefs.timeZone) return prefs.timeZone;
  if (clientTimeZone && isTimeZone(clientTimeZone)) return clientTimeZone;
  return fallback;
}

/** The daily reminder look, as a cron expression evaluated in the person's zone. */
export function dailyCron(prefs: ReminderPrefs): string {
  const [h, m] = prefs.time.split(':').map(Number) as [number, number];
  return `${m} ${h} * * *`;
}

const toMinutes = (t: string) => {
  const [h, m] = t.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** Within quiet hours (which may span midnight), local time. */
export function isQuiet(at: Date, timeZone: string, prefs: ReminderPrefs): boolean {
  const start = toMinutes(prefs.quietStart);
  const end = toMinutes(prefs.quietEnd);
  if (start === end) return false;
  const { minutes } = localParts(at, timeZone);
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** The next end of quiet hours after `at` (when a reminder held back may go). */
export function quietEndsAfter(at: Date, timeZone: string, prefs: ReminderPrefs): Date {
  const { date } = localParts(at, timeZone);
  for (const day of [date, addDays(date, 1), addDays(date, 2)]) {
    const end = zonedToUtc(`${day}T${prefs.quietEnd}`, timeZone);
    if (end > at) return end;
  }
  return new Date(at.getTime() + 86_400_000);
}
