/** Time-zone arithmetic with the platform's Intl data (no library): local wall-clock time in a zone ⇄ UTC. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - at.getTime()) / 60_000);
}

/** "2027-02-10T14:00" in Europe/Helsinki → the UTC instant. Throws on an unknown zone or a malformed time. */
export function zonedToUtc(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new RangeError(`"${local}" is not YYYY-MM-DDTHH:mm`);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let guess = new Date(wall - offsetMinutes(new Date(wall), timeZone) * 60_000);
  guess = new Date(wall - offsetMinutes(guess, timeZone) * 60_000);
  return guess;
}

/** "2027-02-28" is a day of the calendar; "2027-02-30" and "2027-13-01" are not (Date would roll them forward). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const at = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return at.getUTCFullYear() === +m[1]! && at.getUTCMonth() === +m[2]! - 1 && at.getUTCDate() === +m[3]!;
}

/** A UTC instant as local date and time in a zone, e.g. "2027-02-10 14:00". */
export function formatInZone(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** "14:15 (Europe/Helsinki)": a time later today, such as when a download link stops working, in a person's zone. */
export function clockTimeIn(at: Date, timeZone: string): string {
  return `${formatInZone(at, timeZone).slice(11)} (${timeZone})`;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The local calendar date ("YYYY-MM-DD") and minutes since local midnight of an instant in a zone. */
export function localParts(at: Date, timeZone: string): { date: string; minutes: number } {
  const [date, time] = formatInZone(at, timeZone).split(' ') as [string, string];
  const [h, m] = time.split(':').map(Number) as [number, number];
  return { date, minutes: h * 60 + m };
}

/** "2027-02-10" plus n days, as a calendar date (no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both "YYYY-MM-DD"). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
