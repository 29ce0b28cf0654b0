import { z } from 'zod';
import { isUniqueViolation, type Db } from '../../db/client.js';
import { QueueNotifier } from '../../jobs/notifier.js';
import { JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { plainText } from '../../lib/cards.js';
import { AppError } from '../../lib/errors.js';
import { resolveLanguage, translator, type Translate } from '../../lib/i18n.js';
import { actorOf, authorise, isPartnershipAdmin, type Actor } from '../people/authorise.js';
import { noticeCard } from '../people/people.cards.js';
import { PeopleRepository, type PersonRow } from '../people/people.repository.js';
import { PARTNERSHIP } from '../people/roles.js';
import { formatInZone, isCalendarDate, isTimeZone, zonedToUtc } from '../../lib/time.js';
import { EventsRepository, type EventRow } from '../events/events.repository.js';
import { answerRsvp, isRsvpAnswer, type RsvpStatus } from '../events/events.service.js';

export type AnnouncementsDeps = { db: Db; clock: Clock };

/** The compose card's event choice for "a new event, details on the next card". */
export const NEW_EVENT = 'new-event';

export const announcementInput = z.object({
  announcementId: z.string().trim().max(64).regex(/^[A-Za-z0-9_-]*$/).optional().default(''),
  /** A new compose card's own key: saving it twice (a double click, a replay, the Submit fallback) is one draft. */
  draftKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
  title: z.string().trim().min(1).max(120),
  text: z.string().trim().min(1).max(2000),
  /** Optional picture: checked by `isImageUrl` (the compose card says what is wrong instead of refusing the form). */
  imageUrl: z.string().trim().max(1000).optional().default(''),
  imageAlt: z.string().trim().max(250).optional().default(''),
  /** A multi-select ChoiceSet sends "luovi,ee-partner". */
  organisations: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v ?? []), z.array(z.string().regex(/^[a-z0-9-]{1,64}$/)).min(1).max(20)),
  roles: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v ?? []), z.array(z.string().regex(/^[a-z0-9-]{1,64}$/)).max(20)),
  eventId: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(64).regex(/^[A-Za-z0-9_-]+$/).optional()),
  /** People whose active plan has one of these focus areas (none chosen: everyone in the organisations and roles). */
  areas: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v ?? []), z.array(z.string().regex(/^[A-Z]+$/)).max(8)),
  /** Team channels where the bot is installed: the card is posted once in each. */
  channels: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v ?? []), z.array(z.string().min(1).max(300)).max(50)),
  /** Optional: send later (local date and time in the coordinator's zone). */
  sendDate: z.preprocess((v) => (v === '' ? undefined : v), z.string().refine(isCalendarDate, 'not a date').optional()),
  sendTime: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).optional()),
});
export type AnnouncementInput = z.infer<typeof announcementInput>;

/** A picture Teams can load on every client: an https address without spaces, quotes or template marks. */
export function isImageUrl(value: string): boolean {
  if (!/^https:\/\/[^\s"'<>`${}\\]+$/i.test(value)) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}
export type Audience = { organisations: string[]; roles: string[]; areas?: string[]; channels?: string[] };

/** Team channels (where the bot is installed) in the tenants of the organisations the actor may address. */
export async function allowedChannels(db: Db, actor: Actor) {
  const orgs = await allowedOrganisations(db, actor);
  const tenants = (await db.organisationTenant.findMany({ where: { organisationId: { in: orgs } }, select: { tenantId: true } })).map((t) => t.tenantId);
  return db.conversation.findMany({ where: { kind: 'channel', active: true, tenantId: { in: tenants } }, orderBy: [{ teamName: 'asc' }, { channelName: 'asc' }], select: { id: true, teamName: true, channelName: true } });
}

/** Organisations the actor may address: all with a partnership grant (coordinator or admin), else their own scopes. */
export async function allowedOrganisations(db: Db, actor: Actor): Promise<string[]> {
  const grants = actor.grants.filter((g) => g.role === 'coordinator' || g.role === 'admin');
  if (grants.length === 0) throw new AppError('forbidden');
  if (grants.some((g) => g.scope === PARTNERSHIP)) return (await db.organisation.findMany({ where: { active: true }, select: { id: true } })).map((o) => o.id);
  return [...new Set(grants.map((g) => g.scope))];
}

/**
 * Events an announcement may carry (the compose card offers these, and saveDraft accepts nothing else): upcoming,
 * published, not cancelled, and partnership-wide or of an organisation the actor may address. `only` narrows to one id.
 */
export async function announceableEvents(deps: AnnouncementsDeps, actor: Actor, only?: string) {
  const orgs = await allowedOrganisations(deps.db, actor);
  return deps.db.event.findMany({
    where: { ...(only ? { id: only } : {}), startsAt: { gt: deps.clock.now() }, cancelledAt: null, draft: false, OR: [{ organisationId: null }, { organisationId: { in: orgs } }] },
    orderBy: { startsAt: 'asc' },
    take: 30,
    select: { id: true, title: true, startsAt: true },
  });
}

export async function ownDraftOrNew(deps: AnnouncementsDeps, actor: Actor, id: string) {
  if (!id) return null;
  const found = await deps.db.announcement.findUnique({ where: { id } });
  if (!found || found.createdBy !== actor.personId) throw new AppError('not_found');
  if (found.status !== 'draft') throw new AppError('stale_card');
  return found;
}

/** The event written with this draft (hidden until it is sent), if it has one. */
export async function draftEventOf(db: Db, a: { eventId: string | null }) {
  return a.eventId ? db.event.findFirst({ where: { id: a.eventId, draft: true }, select: { id: true } }) : null;
}

/** An event written with an announcement belongs to the single addressed organisation, else to the partnership. */
export const eventOrganisation = (audience: Audience) => (audience.organisations.length === 1 ? audience.organisations[0]! : null);

/**
 * What is wrong with a draft that the compose card can say (an i18n key), or null: a sending time that has passed,
 * a picture that is not an https address, or a chosen event (one the actor may announce) that does not fit — one
 * organisation's event for others (they could not answer it), or one that starts or closes registration before the
 * announcement would arrive.
 */
async function draftProblem(deps: AnnouncementsDeps, input: AnnouncementInput, sendAt: Date | null): Promise<string | null> {
  const now = deps.clock.now();
  if (sendAt && sendAt <= now) return 'announce.pastTime';
  if (input.imageUrl && !isImageUrl(input.imageUrl)) return 'announce.imageError';
  if (!input.eventId || input.eventId === NEW_EVENT) return null;
  const event = await new EventsRepository(deps.db).findById(input.eventId);
  if (!event) return null;
  if (event.organisationId && input.organisations.some((o) => o !== event.organisationId)) return 'announce.eventOtherOrganisation';
  const arrives = sendAt ?? now;
  if (event.startsAt <= arrives) return 'announce.eventBeforeSend';
  if (event.registrationDeadline && event.registrationDeadline <= arrives) return 'announce.deadlineBeforeSend';
  return null;
}

/** What saving a draft gives: the draft, or what is wrong (said on the form; nothing saved) and the draft it is for. */
export type Draft = NonNullable<Awaited<ReturnType<typeof ownDraftOrNew>>>;
export type SaveResult = { draft: Draft } | { problem: string; draftId: string | null; sendAt: Date | null };

/** The draft a compose card's Save made before (by its key), if it is the actor's and still a draft. */
async function draftByKey(deps: AnnouncementsDeps, actor: Actor, key: string | undefined) {
  if (!key) return null;
  const found = await deps.db.announcement.findUnique({ where: { draftKey: key } });
  if (!found) return null;
  if (found.createdBy !== actor.personId) throw new AppError('not_found');
  if (found.status !== 'draft') throw new AppError('stale_card');
  return found;
}

/**
 * Saves a draft (new or the actor's own); every organisation in the audience must be one the actor may address, and
 * every job role and focus area one that exists (the compose card offers no others).
 * The event is one of announceableEvents(), none, or NEW_EVENT: the draft keeps the event written with it (its
 * details come on the next card); a draft event no longer chosen is removed (nobody could answer it yet).
 */
export async function saveDraft(deps: AnnouncementsDeps, actor: Actor, input: AnnouncementInput, timeZone: string): Promise<SaveResult> {
  try {
    return await writeDraft(deps, actor, input, timeZone);
  } catch (error) {
    // Two saves of one new card at the same moment: the second finds the first's draft by its key and updates it.
    if (input.draftKey && isUniqueViolation(error)) return writeDraft(deps, actor, input, timeZone);
    throw error;
  }
}

async function writeDraft(deps: AnnouncementsDeps, actor: Actor, input: AnnouncementInput, timeZone: string): Promise<SaveResult> {
  const allowed = new Set(await allowedOrganisations(deps.db, actor));
  if (input.organisations.some((o) => !allowed.has(o))) throw new AppError('forbidden');
  const channels = new Set((await allowedChannels(deps.db, actor)).map((c) => c.id));
  if (input.channels.some((c) => !channels.has(c))) throw new AppError('forbidden');
  const [roles, areas] = await Promise.all([
    deps.db.jobRole.count({ where: { id: { in: input.roles } } }),
    deps.db.area.count({ where: { id: { in: input.areas } } }),
  ]);
  if (roles !== new Set(input.roles).size || areas !== new Set(input.areas).size) throw new AppError('invalid_input');
  const newEvent = input.eventId === NEW_EVENT;
  if (input.eventId && !newEvent && (await announceableEvents(deps, actor, input.eventId)).length === 0) throw new AppError('not_found');
  const existing = (await ownDraftOrNew(deps, actor, input.announcementId)) ?? (await draftByKey(deps, actor, input.draftKey));
  const sendAt = input.sendDate ? zonedToUtc(`${input.sendDate}T${input.sendTime ?? '09:00'}`, timeZone) : null;
  const problem = await draftProblem(deps, input, sendAt);
  if (problem) return { problem, draftId: existing?.id ?? null, sendAt };
  const own = existing ? await draftEventOf(deps.db, existing) : null;
  const eventId = newEvent ? own?.id ?? null : input.eventId ?? null;
  const audience = { organisations: input.organisations, roles: input.roles, areas: input.areas, channels: input.channels };
  const image = input.imageUrl ? { imageUrl: input.imageUrl, imageAlt: input.imageAlt || null } : { imageUrl: null, imageAlt: null };
  const data = { title: input.title, text: input.text, eventId, sendAt, audience, ...image };
  return deps.db.$transaction(async (tx) => {
    const saved = existing
      ? await tx.announcement.update({ where: { id: existing.id }, data })
      : await tx.announcement.create({ data: { ...data, createdBy: actor.personId, createdAt: deps.clock.now(), draftKey: input.draftKey ?? null } });
    if (own && own.id !== eventId) await tx.event.deleteMany({ where: { id: own.id, draft: true } });
    if (own && own.id === eventId) await tx.event.update({ where: { id: own.id }, data: { organisationId: eventOrganisation(audience) } });
    return { draft: saved };
  });
}

/** Who an audience reaches now: onboarded people of the organisations (and roles); unreachable ones counted apart. */
export async function resolveAudience(db: Db, audience: Audience) {
  const people = await db.person.findMany({
    where: { onboardedAt: { not: null }, demo: false, organisationId: { in: audience.organisations }, ...(audience.roles.length ? { jobRole: { in: audience.roles } } : {}) },
    select: { id: true, unreachableAt: true, conversations: { where: { kind: 'personal', active: true }, select: { id: true }, take: 1 } },
  });
  let inAudience = people;
  if (audience.areas?.length) {
    const plans = await db.plan.findMany({ where: { status: 'active', personId: { in: people.map((p) => p.id) } }, select: { personId: true, focusAreas: true } });
    const focused = new Set(plans.filter((p) => (p.focusAreas as string[]).some((a) => audience.areas!.includes(a))).map((p) => p.personId));
    inAudience = people.filter((p) => focused.has(p.id));
  }
  const reachable = inAudience.filter((p) => !p.unreachableAt && p.conversations.length > 0).map((p) => p.id);
  return { reachable, unreachable: inAudience.length - reachable.length, channels: audience.channels ?? [] };
}

/**
 * The one access check for a sent (or scheduled, or cancelled) announcement — report, export, cancel, its event:
 * a partnership admin, or its creator while every organisation it addresses is still one they may address (a
 * coordinator whose grant for the organisation was taken away no longer sees its names or changes it).
 */
export async function mine(deps: AnnouncementsDeps, actor: Actor, id: string) {
  const a = await deps.db.announcement.findUnique({ where: { id } });
  if (!a) throw new AppError('not_found');
  if (isPartnershipAdmin(actor)) return a;
  if (a.createdBy !== actor.personId) throw new AppError('forbidden');
  const allowed = new Set(await allowedOrganisations(deps.db, actor));
  if ((a.audience as Audience).organisations.some((o) => !allowed.has(o))) throw new AppError('forbidden');
  return a;
}

/**
 * An event written with an announcement is changed or cancelled by its creator or a partnership admin (content
 * events in content), once the announcement is sent or scheduled (a scheduled one's event is still hidden).
 */
export function mayManageEvent(actor: Actor, event: { source: string; createdBy: string | null; draft: boolean }, announcement: { status: string }) {
  const announced = !event.draft || announcement.status === 'sent';
  return event.source === 'announcement' && announced && (event.createdBy === actor.personId || isPartnershipAdmin(actor));
}

/**
 * Sends (or schedules): the announcement is marked sent and one fan-out job is queued for its time — a card action
 * must answer within seconds, and an audience of thousands takes longer to queue. A double click or a replay changes
 * nothing. The event written with it stays hidden until the fan-out (see fanOut).
 */
export async function sendAnnouncement(deps: AnnouncementsDeps, actor: Actor, id: string) {
  const a = await mine(deps, actor, id);
  // A draft is its author's until sent: not even a partnership admin sends someone else's unfinished text.
  if (a.createdBy !== actor.personId) throw new AppError('forbidden');
  const audience = a.audience as Audience;
  const allowed = new Set(await allowedOrganisations(deps.db, actor));
  if (audience.organisations.some((o) => !allowed.has(o))) throw new AppError('forbidden');
  const now = deps.clock.now();
  const runAt = a.sendAt && a.sendAt > now ? a.sendAt : now;
  // Marked sent and its fan-out queued together: a crash in between cannot leave a "sent" announcement that nobody sends.
  const sent = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.announcement.updateMany({ where: { id, status: 'draft' }, data: { status: 'sent', sentAt: runAt } });
    if (count === 0) return false;
    await tx.job.create({ data: { kind: 'announcement-fanout', idempotencyKey: `announce-fanout:${id}`, payload: { announcementId: id }, runAt, personId: null, createdAt: now } });
    return true;
  });
  if (!sent) return { already: true };
  await new PeopleRepository(deps.db).audit({ actor: `person:${actor.personId}`, action: 'announcement.send', target: `announcement:${id}`, details: { runAt: runAt.toISOString() } });
  return { already: false };
}

/**
 * The fan-out (a job, run at the announcement's time): the event written with it is published — proposed on paths
 * and open for answers from now on, not before the announcement arrives — and one job is queued per reachable
 * recipient (`announce:<id>:<personId>`) and per channel, sent at the tenant's pace. The audience is resolved now.
 * Inserted in chunks; a chunk that meets jobs from an interrupted earlier run falls back to one-by-one idempotent
 * inserts, so a restart resumes without duplicates.
 */
export async function fanOut(deps: AnnouncementsDeps, id: string): Promise<number> {
  const a = await deps.db.announcement.findUnique({ where: { id } });
  if (!a || a.status !== 'sent') return 0;
  const author = await new PeopleRepository(deps.db).findById(a.createdBy);
  if (!(await authorMayStillSend(deps.db, author, a))) {
    await withhold(deps, a, author);
    return 0;
  }
  if (a.eventId && !(await publishEvent(deps.db, id, a.eventId))) return 0;
  const now = deps.clock.now();
  const runAt = a.sentAt ?? now;
  const { reachable, channels } = await resolveAudience(deps.db, a.audience as Audience);
  const rows = [
    ...reachable.map((personId) => ({ key: `announce:${id}:${personId}`, payload: { announcementId: id }, personId })),
    ...channels.map((conversationId) => ({ key: `announce:${id}:channel:${conversationId}`, payload: { announcementId: id, conversationId }, personId: null })),
  ];
  const queue = new JobQueue(deps.db);
  let queued = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    // The SQLite driver is synchronous: let the bot answer turns and the worker send between chunks.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      await deps.db.job.createMany({ data: chunk.map((r) => ({ kind: 'announcement', idempotencyKey: r.key, payload: r.payload, runAt, personId: r.personId, createdAt: now })) });
      queued += chunk.length;
    } catch {
      for (const r of chunk) if ((await queue.enqueue({ kind: 'announcement', key: r.key, payload: r.payload, runAt, personId: r.personId }, now)).created) queued += 1;
    }
  }
  return queued;
}

/**
 * A scheduled announcement goes out only while its author may still address every organisation in it: one whose
 * grant was taken away, or who deleted their data (no live person), does not speak for the organisation at its time.
 */
async function authorMayStillSend(db: Db, author: PersonRow | null, a: { audience: unknown }): Promise<boolean> {
  if (!author) return false;
  const allowed = new Set(await allowedOrganisations(db, actorOf(author)).catch(() => [] as string[]));
  return (a.audience as Audience).organisations.every((o) => allowed.has(o));
}

/**
 * Withheld at its time (see authorMayStillSend): cancelled as if its author had cancelled it, audited, and the author
 * (unless they deleted their data) told why, in their language and zone.
 */
async function withhold(deps: AnnouncementsDeps, a: { id: string; title: string; sentAt: Date | null }, author: PersonRow | null) {
  const now = deps.clock.now();
  const { count } = await deps.db.announcement.updateMany({ where: { id: a.id, status: 'sent' }, data: { status: 'cancelled', cancelledAt: now } });
  if (!count) return;
  await new PeopleRepository(deps.db).audit({ actor: 'system', action: 'announcement.withhold', target: `announcement:${a.id}`, details: { reason: 'the author may no longer address its audience' } });
  if (!author) return;
  const t = translator(resolveLanguage([author.language, author.clientLocale]));
  const zone = author.timeZone && isTimeZone(author.timeZone) ? author.timeZone : 'UTC';
  const card = noticeCard({ title: t('announce.withheld.title', { title: plainText(a.title) }), text: t('announce.withheld.text', { time: `${formatInZone(a.sentAt ?? now, zone)} (${zone})` }), tone: 'warning' });
  await new QueueNotifier(deps).sendToPerson(author.id, card, t('announce.withheld.title', { title: a.title }), `announcement-withheld:${a.id}`);
}

/**
 * Publishes the announcement's own (hidden) event, unless it was cancelled meanwhile: the announcement's row is
 * written first in the same transaction, so a cancel and the fan-out are one before the other, never interleaved.
 */
async function publishEvent(db: Db, id: string, eventId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.announcement.updateMany({ where: { id, status: 'sent' }, data: { status: 'sent' } });
    if (count === 0) return false;
    await tx.event.updateMany({ where: { id: eventId, draft: true }, data: { draft: false } });
    return true;
  });
}

/**
 * Cancel: nothing that is not already on its way is sent. Queued copies are cancelled here; copies a worker holds
 * (waiting for a send slot) look again right before the call and end cancelled (announcement.job.ts). Cancelled
 * before its fan-out (e.g. a scheduled one), its own event was never published and stays hidden; cancelled after,
 * some people have it, so the event stays as announced — Cancel event on the report cancels it and tells who answered.
 */
export async function cancelAnnouncement(deps: AnnouncementsDeps, actor: Actor, id: string) {
  const a = await mine(deps, actor, id);
  // A partnership admin may stop what is sent or scheduled; a draft is only its author's to drop.
  if (a.status === 'draft' && a.createdBy !== actor.personId) throw new AppError('forbidden');
  const { count } = await deps.db.announcement.updateMany({ where: { id, status: { in: ['draft', 'sent'] } }, data: { status: 'cancelled', cancelledAt: deps.clock.now() } });
  if (count) await new PeopleRepository(deps.db).audit({ actor: `person:${actor.personId}`, action: 'announcement.cancel', target: `announcement:${id}`, details: { was: a.status } });
  const queued = await deps.db.job.findMany({ where: { status: 'queued', OR: [{ idempotencyKey: { startsWith: `announce:${id}:` } }, { idempotencyKey: `announce-fanout:${id}` }] }, select: { id: true } });
  return new JobQueue(deps.db).cancelQueued(queued.map((j) => j.id), deps.clock.now(), 'announcement cancelled');
}

export type Report = {
  announcement: Awaited<ReturnType<typeof mine>>;
  counts: Record<string, number>;
  failed: { reason: FailureClass; count: number }[];
  /** Per answer: names only of people of organisations the actor may address; the others are counted in `elsewhere`. */
  rsvps: Record<RsvpStatus, { names: string[]; elsewhere: number }> | null;
  event: EventRow | null;
  /** Edit event / Cancel event are offered (the actor may, and it has not started or been cancelled). */
  canManageEvent: boolean;
  /** Where delivery stands: a sent announcement is scheduled, still sending, or finished (nothing left to send). */
  phase: 'draft' | 'scheduled' | 'sending' | 'finished' | 'cancelled';
};

/** Delivery accounting from the queue (sent, failed by reason, pending, unknown, cancelled) and who is coming. */
export async function announcementReport(deps: AnnouncementsDeps, actor: Actor, id: string): Promise<Report> {
  const a = await mine(deps, actor, id);
  const jobs = await deps.db.job.groupBy({ by: ['status'], where: { kind: 'announcement', idempotencyKey: { startsWith: `announce:${id}:` } }, _count: { _all: true } });
  const counts: Record<string, number> = {};
  for (const j of jobs) counts[j.status] = j._count._all;
  const failedRows = await deps.db.job.groupBy({ by: ['lastError'], where: { kind: 'announcement', status: 'failed', idempotencyKey: { startsWith: `announce:${id}:` } }, _count: { _all: true } });
  let rsvps: Report['rsvps'] = null;
  const event = a.eventId ? await new EventsRepository(deps.db).findById(a.eventId) : null;
  if (a.eventId) {
    const inScope = new Set(await allowedOrganisations(deps.db, actor));
    const rows = await deps.db.rsvp.findMany({ where: { eventId: a.eventId }, select: { status: true, person: { select: { name: true, organisationId: true } } } });
    const answered = (status: RsvpStatus) => {
      const all = rows.filter((r) => r.status === status);
      const named = all.filter((r) => r.person.organisationId !== null && inScope.has(r.person.organisationId));
      return { names: named.map((r) => r.person.name ?? '?'), elsewhere: all.length - named.length };
    };
    rsvps = { going: answered('going'), maybe: answered('maybe'), no: answered('no') };
  }
  const now = deps.clock.now();
  const canManageEvent = !!event && mayManageEvent(actor, event, a) && !event.cancelledAt && event.startsAt > now;
  const failed = new Map<FailureClass, number>();
  for (const f of failedRows) failed.set(failureClass(f.lastError), (failed.get(failureClass(f.lastError)) ?? 0) + f._count._all);
  return { announcement: a, counts, failed: [...failed].map(([reason, count]) => ({ reason, count })), rsvps, event, canManageEvent, phase: await phaseOf(deps.db, a, counts, now) };
}

async function phaseOf(db: Db, a: { id: string; status: string; sentAt: Date | null }, counts: Record<string, number>, now: Date): Promise<Report['phase']> {
  if (a.status !== 'sent') return a.status === 'draft' ? 'draft' : 'cancelled';
  if (a.sentAt && a.sentAt > now) return 'scheduled';
  const fanout = await db.job.findUnique({ where: { idempotencyKey: `announce-fanout:${a.id}` }, select: { status: true } });
  const waiting = (counts.queued ?? 0) + (counts.leased ?? 0) + (counts.sending ?? 0);
  return fanout?.status === 'done' && waiting === 0 ? 'finished' : 'sending';
}

export async function listAnnouncements(deps: AnnouncementsDeps, actor: Actor) {
  await allowedOrganisations(deps.db, actor);
  return deps.db.announcement.findMany({ where: { createdBy: actor.personId }, orderBy: { createdAt: 'desc' }, take: 20 });
}

export function canCompose(actor: Actor) {
  return authorise(actor, 'announce.compose').allowed;
}

/** Per-recipient delivery status for the CSV export (names, status, reason, time) — the coordinator's own announcement. */
export async function deliveryRows(deps: AnnouncementsDeps, actor: Actor, id: string, t: Translate): Promise<(string | number)[][]> {
  await mine(deps, actor, id);
  const jobs = await deps.db.job.findMany({
    where: { kind: 'announcement', idempotencyKey: { startsWith: `announce:${id}:` } },
    orderBy: { createdAt: 'asc' },
    select: { status: true, lastError: true, finishedAt: true, idempotencyKey: true, person: { select: { name: true, email: true } } },
  });
  const channelIds = jobs.map((j) => j.idempotencyKey.split(':channel:')[1]).filter((c): c is string => !!c);
  const channels = new Map((await deps.db.conversation.findMany({ where: { id: { in: channelIds } }, select: { id: true, teamName: true, channelName: true } })).map((c) => [c.id, channelTitle(c, t)]));
  const recipient = (j: (typeof jobs)[number]) => {
    const channelId = j.idempotencyKey.split(':channel:')[1];
    return j.person?.name ?? (channelId ? channels.get(channelId) ?? channelId : '');
  };
  const header = ['recipient', 'email', 'status', 'reason', 'detail', 'time'].map((h) => t(`announce.delivery.header.${h}`));
  return [
    header,
    ...jobs.map((j) => {
      const reason = j.status === 'failed' || j.status === 'dead' ? t(`announce.delivery.reason.${failureClass(j.lastError)}`) : '';
      return [recipient(j), j.person?.email ?? '', t(`announce.delivery.status.${j.status}`), reason, j.status === 'sent' ? '' : j.lastError ?? '', j.finishedAt?.toISOString() ?? ''];
    }),
  ];
}

/** Why a copy was not delivered, in words a coordinator can act on (the sender records `<outcome>: <Teams' answer>`). */
export const FAILURE_CLASSES = ['unreachable', 'tenant_disabled', 'rejected', 'other'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];
export function failureClass(lastError: string | null): FailureClass {
  const outcome = lastError?.split(':')[0] ?? '';
  return (FAILURE_CLASSES as readonly string[]).includes(outcome) ? (outcome as FailureClass) : 'other';
}

/** How a team channel is named to coordinators: "Team › Channel" (Teams gives the General channel no name: it is named in their language). */
export function channelTitle(c: { teamName: string | null; channelName: string | null }, t: Translate) {
  return `${c.teamName ?? '?'} › ${c.channelName || t('announce.generalChannel')}`;
}

/**
 * A recipient's answer on the announcement card — the same RSVP as from a path step (latest wins); only someone it was
 * sent to may answer through it. When the event was cancelled or registration has closed, the card shows the answer
 * that stands (the refusal is the card itself).
 */
export async function rsvpFromAnnouncement(deps: AnnouncementsDeps, personId: string, announcementId: string, status: RsvpStatus) {
  const announcement = await deps.db.announcement.findUnique({ where: { id: announcementId } });
  const delivered = announcement ? await deps.db.job.findUnique({ where: { idempotencyKey: `announce:${announcement.id}:${personId}` }, select: { id: true } }) : null;
  if (!announcement?.eventId || !delivered) throw new AppError('not_found');
  const author = (await deps.db.person.findUnique({ where: { id: announcement.createdBy }, select: { name: true } }))?.name ?? '';
  try {
    return { announcement, author, event: await answerRsvp(deps, personId, announcement.eventId, status), answer: status as RsvpStatus | undefined };
  } catch (error) {
    if (!(error instanceof AppError && (error.code === 'event_cancelled' || error.code === 'rsvp_closed'))) throw error;
    const [event, standing] = await Promise.all([
      new EventsRepository(deps.db).findById(announcement.eventId),
      deps.db.rsvp.findUnique({ where: { personId_eventId: { personId, eventId: announcement.eventId } }, select: { status: true } }),
    ]);
    return { announcement, author, event, answer: standing && isRsvpAnswer(standing.status) ? standing.status : undefined };
  }
}
