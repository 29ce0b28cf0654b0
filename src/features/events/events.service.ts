import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { requestBadgeCheck } from '../badges/badges.service.js';
import { EventsRepository, type EventRow } from './events.repository.js';

/** The answers a person gives to an event (after it, Going may become `attended`). Everyone who answered is told of a change. */
export const RSVP_ANSWERS = ['going', 'maybe', 'no'] as const;
export type RsvpStatus = (typeof RSVP_ANSWERS)[number];
/** A stored answer that is still one of the three (not `attended`). */
export const isRsvpAnswer = (status: string): status is RsvpStatus => (RSVP_ANSWERS as readonly string[]).includes(status);
export type EventsDeps = { db: Db; clock: Clock };

/** Events this person may see and answer: upcoming, not cancelled, partnership-wide or their organisation's. */
export async function upcomingEvents(deps: EventsDeps, personId: string): Promise<EventRow[]> {
  const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { organisationId: true } });
  return new EventsRepository(deps.db).upcoming(deps.clock.now(), person.organisationId);
}

/**
 * RSVP: the same answer whether it comes from a path step or an announcement (one per person and event, latest
 * wins, so a double click or a replay changes nothing). Refused for events the person cannot see, drafts, past or
 * cancelled ones; after the registration deadline only "can't go" is taken (the organiser wants to know).
 */
export async function answerRsvp(deps: EventsDeps, personId: string, eventId: string, status: RsvpStatus): Promise<EventRow> {
  const repo = new EventsRepository(deps.db);
  const event = await repo.findById(eventId);
  const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { organisationId: true } });
  if (!event || event.draft || (event.organisationId !== null && event.organisationId !== person.organisationId)) throw new AppError('not_found');
  if (event.cancelledAt) throw new AppError('event_cancelled');
  if (event.startsAt <= deps.clock.now()) throw new AppError('stale_card');
  if (status !== 'no' && event.registrationDeadline && event.registrationDeadline <= deps.clock.now()) throw new AppError('rsvp_closed');
  await repo.setRsvp(personId, eventId, status, deps.clock.now());
  return event;
}

export async function rsvpsOf(deps: EventsDeps, personId: string): Promise<Record<string, RsvpStatus>> {
  return Object.fromEntries((await new EventsRepository(deps.db).rsvpsOf(personId)).map((r) => [r.eventId, r.status as RsvpStatus]));
}

/**
 * "I attended": after an event the person answered Going to, their answer becomes `attended` and, where the event is a
 * step of their active plan, the step is done — evidence on the path. Attendance also counts toward the badges of the
 * event's areas (award-rules.ts): a badge check is queued with it, so the worker awards any badge it completes.
 * Idempotent: a second click changes nothing.
 */
export async function confirmAttendance(deps: EventsDeps, personId: string, eventId: string): Promise<EventRow> {
  const repo = new EventsRepository(deps.db);
  const event = await repo.findById(eventId);
  const rsvp = await deps.db.rsvp.findUnique({ where: { personId_eventId: { personId, eventId } } });
  if (!event || !rsvp || !['going', 'attended'].includes(rsvp.status)) throw new AppError('not_found');
  const now = deps.clock.now();
  if (event.cancelledAt || event.endsAt > now) throw new AppError('stale_card');
  if (rsvp.status === 'attended') return event;
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.rsvp.updateMany({ where: { personId, eventId, status: 'going' }, data: { status: 'attended', updatedAt: now } });
    if (count === 0) return; // a concurrent click did it
    await tx.planStep.updateMany({
      where: { activityId: `event:${eventId}`, status: { in: ['proposed', 'accepted'] }, plan: { personId, status: 'active' } },
      data: { status: 'done', doneAt: now, reflection: 'Attended' },
    });
    await requestBadgeCheck(tx as unknown as Db, deps.clock, personId, `event:${eventId}`);
  });
  return event;
}
