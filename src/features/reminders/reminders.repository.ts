import type { Db } from '../../db/client.js';
import type { ReminderSnapshot } from './reminders.rules.js';

/** Prisma access for reminders: what the rules read about a person, and who gets the daily look. */
export class RemindersRepository {
  constructor(private readonly db: Db) {}

  /** Onboarded people the bot can reach, with what the daily look needs to schedule them. */
  recipients() {
    return this.db.person.findMany({
      where: { onboardedAt: { not: null }, unreachableAt: null, conversations: { some: { kind: 'personal', active: true } } },
      select: { id: true, timeZone: true, reminderPrefs: true },
    });
  }

  person(personId: string) {
    return this.db.person.findUnique({
      where: { id: personId },
      select: { id: true, language: true, clientLocale: true, timeZone: true, reminderPrefs: true, lastSeenAt: true },
    });
  }

  savePrefs(personId: string, prefs: object) {
    return this.db.person.update({ where: { id: personId }, data: { reminderPrefs: prefs }, select: { id: true } });
  }

  async snapshot(personId: string): Promise<ReminderSnapshot | null> {
    const person = await this.db.person.findUnique({ where: { id: personId }, select: { id: true, lastSeenAt: true } });
    if (!person) return null;
    const [plan, rsvps, openAssessment, openModules, lastCompleted, lastNudge] = await Promise.all([
      this.db.plan.findFirst({
        where: { personId, status: 'active' },
        select: { id: true, createdAt: true, checkins: true, steps: { select: { id: true, status: true, goalBy: true } } },
      }),
      this.db.rsvp.findMany({ where: { personId }, select: { eventId: true, status: true, event: { select: { startsAt: true, endsAt: true, cancelledAt: true } } } }),
      this.db.assessment.findFirst({ where: { personId, status: 'in_progress' }, select: { id: true, updatedAt: true } }),
      this.db.moduleProgress.findMany({ where: { personId, completedAt: null }, select: { moduleId: true, startedAt: true, updatedAt: true } }),
      this.db.assessment.findFirst({ where: { personId, status: 'completed' }, orderBy: { completedAt: 'desc' }, select: { id: true, completedAt: true } }),
      this.db.job.findFirst({ where: { personId, kind: 'reminder', status: 'sent', idempotencyKey: { startsWith: 'reminder:nudge:' } }, orderBy: { runAt: 'desc' }, select: { runAt: true } }),
    ]);
    return {
      personId,
      lastSeenAt: person.lastSeenAt,
      plan: plan ? { id: plan.id, createdAt: plan.createdAt, checkins: (plan.checkins as string[]) ?? [], steps: plan.steps } : null,
      rsvps: rsvps.map((r) => ({ eventId: r.eventId, status: r.status, startsAt: r.event.startsAt, endsAt: r.event.endsAt, cancelled: !!r.event.cancelledAt })),
      openAssessment,
      openModules,
      lastCompletedAssessment: lastCompleted?.completedAt ? { id: lastCompleted.id, completedAt: lastCompleted.completedAt } : null,
      lastNudgeAt: lastNudge?.runAt ?? null,
    };
  }

  /** Reminder cards delivered to a person since `since` (several reminders in one card count once). */
  async deliveriesSince(personId: string, since: Date): Promise<Date[]> {
    const sent = await this.db.job.findMany({
      where: { personId, kind: 'reminder', status: 'sent', finishedAt: { gte: since } },
      select: { activityId: true, finishedAt: true, id: true },
      orderBy: { finishedAt: 'asc' },
    });
    const seen = new Map<string, Date>();
    for (const j of sent) seen.set(j.activityId ?? j.id, seen.get(j.activityId ?? j.id) ?? j.finishedAt!);
    return [...seen.values()].sort((a, b) => a.getTime() - b.getTime());
  }

  queuedReminders(personId: string) {
    return this.db.job.findMany({ where: { personId, kind: 'reminder', status: 'queued' }, select: { id: true, payload: true } });
  }

  findReminderJob(jobId: string) {
    return this.db.job.findUnique({ where: { id: jobId }, select: { id: true, personId: true, kind: true, status: true, payload: true, idempotencyKey: true, runAt: true } });
  }
}
