import { z } from 'zod';
import { formatInZone, isTimeZone, zonedToUtc } from '../../lib/time.js';

export const EVENT_TYPES = ['multiplier', 'workshop', 'meeting', 'ltt', 'webinar'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = 86_400_000;
const MAX_DAYS = 92;
/** Attending counts toward a badge in every area the event lists (award-rules.ts): an event is about a few areas, not all. */
export const MAX_EVENT_AREAS = 3;

const typed = (max: number) => z.preprocess((v) => v ?? '', z.string().max(max));
const list = z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v ?? []), z.array(z.string().regex(/^[A-Z]+$/)).max(20));

/**
 * What the event card sends, as typed: lenient on purpose, so a refusal can show the form again with the typed
 * values and the reason. eventDetails() decides what is valid. Only a forged payload fails here.
 */
export const eventFormInput = z.object({
  type: typed(32),
  title: typed(200),
  startDate: typed(16),
  startTime: typed(16),
  endDate: typed(16),
  endTime: typed(16),
  timeZone: typed(64),
  place: typed(300),
  link: typed(600),
  deadlineDate: typed(16),
  deadlineTime: typed(16),
  areas: list,
});
export type EventForm = z.infer<typeof eventFormInput>;

export type EventDetails = {
  type: EventType;
  title: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  place: string | null;
  link: string | null;
  registrationDeadline: Date | null;
  areas: string[];
};

export type EventRules = {
  now: Date;
  /** The announcement's scheduled send time: the event and its deadline must come after it. */
  sendAt?: Date | null;
  defaultTitle: string;
  defaultZone: string;
  /** Framework area ids. */
  areaIds: string[];
  /** The deadline already stored (editing): it may have passed and still be kept as it is. */
  storedDeadline?: Date | null;
};

/** A local date and time in a zone as an instant, or null when it does not exist there (30 February, a DST gap). */
function instant(date: string, time: string, zone: string): Date | null {
  if (!DATE.test(date) || !TIME.test(time)) return null;
  const at = zonedToUtc(`${date}T${time}`, zone);
  return formatInZone(at, zone) === `${date} ${time}` ? at : null;
}

/** An online link people can open safely: https, a host, no credentials, nothing that would break a card's markdown. */
export function isSafeLink(value: string): boolean {
  if (/[\s<>"'`()[\]\\{}|^]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !!url.hostname && !url.username && !url.password;
  } catch {
    return false;
  }
}

const canonicalZone = (zone: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;

/**
 * The event's rules, as a zod schema whose messages are the reasons shown on the card (keys under
 * announce.eventForm.errors): a known type, a title, an existing local start and end in a known IANA zone, end after
 * start (at most three months), a place or an https link, a deadline before the start, at most MAX_EVENT_AREAS known
 * areas; the start, and a new deadline, after now and after the announcement's send time.
 */
export function eventDetailsSchema(rules: EventRules) {
  const earliest = rules.sendAt && rules.sendAt > rules.now ? rules.sendAt : rules.now;
  return z
    .object({
      type: z.enum(EVENT_TYPES, { message: 'type' }),
      title: z.string().trim().transform((v) => v || rules.defaultTitle.trim()).pipe(z.string().min(1, 'title').max(120, 'title')),
      timeZone: z.string().trim().transform((v) => v || rules.defaultZone).refine((v) => /^[A-Za-z]+(?:[/_+-][A-Za-z0-9]+)*$/.test(v) && isTimeZone(v), 'timeZone'),
      startDate: z.string(),
      startTime: z.string(),
      endDate: z.string(),
      endTime: z.string(),
      place: z.string().trim().max(200, 'place'),
      link: z.string().trim().max(500, 'link').refine((v) => !v || isSafeLink(v), 'link'),
      deadlineDate: z.string().trim(),
      deadlineTime: z.string().trim(),
      areas: z
        .array(z.string())
        .transform((a) => [...new Set(a)])
        .pipe(z.array(z.string()).refine((a) => a.every((id) => rules.areaIds.includes(id)), 'areas').refine((a) => a.length <= MAX_EVENT_AREAS, 'tooManyAreas')),
    })
    .transform((v, ctx): EventDetails => {
      const fail = (message: string) => {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message });
        return z.NEVER;
      };
      const zone = canonicalZone(v.timeZone);
      const startsAt = instant(v.startDate.trim(), v.startTime.trim(), zone);
      if (!startsAt) return fail('start');
      const endsAt = instant(v.endDate.trim() || v.startDate.trim(), v.endTime.trim(), zone);
      if (!endsAt) return fail('end');
      if (startsAt <= rules.now) return fail('startPast');
      if (startsAt <= earliest) return fail('startBeforeSend');
      if (endsAt <= startsAt) return fail('endBeforeStart');
      if (endsAt.getTime() - startsAt.getTime() > MAX_DAYS * DAY) return fail('tooLong');
      if (!v.place && !v.link) return fail('where');
      let registrationDeadline: Date | null = null;
      if (v.deadlineDate || v.deadlineTime) {
        registrationDeadline = instant(v.deadlineDate, v.deadlineTime || '23:59', zone);
        if (!registrationDeadline) return fail('deadline');
        if (registrationDeadline >= startsAt) return fail('deadlineAfterStart');
        const kept = rules.storedDeadline && rules.storedDeadline.getTime() === registrationDeadline.getTime();
        if (!kept && registrationDeadline <= earliest) return fail('deadlinePast');
      }
      return { type: v.type, title: v.title, startsAt, endsAt, timeZone: zone, place: v.place || null, link: v.link || null, registrationDeadline, areas: v.areas };
    });
}

/** Checks what was typed: the event, or the reason (a key under announce.eventForm.errors) to show with the form. */
export function eventDetails(form: EventForm, rules: EventRules): { ok: true; value: EventDetails } | { ok: false; reason: string } {
  const parsed = eventDetailsSchema(rules).safeParse(form);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid' };
}

/** A stored event as the form shows it (local date and time in the event's zone). */
export function formFromEvent(e: { type: string; title: string; startsAt: Date; endsAt: Date; timeZone: string; place: string | null; link: string | null; registrationDeadline: Date | null; areas: string[] }): EventForm {
  const local = (d: Date) => formatInZone(d, e.timeZone).split(' ') as [string, string];
  const [startDate, startTime] = local(e.startsAt);
  const [endDate, endTime] = local(e.endsAt);
  const [deadlineDate, deadlineTime] = e.registrationDeadline ? local(e.registrationDeadline) : ['', ''];
  return { type: e.type, title: e.title, startDate, startTime, endDate, endTime, timeZone: e.timeZone, place: e.place ?? '', link: e.link ?? '', deadlineDate, deadlineTime, areas: e.areas };
}
