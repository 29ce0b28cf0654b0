import { digestCron, managedOrganisations, readDigestPrefs } from '../../features/mapping/digest.service.js';
import { readPrefs, timeZoneOf } from '../../features/reminders/preferences.js';
import type { MappingDeps } from '../../features/mapping/mapping.service.js';
import { localParts } from '../../lib/time.js';
import { JobQueue } from '../queue.js';
import type { RecurringJob } from '../scheduler.js';

/** ISO week of a local date ("2026-W49"): the digest's idempotency key, so a manager gets one per week and organisation. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Every manager, on their weekday and time in their zone (default Monday 08:00): one digest job per organisation. */
export function weeklyDigest(deps: MappingDeps & { defaultTimeZone: string }): RecurringJob {
  return {
    name: 'weekly-digest',
    async recipients() {
      const managers = await deps.db.person.findMany({
        where: { onboardedAt: { not: null }, unreachableAt: null, grants: { some: { role: 'manager', scope: { not: 'partnership' } } } },
        select: { id: true, timeZone: true, reminderPrefs: true, digestPrefs: true },
      });
      return managers
        .map((m) => ({ m, prefs: readDigestPrefs(m.digestPrefs) }))
        .filter(({ prefs }) => !prefs.paused)
        .map(({ m, prefs }) => ({ id: m.id, cron: digestCron(prefs), timeZone: timeZoneOf(readPrefs(m.reminderPrefs), m.timeZone, deps.defaultTimeZone) }));
    },
    async run(personId, occurrence) {
      const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { timeZone: true, reminderPrefs: true } });
      const week = isoWeek(localParts(occurrence, timeZoneOf(readPrefs(person.reminderPrefs), person.timeZone, deps.defaultTimeZone)).date);
      const queue = new JobQueue(deps.db);
      let created = 0;
      for (const organisationId of await managedOrganisations(deps.db, personId)) {
        const r = await queue.enqueue({ kind: 'digest', key: `digest:${organisationId}:${week}:${personId}`, payload: { organisationId }, runAt: occurrence, personId }, deps.clock.now());
        if (r.created) created += 1;
      }
      return created;
    },
  };
}
