import { randomUUID } from 'node:crypto';
import type { Db, Prisma } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { localised } from '../../lib/i18n.js';
import { eventChanges, type EventChange } from '../events/event-change.js';
import type { EventDetails } from '../events/event-form.js';
import { EventsRepository, type EventRow } from '../events/events.repository.js';
import { RSVP_ANSWERS } from '../events/events.service.js';
import type { Actor } from '../people/authorise.js';
import { PeopleRepository } from '../people/people.repository.js';
import { eventOrganisation, mayManageEvent, mine, type AnnouncementsDeps, type Audience } from './announcements.service.js';

/** What one `event-change` job tells one person who answered. */
export type EventChangePayload = { eventId: string; revision: number; cancelled: boolean; changes: EventChange[] };

const eventData = (d: EventDetails, lang: string) => ({
  type: d.type, title: { [lang]: d.title }, startsAt: d.startsAt, endsAt: d.endsAt, timeZone: d.timeZone, place: d.place, link: d.link,
  registrationDeadline: d.registrationDeadline, areas: d.areas,
});

/**
 * The event written with a draft announcement: created (source "announcement", hidden until the announcement is
 * sent) on the first save, updated on later saves while the announcement is a draft. Read and written in one
 * transaction, so a replayed first save updates the event the first one created instead of making a second.
 */
export async function saveDraftEvent(deps: AnnouncementsDeps, actor: Actor, announcementId: string, details: EventDetails, lang: string) {
  return deps.db.$transaction(async (tx) => {
    const a = await tx.announcement.findUnique({ where: { id: announcementId } });
    if (!a || a.createdBy !== actor.personId) throw new AppError('not_found');
    if (a.status !== 'draft') throw new AppError('stale_card');
    const data = { ...eventData(details, lang), organisationId: eventOrganisation(a.audience as Audience) };
    const own = a.eventId ? await tx.event.findFirst({ where: { id: a.eventId, draft: true }, select: { id: true } }) : null;
    if (own) {
      await tx.event.update({ where: { id: own.id }, data });
      return a;
    }
    const id = `ev-${randomUUID()}`;
    await tx.event.create({ data: { id, ...data, source: 'announcement', createdBy: actor.personId, draft: true } });
    return tx.announcement.update({ where: { id: a.id }, data: { eventId: id } });
  });
}

/**
 * The announcement's event, when the actor may change it: the announcement is theirs (or they are a partnership
 * admin) and so is the event, which was written with an announcement, is announced (sent, or scheduled and still
 * hidden) and has not started. Cancelled ones are refused unless `cancelled: 'ok'` (a repeated cancel).
 */
export async function manageableEvent(deps: AnnouncementsDeps, actor: Actor, announcementId: string, opts: { cancelled?: 'ok' } = {}): Promise<EventRow> {
  const a = await mine(deps, actor, announcementId);
  const event = a.eventId ? await new EventsRepository(deps.db).findById(a.eventId) : null;
  if (!event || (event.draft && a.status !== 'sent')) throw new AppError('not_found');
  if (!mayManageEvent(actor, event, a)) throw new AppError('forbidden');
  if (event.cancelledAt && opts.cancelled !== 'ok') throw new AppError('event_cancelled');
  if (!event.cancelledAt && event.startsAt <= deps.clock.now()) throw new AppError('stale_card');
  return event;
}

function sameEvent(e: EventRow, d: EventDetails, lang: string) {
  const time = (x: Date | null) => x?.getTime() ?? null;
  return e.type === d.type && localised(e.title, lang) === d.title && time(e.startsAt) === time(d.startsAt) && time(e.endsAt) === time(d.endsAt) && e.timeZone === d.timeZone
    && (e.place ?? null) === d.place && (e.link ?? null) === d.link && time(e.registrationDeadline) === time(d.registrationDeadline)
    && [...(e.areas as string[])].sort().join() === [...d.areas].sort().join();
}

/** One change notice per person who answered, keyed `event-change:<eventId>:<revision>:<personId>`. */
async function queueNotices(tx: Prisma.TransactionClient, payload: EventChangePayload, now: Date): Promise<number> {
  const people = await tx.rsvp.findMany({ where: { eventId: payload.eventId, status: { in: [...RSVP_ANSWERS] } }, select: { personId: true } });
  if (people.length === 0) return 0;
  await tx.job.createMany({
    data: people.map((p) => ({ kind: 'event-change', idempotencyKey: `event-change:${payload.eventId}:${payload.revision}:${p.personId}`, payload, runAt: now, personId: p.personId, createdAt: now })),
  });
  return people.length;
}

export type EventUpdate = { status: 'saved' | 'unchanged' | 'stale'; notified: number };

/**
 * Saves new details for an event already announced. The form carries the revision it was made from: the update is
 * `… WHERE revision = <that>` and bumps it, so a double click, a replay or a form older than someone else's change
 * saves nothing and queues nothing. A changed time, place or link queues one notice per person who answered, in the
 * same transaction.
 */
export async function updateAnnouncedEvent(deps: AnnouncementsDeps, actor: Actor, announcementId: string, revision: number, details: EventDetails, lang: string): Promise<EventUpdate> {
  const event = await manageableEvent(deps, actor, announcementId);
  if (sameEvent(event, details, lang)) return { status: 'unchanged', notified: 0 };
  if (event.revision !== revision) return { status: 'stale', notified: 0 };
  const now = deps.clock.now();
  const changes = eventChanges(event, details);
  // The change, its notices and its audit entry are written together, or none of them.
  const notified = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.event.updateMany({ where: { id: event.id, revision, cancelledAt: null }, data: { ...eventData(details, lang), revision: revision + 1 } });
    if (count === 0) return null;
    const told = changes.length ? await queueNotices(tx, { eventId: event.id, revision: revision + 1, cancelled: false, changes }, now) : 0;
    await new PeopleRepository(tx as unknown as Db).audit({ actor: `person:${actor.personId}`, action: 'event.update', target: `event:${event.id}`, details: { revision: revision + 1, announcementId, changes, notified: told } });
    return told;
  });
  if (notified === null) return { status: 'stale', notified: 0 };
  return { status: 'saved', notified };
}

/**
 * Cancels an announced event: answers are closed, reminders stop (they check at send time), and everyone who
 * answered gets one cancellation notice. A second cancel (double click, replay) changes nothing.
 */
export async function cancelAnnouncedEvent(deps: AnnouncementsDeps, actor: Actor, announcementId: string): Promise<{ already: boolean; notified: number }> {
  const event = await manageableEvent(deps, actor, announcementId, { cancelled: 'ok' });
  if (event.cancelledAt) return { already: true, notified: 0 };
  const now = deps.clock.now();
  // The cancellation, its notices and its audit entry are written together, or none of them.
  const notified = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.event.updateMany({ where: { id: event.id, cancelledAt: null }, data: { cancelledAt: now, revision: { increment: 1 } } });
    if (count === 0) return null;
    const { revision } = await tx.event.findUniqueOrThrow({ where: { id: event.id }, select: { revision: true } });
    const told = await queueNotices(tx, { eventId: event.id, revision, cancelled: true, changes: [] }, now);
    await new PeopleRepository(tx as unknown as Db).audit({ actor: `person:${actor.personId}`, action: 'event.cancel', target: `event:${event.id}`, details: { announcementId, notified: told } });
    return told;
  });
  if (notified === null) return { already: true, notified: 0 };
  return { already: false, notified };
}

/** How many people answered (for the cancel confirmation). */
export function answeredCount(deps: AnnouncementsDeps, eventId: string) {
  return deps.db.rsvp.count({ where: { eventId, status: { in: [...RSVP_ANSWERS] } } });
}
