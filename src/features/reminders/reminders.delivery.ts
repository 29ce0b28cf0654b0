import type { Db } from '../../db/client.js';
import { loadFramework } from '../assessment/framework.repository.js';
import { EventsRepository } from '../events/events.repository.js';
import { LearningRepository } from '../learning/learning.repository.js';
import { activityTitle } from '../path/catalogue.js';
import { localised, resolveLanguage, translator, type Translate } from '../../lib/i18n.js';
import { formatInZone } from '../../lib/time.js';
import { isQuiet, quietEndsAfter, readPrefs, timeZoneOf, type ReminderPrefs } from './preferences.js';
import { RemindersRepository } from './reminders.repository.js';
import { KIND_OF, stillWanted, type ReminderSnapshot } from './reminders.rules.js';
import type { RemindersDeps, ReminderPayload } from './reminders.service.js';

const WEEK = 7 * 86_400_000;

export type ReminderCase = {
  personId: string;
  lang: string;
  t: Translate;
  timeZone: string;
  prefs: ReminderPrefs;
  snapshot: ReminderSnapshot;
  deliveries: Date[];
};

export type Verdict = { status: 'send' } | { status: 'skipped'; reason: string } | { status: 'deferred'; until: Date; reason: string };

/** Everything the send-time checks need about one person, loaded once per delivery. */
export async function loadReminderCase(deps: RemindersDeps & { defaultLanguage: string }, personId: string, now: Date): Promise<ReminderCase | null> {
  const repo = new RemindersRepository(deps.db);
  const person = await repo.person(personId);
  const snapshot = await repo.snapshot(personId);
  if (!person || !snapshot) return null;
  const prefs = readPrefs(person.reminderPrefs);
  const lang = resolveLanguage([person.language, person.clientLocale], deps.defaultLanguage);
  return {
    personId, lang, t: translator(lang), prefs, snapshot,
    timeZone: timeZoneOf(prefs, person.timeZone, deps.defaultTimeZone),
    deliveries: await repo.deliveriesSince(personId, new Date(now.getTime() - WEEK)),
  };
}

/** Is this one reminder still wanted now (kind on, not expired, still relevant)? */
export function itemVerdict(c: ReminderCase, payload: ReminderPayload, queuedAt: Date, now: Date): Verdict {
  if (c.prefs.off.includes(KIND_OF[payload.type])) return { status: 'skipped', reason: 'turned off in reminder settings' };
  if (Date.parse(payload.expiresAt) <= now.getTime()) return { status: 'skipped', reason: 'expired before it could be sent' };
  if (!stillWanted(c.snapshot, payload, queuedAt, now)) return { status: 'skipped', reason: 'no longer needed' };
  return { status: 'send' };
}

/** May a reminder card go to this person now (quiet hours, weekly cap)? */
export function timingVerdict(c: ReminderCase, expiresAt: Date, now: Date): Verdict {
  if (isQuiet(now, c.timeZone, c.prefs)) {
    const until = quietEndsAfter(now, c.timeZone, c.prefs);
    return until < expiresAt ? { status: 'deferred', until, reason: 'quiet hours' } : { status: 'skipped', reason: 'quiet hours until it expired' };
  }
  const cap = c.prefs.weeklyCap;
  if (cap > 0 && c.deliveries.length >= cap) {
    const until = new Date(c.deliveries[c.deliveries.length - cap]!.getTime() + WEEK);
    return until < expiresAt ? { status: 'deferred', until, reason: `weekly cap of ${cap}` } : { status: 'skipped', reason: `weekly cap of ${cap}` };
  }
  return { status: 'send' };
}

export type ReminderItem = { jobId: string; payload: ReminderPayload };
export type ReminderLine = { jobId: string; title: string; text: string; action: { title: string; verb: string; data: Record<string, string> } };

/** Words and the one next action for each reminder, in the person's language. */
export async function describeReminders(db: Db, c: ReminderCase, items: ReminderItem[]): Promise<ReminderLine[]> {
  const { t, lang, timeZone } = c;
  const needsCatalogue = items.some((i) => i.payload.type.startsWith('step') || i.payload.type === 'module-unfinished');
  const [framework, modules] = needsCatalogue ? await Promise.all([loadFramework(db), new LearningRepository(db).modules()]) : [null, []];
  const events = new EventsRepository(db);
  const openPath = { title: t('reminders.action.path'), verb: 'path.open', data: {} };
  const lines: ReminderLine[] = [];
  for (const { jobId, payload: p } of items) {
    const base = `reminders.type.${p.type}`;
    if (p.type === 'step-tomorrow' || p.type === 'step-today') {
      const step = await db.planStep.findUnique({ where: { id: p.refId }, select: { activityId: true, goalWhat: true, goalBy: true } });
      const what = step?.goalWhat || (step && framework ? activityTitle(step.activityId, framework, modules, lang) : '');
      const due = step?.goalBy ? formatInZone(step.goalBy, timeZone).slice(0, 10) : '';
      lines.push({ jobId, title: t(`${base}.title`), text: t(`${base}.text`, { what, due }), action: openPath });
    } else if (p.type === 'event-attended') {
      const e = await events.findById(p.refId);
      lines.push({ jobId, title: t(`${base}.title`), text: t(`${base}.text`, { title: e ? localised(e.title, lang) : '' }), action: { title: t('reminders.action.attended'), verb: 'events.attended', data: { eventId: p.refId } } });
    } else if (p.type === 'event-week' || p.type === 'event-day') {
      const e = await events.findById(p.refId);
      const title = e ? localised(e.title, lang) : '';
      const when = e ? `${formatInZone(e.startsAt, timeZone)} (${timeZone})` : '';
      lines.push({ jobId, title: t(`${base}.title`), text: t(`${base}.text`, { title, when, place: e?.place ?? e?.link ?? '' }), action: openPath });
    } else if (p.type === 'module-unfinished') {
      const m = modules.find((x) => x.id === p.refId);
      lines.push({ jobId, title: t(`${base}.title`), text: t(`${base}.text`, { title: m ? localised(m.content.title, lang) : p.refId }), action: { title: t('reminders.action.module'), verb: 'learning.open', data: { moduleId: p.refId } } });
    } else if (p.type === 'assessment-unfinished' || p.type === 'reassess') {
      lines.push({ jobId, title: t(`${base}.title`), text: t(`${base}.text`), action: { title: t(`reminders.action.${p.type === 'reassess' ? 'reassess' : 'assessment'}`), verb: 'assessment.start', data: {} } });
    } else {
      lines.push({ jobId, title: t(`${base}.title`, { weeks: [4, 8, 12][p.n ?? 0] }), text: t(`${base}.text`), action: openPath });
    }
  }
  return lines;
}
