import { formatInZone } from '../../lib/time.js';

/** What people who answered are told about: when, where, the online link (old → new, times in the event's zone). */
export type EventChange = { field: 'when' | 'where' | 'link'; from: string; to: string };
type Shape = { startsAt: Date; endsAt: Date; timeZone: string; place: string | null; link: string | null };

/** "2027-03-10 10:00–14:00 (Europe/Tallinn)", or both dates when it ends on another day. */
export function formatWhen(startsAt: Date, endsAt: Date, timeZone: string): string {
  const start = formatInZone(startsAt, timeZone);
  const end = formatInZone(endsAt, timeZone);
  return `${start}–${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end} (${timeZone})`;
}

/** The changes worth a message between the stored event and its new details (a pure function). */
export function eventChanges(before: Shape, after: Shape): EventChange[] {
  const changes: EventChange[] = [];
  const when = [formatWhen(before.startsAt, before.endsAt, before.timeZone), formatWhen(after.startsAt, after.endsAt, after.timeZone)] as const;
  if (when[0] !== when[1]) changes.push({ field: 'when', from: when[0], to: when[1] });
  if ((before.place ?? '') !== (after.place ?? '')) changes.push({ field: 'where', from: before.place ?? '', to: after.place ?? '' });
  if ((before.link ?? '') !== (after.link ?? '')) changes.push({ field: 'link', from: before.link ?? '', to: after.link ?? '' });
  return changes;
}
