import { z } from 'zod';
import { reminderSettingsCard, snoozedCard, stoppedCard } from '../../features/reminders/reminders.cards.js';
import { reminderRef, reminderSettingsInput } from '../../features/reminders/reminders.schemas.js';
import { reminderPrefsView, saveReminderPrefs, snoozeReminder, stopReminderKind, type RemindersDeps } from '../../features/reminders/reminders.service.js';
import { isTimeZone, formatInZone } from '../../lib/time.js';
import type { BotKit } from '../kit.js';
import { confirmAttendance } from '../../features/events/events.service.js';
import { button, noticeCard } from '../../features/people/people.cards.js';
import { localised } from '../../lib/i18n.js';

const noInput = z.object({}).passthrough();

/** Reminder settings and the Snooze / Stop buttons on reminder cards. */
export function registerReminderHandlers(kit: BotKit, deps: RemindersDeps) {
  kit.command('reminders', 'reminders.use', async (_context, turn) => reminderSettingsCard(turn.t, await reminderPrefsView(deps, turn.person.id)));
  kit.verb('reminders.open', 'reminders.use', noInput, async (_context, turn) => reminderSettingsCard(turn.t, await reminderPrefsView(deps, turn.person.id)));
  kit.verb('reminders.save', 'reminders.use', reminderSettingsInput, async (_context, turn, input) => {
    if (!isTimeZone(input.timeZone)) return reminderSettingsCard(turn.t, await reminderPrefsView(deps, turn.person.id), turn.t('reminders.settings.badZone'));
    const view = await saveReminderPrefs(deps, turn.person.id, input);
    return reminderSettingsCard(turn.t, view, turn.t('reminders.settings.saved'));
  });
  kit.verb('reminders.snooze', 'reminders.use', reminderRef, async (_context, turn, input) => {
    const { until } = await snoozeReminder(deps, turn.person.id, input.jobId);
    const view = await reminderPrefsView(deps, turn.person.id);
    return snoozedCard(turn.t, `${formatInZone(until, view.timeZone)} (${view.timeZone})`);
  });
  kit.verb('events.attended', 'path.use', z.object({ eventId: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/) }), async (_context, turn, input) => {
    const event = await confirmAttendance(deps, turn.person.id, input.eventId);
    return noticeCard({ title: turn.t('reminders.attended.title'), text: turn.t('reminders.attended.text', { title: localised(event.title, turn.lang) }), tone: 'good', buttons: [button(turn.t('reminders.action.path'), 'path.open')] });
  });
  kit.verb('reminders.stop', 'reminders.use', reminderRef, async (_context, turn, input) => stoppedCard(turn.t, await stopReminderKind(deps, turn.person.id, input.jobId)));
}
