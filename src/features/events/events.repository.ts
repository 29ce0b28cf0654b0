import type { Db } from '../../db/client.js';

const eventSelect = {
  id: true, type: true, title: true, description: true, startsAt: true, endsAt: true, timeZone: true, place: true, link: true,
  organisationId: true, areas: true, cancelledAt: true, registrationDeadline: true, source: true, createdBy: true, revision: true, draft: true,
} as const;

export type EventRow = NonNullable<Awaited<ReturnType<EventsRepository['findById']>>>;

export class EventsRepository {
  constructor(private readonly db: Db) {}

  findById(id: string) {
    return this.db.event.findUnique({ where: { id }, select: eventSelect });
  }

  /** Upcoming, not cancelled, published (not an announcement's draft), open to the partnership or to this organisation. */
  upcoming(after: Date, organisationId: string | null) {
    return this.db.event.findMany({
      where: { startsAt: { gt: after }, cancelledAt: null, draft: false, OR: [{ organisationId: null }, ...(organisationId ? [{ organisationId }] : [])] },
      orderBy: { startsAt: 'asc' },
      take: 50,
      select: eventSelect,
    });
  }

  rsvpsOf(personId: string) {
    return this.db.rsvp.findMany({ where: { personId }, select: { eventId: true, status: true } });
  }

  /** One answer per person and event: the latest wins. */
  setRsvp(personId: string, eventId: string, status: string, at: Date) {
    return this.db.rsvp.upsert({ where: { personId_eventId: { personId, eventId } }, create: { personId, eventId, status, updatedAt: at }, update: { status, updatedAt: at } });
  }
}
