import { plainText, renderCard, type Card } from '../../lib/cards.js';
import type { Translate } from '../../lib/i18n.js';
import { button, noticeCard } from '../people/people.cards.js';
import { REMINDER_KINDS, type ReminderKind } from './preferences.js';
import type { ReminderLine } from './reminders.delivery.js';
import type { PrefsView } from './reminders.service.js';

/** One card for everything due at once: each reminder with its next action, Snooze 1 week and Stop these. */
export function remindersCard(t: Translate, lines: ReminderLine[]): Card {
  return renderCard('reminders', {
    heading: lines.length === 1 ? t('reminders.heading.one') : t('reminders.heading.many', { count: lines.length }),
    items: lines.map((l) => ({
      title: plainText(l.title),
      text: plainText(l.text),
      buttons: [
        button(l.action.title, l.action.verb, l.action.data, 'positive'),
        button(t('reminders.snooze'), 'reminders.snooze', { jobId: l.jobId }),
        button(t('reminders.stop'), 'reminders.stop', { jobId: l.jobId }),
      ],
    })),
    footer: t('reminders.footer'),
    settings: [button(t('reminders.settingsButton'), 'reminders.open')],
  });
}

export function snoozedCard(t: Translate, until: string): Card {
  return noticeCard({ title: t('reminders.snoozed.title'), text: t('reminders.snoozed.text', { until }), tone: 'good', buttons: [button(t('reminders.settingsButton'), 'reminders.open')] });
}

export function stoppedCard(t: Translate, kind: ReminderKind): Card {
  return noticeCard({
    title: t('reminders.stopped.title'),
    text: t('reminders.stopped.text', { kind: t(`reminders.kinds.${kind}`) }),
    tone: 'good',
    buttons: [button(t('reminders.settingsButton'), 'reminders.open')],
  });
}

const CAPS = [0, 1, 2, 3, 5, 7];
const ZONES = ['Europe/Helsinki', 'Europe/Tallinn', 'Europe/Rome', 'Europe/Amsterdam', 'Europe/Madrid', 'Europe/Stockholm', 'Europe/London', 'UTC'];

export function reminderSettingsCard(t: Translate, view: PrefsView, message?: string): Card {
  return renderCard('reminder-settings', reminderSettingsData(t, view, message));
}

/** The settings card's template data (also written to cards/samples for the card checks). */
export function reminderSettingsData(t: Translate, view: PrefsView, message?: string) {
  const zones = [...new Set([view.timeZone, ...(view.clientTimeZone ? [view.clientTimeZone] : []), ...ZONES])];
  return {
    title: t('reminders.settings.title'),
    intro: t('reminders.settings.intro'),
    message: message ?? '',
    hasMessage: !!message,
    kindsLabel: t('reminders.settings.kinds'),
    kinds: REMINDER_KINDS.map((k) => ({ id: `kind_${k}`, title: t(`reminders.kinds.${k}`), value: view.prefs.off.includes(k) ? 'false' : 'true' })),
    capLabel: t('reminders.settings.cap'),
    cap: String(view.prefs.weeklyCap),
    caps: CAPS.map((c) => ({ title: c === 0 ? t('reminders.settings.noCap') : t('reminders.settings.capValue', { count: c }), value: String(c) })),
    timeLabel: t('reminders.settings.time'),
    time: view.prefs.time,
    quietStartLabel: t('reminders.settings.quietStart'),
    quietStart: view.prefs.quietStart,
    quietEndLabel: t('reminders.settings.quietEnd'),
    quietEnd: view.prefs.quietEnd,
    timeError: t('reminders.settings.timeError'),
    zoneLabel: t('reminders.settings.zone'),
    zone: view.timeZone,
    zones: zones.map((z) => ({ title: z === view.clientTimeZone ? t('reminders.settings.zoneFromTeams', { zone: z }) : z, value: z })),
    saveTitle: t('reminders.settings.save'),
    saveData: { verb: 'reminders.save' },
  };
}
