import { addDays, daysBetween, localParts, zonedToUtc } from '../../lib/time.js';
import type { ReminderKind } from './preferences.js';

/** What the rules need to know about one person (loaded by reminders.repository.ts). */
export type ReminderSnapshot = {
  personId: string;
  lastSeenAt: Date;
  plan: { id: string; createdAt: Date; checkins: string[]; steps: { id: string; status: string; goalBy: Date | null }[] } | null;
  rsvps: { eventId: string; status: string; startsAt: Date; endsAt?: Date; cancelled: boolean }[];
  openAssessment: { id: string; updatedAt: Date } | null;
  openModules: { moduleId: string; startedAt: Date; updatedAt: Date }[];
  lastCompletedAssessment: { id: string; completedAt: Date } | null;
  lastNudgeAt: Date | null;
};

export type ReminderType =
  | 'step-tomorrow' | 'step-today' | 'event-week' | 'event-day' | 'event-attended' | 'assessment-unfinished' | 'module-unfinished' | 'checkin' | 'reassess' | 'nudge';

export const KIND_OF: Record<ReminderType, ReminderKind> = {
  'step-tomorrow': 'steps', 'step-today': 'steps', 'event-week': 'events', 'event-day': 'events', 'event-attended': 'events',
  'assessment-unfinished': 'unfinished', 'module-unfinished': 'unfinished', checkin: 'checkins', reassess: 'reassess', nudge: 'nudge',
};

/** One reminder: `key` is its idempotency key (the same reminder is never queued twice). */
export type DueReminder = { type: ReminderType; refId: string; key: string; expiresAt: string; n?: number; startsAt?: string };

export type RuleOptions = { nudgeAfterWeeks: number };

const DAY = 86_400_000;
const UNFINISHED_AFTER_DAYS = 3;
const REASSESS_MONTHS = 6;

/**
 * The reminders due for one person at one daily look (`at`, in their zone). Pure: the same snapshot and time always
 * give the same list. Every reminder is tied to a day or happens once, so its key makes it idempotent.
 */
export function dueReminders(s: ReminderSnapshot, at: Date, timeZone: string, opts: RuleOptions): DueReminder[] {
  const today = localParts(at, timeZone).date;
  const endOf = (date: string) => zonedToUtc(`${addDays(date, 1)}T00:00`, timeZone).toISOString();
  const out: DueReminder[] = [];
  const p = s.personId;

  for (const step of s.plan?.steps ?? []) {
    if (step.status !== 'accepted' || !step.goalBy) continue;
    const due = localParts(step.goalBy, timeZone).date;
    const days = daysBetween(today, due);
    if (days === 1) out.push({ type: 'step-tomorrow', refId: step.id, key: `reminder:step-tomorrow:${step.id}:${due}:${p}`, expiresAt: endOf(due) });
    if (days === 0) out.push({ type: 'step-today', refId: step.id, key: `reminder:step-today:${step.id}:${due}:${p}`, expiresAt: endOf(due) });
  }

  for (const r of s.rsvps) {
    // After an event the person said they were going to: one click confirms they attended (evidence on the path).
    if (!r.cancelled && r.status === 'going' && r.endsAt && r.endsAt <= at && at.getTime() - r.endsAt.getTime() < 7 * DAY) {
      out.push({ type: 'event-attended', refId: r.eventId, key: `reminder:event-attended:${r.eventId}:${p}`, expiresAt: new Date(r.endsAt.getTime() + 14 * DAY).toISOString() });
    }
    if (r.cancelled || !['going', 'maybe'].includes(r.status) || r.startsAt <= at) continue;
    const days = daysBetween(today, localParts(r.startsAt, timeZone).date);
    // Keyed on the start: an event moved to another day or time is reminded of again, for its new start.
    const startsAt = r.startsAt.toISOString();
    for (const [type, before] of [['event-week', 7], ['event-day', 1]] as const) {
      if (days === before) out.push({ type, refId: r.eventId, startsAt, key: `reminder:${type}:${r.eventId}:${startsAt}:${p}`, expiresAt: startsAt });
    }
  }

  if (s.openAssessment && at.getTime() - s.openAssessment.updatedAt.getTime() >= UNFINISHED_AFTER_DAYS * DAY) {
    const a = s.openAssessment;
    out.push({ type: 'assessment-unfinished', refId: a.id, key: `reminder:assessment-unfinished:${a.id}:${p}`, expiresAt: new Date(at.getTime() + 14 * DAY).toISOString() });
  }
  for (const m of s.openModules) {
    if (at.getTime() - m.updatedAt.getTime() < UNFINISHED_AFTER_DAYS * DAY) continue;
    const started = m.startedAt.toISOString().slice(0, 10);
    out.push({ type: 'module-unfinished', refId: m.moduleId, key: `reminder:module-unfinished:${m.moduleId}:${started}:${p}`, expiresAt: new Date(at.getTime() + 14 * DAY).toISOString() });
  }

  if (s.plan) {
    // checkins: the 4-, 8- and 12-week check-ins (the fourth date is the re-assessment suggestion).
    s.plan.checkins.slice(0, 3).forEach((iso, i) => {
      const date = localParts(new Date(iso), timeZone).date;
      const late = daysBetween(date, today);
      if (late >= 0 && late < 7) {
        out.push({ type: 'checkin', refId: s.plan!.id, n: i, key: `reminder:checkin:${s.plan!.id}:${i}:${p}`, expiresAt: endOf(addDays(date, 7)) });
      }
    });
  }

  const last = s.lastCompletedAssessment;
  if (last && !s.openAssessment) {
    const due = new Date(last.completedAt);
    due.setUTCMonth(due.getUTCMonth() + REASSESS_MONTHS);
    if (at >= due) out.push({ type: 'reassess', refId: last.id, key: `reminder:reassess:${last.id}:${p}`, expiresAt: new Date(at.getTime() + 30 * DAY).toISOString() });
  }

  const quietFor = at.getTime() - s.lastSeenAt.getTime();
  const nudgedRecently = s.lastNudgeAt && at.getTime() - s.lastNudgeAt.getTime() < 30 * DAY;
  if (s.plan && quietFor >= opts.nudgeAfterWeeks * 7 * DAY && !nudgedRecently) {
    const month = today.slice(0, 7);
    out.push({ type: 'nudge', refId: s.plan.id, key: `reminder:nudge:${month}:${p}`, expiresAt: new Date(at.getTime() + 7 * DAY).toISOString() });
  }
  return out;
}

/**
 * Whether a queued reminder is still worth sending when its turn comes (the step may be done, the RSVP changed,
 * the module finished). Checked again at send time because days can pass between queueing and sending.
 */
export function stillWanted(s: ReminderSnapshot, r: Pick<DueReminder, 'type' | 'refId' | 'startsAt'>, queuedAt: Date, now: Date): boolean {
  switch (r.type) {
    case 'step-tomorrow':
    case 'step-today':
      return !!s.plan?.steps.some((st) => st.id === r.refId && st.status === 'accepted');
    case 'event-attended':
      return s.rsvps.some((x) => x.eventId === r.refId && !x.cancelled && x.status === 'going');
    case 'event-week':
    case 'event-day':
      // A reminder queued for the old start of an event that has since moved is not sent (the new start has its own).
      return s.rsvps.some((x) => x.eventId === r.refId && !x.cancelled && ['going', 'maybe'].includes(x.status) && x.startsAt > now
        && (r.startsAt === undefined || Date.parse(r.startsAt) === x.startsAt.getTime()));
    case 'assessment-unfinished':
      return s.openAssessment?.id === r.refId;
    case 'module-unfinished':
      return s.openModules.some((m) => m.moduleId === r.refId);
    case 'checkin':
      return s.plan?.id === r.refId;
    case 'reassess':
      return !s.openAssessment && s.lastCompletedAssessment?.id === r.refId;
    case 'nudge':
      return s.plan?.id === r.refId && s.lastSeenAt < queuedAt;
  }
}
