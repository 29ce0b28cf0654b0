import { dailyCron, readPrefs, timeZoneOf } from '../../features/reminders/preferences.js';
import { RemindersRepository } from '../../features/reminders/reminders.repository.js';
import { scanPerson, type RemindersDeps } from '../../features/reminders/reminders.service.js';
import type { RecurringJob } from '../scheduler.js';

/** Once a day at each person's reminder time (default 09:00 in their zone): queue the reminders due that day. */
export function dailyReminders(deps: RemindersDeps): RecurringJob {
  return {
    name: 'daily-reminders',
    async recipients() {
      const people = await new RemindersRepository(deps.db).recipients();
      return people.map((p) => {
        const prefs = readPrefs(p.reminderPrefs);
        return { id: p.id, cron: dailyCron(prefs), timeZone: timeZoneOf(prefs, p.timeZone, deps.defaultTimeZone) };
      });
    },
    run: (personId, occurrence) => scanPerson(deps, personId, occurrence),
  };
}
