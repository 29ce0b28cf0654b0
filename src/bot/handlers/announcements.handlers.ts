import { z } from 'zod';
import { announcementCard, composeCard, previewCard, reportCard } from '../../features/announcements/announcements.cards.js';
import {
  allowedOrganisations, announcementInput, announcementReport, cancelAnnouncement, listAnnouncements, resolveAudience, saveDraft, sendAnnouncement,
  type AnnouncementsDeps, type Audience,
} from '../../features/announcements/announcements.service.js';
import { answerRsvp } from '../../features/events/events.service.js';
import { EventsRepository } from '../../features/events/events.repository.js';
import { button, noticeCard } from '../../features/people/people.cards.js';
import { AppError } from '../../lib/errors.js';
import { localised } from '../../lib/i18n.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();
const ref = z.object({ announcementId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });
const rsvpInput = ref.extend({ status: z.enum(['going', 'maybe', 'no']) });

/** Coordinators' announcements: compose → preview → send (through the queue) → report; recipients answer Going / Maybe / Can't go. */
export function registerAnnouncementHandlers(kit: BotKit, deps: AnnouncementsDeps) {
  const choices = async (turn: Turn) => {
    const orgIds = await allowedOrganisations(deps.db, turn.actor);
    const [orgs, roles, events] = await Promise.all([
      deps.db.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
      deps.db.jobRole.findMany({ orderBy: { position: 'asc' }, select: { id: true, name: true } }),
      new EventsRepository(deps.db).upcoming(deps.clock.now(), null),
    ]);
    return {
      organisations: orgs.map((o) => ({ title: o.name, value: o.id })),
      roles: roles.map((r) => ({ title: localised(r.name, turn.lang), value: r.id })),
      events: events.map((e) => ({ title: `${localised(e.title, turn.lang)} · ${e.startsAt.toISOString().slice(0, 10)}`, value: e.id })),
    };
  };
  const compose = async (turn: Turn) => composeCard(turn.t, await choices(turn));
  kit.command('announce', 'announce.compose', async (_context, turn) => compose(turn));
  kit.verb('announce.new', 'announce.compose', noInput, async (_context, turn) => compose(turn));
  kit.verb('announce.save', 'announce.compose', announcementInput, async (_context, turn, input) => {
    const draft = await saveDraft(deps, turn.actor, input);
    return previewCard(turn.t, draft, await resolveAudience(deps.db, draft.audience as Audience));
  });
  kit.verb('announce.edit', 'announce.compose', ref, async (_context, turn, input) => {
    const a = await deps.db.announcement.findUnique({ where: { id: input.announcementId } });
    if (!a || a.createdBy !== turn.person.id) throw new AppError('not_found');
    if (a.status !== 'draft') throw new AppError('stale_card');
    return composeCard(turn.t, await choices(turn), { ...a, audience: a.audience as Audience });
  });
  kit.verb('announce.preview', 'announce.compose', ref, async (context, turn, input) => {
    const a = await deps.db.announcement.findUnique({ where: { id: input.announcementId } });
    if (!a || a.createdBy !== turn.person.id) throw new AppError('not_found');
    const event = a.eventId ? await new EventsRepository(deps.db).findById(a.eventId) : null;
    return announcementCard(turn.t, turn.lang, a, turn.person.name ?? '', event);
  });
  kit.verb('announce.send', 'announce.compose', ref, async (_context, turn, input) => {
    await sendAnnouncement(deps, turn.actor, input.announcementId);
    return reportCard(turn.t, await announcementReport(deps, turn.actor, input.announcementId));
  });
  kit.verb('announce.cancel', 'announce.compose', ref, async (_context, turn, input) => {
    await cancelAnnouncement(deps, turn.actor, input.announcementId);
    return reportCard(turn.t, await announcementReport(deps, turn.actor, input.announcementId));
  });
  kit.verb('announce.report', 'announce.compose', ref, async (_context, turn, input) => reportCard(turn.t, await announcementReport(deps, turn.actor, input.announcementId)));
  const list = async (turn: Turn) => {
    const rows = await listAnnouncements(deps, turn.actor);
    return noticeCard({
      title: turn.t('announce.listTitle'),
      text: rows.length ? turn.t('announce.listIntro') : turn.t('announce.listNone'),
      facts: rows.map((a) => ({ title: a.createdAt.toISOString().slice(0, 10), value: `${a.title} — ${turn.t(`announce.report.status.${a.status}`)}` })),
      buttons: [button(turn.t('announce.newTitle'), 'announce.new'), ...rows.slice(0, 4).map((a) => button(turn.t('announce.reportButton', { title: a.title.slice(0, 20) }), 'announce.report', { announcementId: a.id }))],
    });
  };
  kit.command('announcements', 'announce.compose', async (_context, turn) => list(turn));

  // A recipient answers on the announcement card; the same RSVP as from a path step (latest wins).
  kit.verb('announce.rsvp', 'announce.rsvp', rsvpInput, async (_context, turn, input) => {
    const a = await deps.db.announcement.findUnique({ where: { id: input.announcementId } });
    // Only someone it was sent to may answer through it.
    const delivered = a ? await deps.db.job.findUnique({ where: { idempotencyKey: `announce:${a.id}:${turn.person.id}` }, select: { id: true } }) : null;
    if (!a || !a.eventId || !delivered) throw new AppError('not_found');
    const event = await answerRsvp(deps, turn.person.id, a.eventId, input.status);
    const author = await deps.db.person.findUnique({ where: { id: a.createdBy }, select: { name: true } });
    return announcementCard(turn.t, turn.lang, a, author?.name ?? '', event, input.status);
  });
}
