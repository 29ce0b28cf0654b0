import { z } from 'zod';
import { announcementCard, composeCard, previewCard, reportCard } from '../../features/announcements/announcements.cards.js';
import {
  allowedChannels, allowedOrganisations, announceableEvents, channelTitle, mine, ownDraftOrNew, announcementInput, deliveryRows, announcementReport, cancelAnnouncement, draftEventOf, listAnnouncements, NEW_EVENT, resolveAudience, rsvpFromAnnouncement, saveDraft, sendAnnouncement,
  type AnnouncementsDeps, type Audience, type Draft,
} from '../../features/announcements/announcements.service.js';
import { RSVP_ANSWERS } from '../../features/events/events.service.js';
import { EventsRepository } from '../../features/events/events.repository.js';
import { button, noticeCard } from '../../features/people/people.cards.js';
import { areaName, loadFramework } from '../../features/assessment/framework.repository.js';
import { createRowsExport } from '../../features/mapping/export.service.js';
import { localised } from '../../lib/i18n.js';
import { clockTimeIn } from '../../lib/time.js';
import { sendCard, type BotKit } from '../kit.js';
import { registerAnnouncementEventHandlers } from './announcement-events.handlers.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();
const ref = z.object({ announcementId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });
const rsvpInput = ref.extend({ status: z.enum(RSVP_ANSWERS) });

/** Coordinators' announcements: compose → preview → send (through the queue) → report; recipients answer Going / Maybe / Can't go. */
/** Teams refuses messages over ~28 KB once wrapped; leave room for the envelope. */
const MAX_CARD_BYTES = 24_000;

export function registerAnnouncementHandlers(kit: BotKit, deps: AnnouncementsDeps & { publicBaseUrl: string }) {
  const choices = async (turn: Turn) => {
    const orgIds = await allowedOrganisations(deps.db, turn.actor);
    const [orgs, roles, events, channels, framework] = await Promise.all([
      deps.db.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
      deps.db.jobRole.findMany({ orderBy: { position: 'asc' }, select: { id: true, name: true } }),
      announceableEvents(deps, turn.actor),
      allowedChannels(deps.db, turn.actor),
      loadFramework(deps.db),
    ]);
    return {
      areas: framework.areas.map((a) => ({ title: areaName(framework, a.id, turn.lang), value: a.id })),
      channels: channels.map((c) => ({ title: channelTitle(c, turn.t), value: c.id })),
      organisations: orgs.map((o) => ({ title: o.name, value: o.id })),
      roles: roles.map((r) => ({ title: localised(r.name, turn.lang), value: r.id })),
      events: events.map((e) => ({ title: `${localised(e.title, turn.lang)} · ${e.startsAt.toISOString().slice(0, 10)}`, value: e.id })),
    };
  };
  const compose = async (turn: Turn) => composeCard(turn.t, await choices(turn), undefined, turn.timeZone);
  kit.command('announce', 'announce.compose', async (_context, turn) => compose(turn));
  kit.verb('announce.new', 'announce.compose', noInput, async (_context, turn) => compose(turn));
  kit.verb('announce.save', 'announce.compose', announcementInput, async (_context, turn, input) => {
    const saved = await saveDraft(deps, turn.actor, input, turn.timeZone);
    // What is wrong is said on the form, with everything typed kept (a draft already saved keeps its id).
    if ('problem' in saved) {
      const { announcementId: _id, ...rest } = input;
      if (!saved.draftId) return composeCard(turn.t, await choices(turn), undefined, turn.timeZone, turn.t(saved.problem), rest);
      const typed = { id: saved.draftId, title: input.title, text: input.text, imageUrl: input.imageUrl, imageAlt: input.imageAlt, eventId: input.eventId ?? null, sendAt: saved.sendAt, ownEvent: input.eventId === NEW_EVENT };
      return composeCard(turn.t, await choices(turn), { ...typed, audience: { organisations: input.organisations, roles: input.roles, areas: input.areas, channels: input.channels } }, turn.timeZone, turn.t(saved.problem));
    }
    const draft = saved.draft;
    // A new event: its details on the next card, then the preview.
    if (input.eventId === NEW_EVENT) return events.draftForm(turn, draft);
    return preview(turn, draft);
  });
  /** Teams refuses large cards: what recipients would get is checked before the preview offers Send. */
  const preview = async (turn: Turn, draft: Draft) => {
    const event = draft.eventId ? await new EventsRepository(deps.db).findById(draft.eventId) : null;
    if (Buffer.byteLength(JSON.stringify(announcementCard(turn.t, turn.lang, draft, turn.person.name ?? '', event))) > MAX_CARD_BYTES) {
      return composeCard(turn.t, await choices(turn), { ...draft, audience: draft.audience as Audience, ownEvent: !!event?.draft }, turn.timeZone, turn.t('announce.tooLarge'));
    }
    return previewCard(turn.t, draft, await resolveAudience(deps.db, draft.audience as Audience), turn.timeZone);
  };
  const events = registerAnnouncementEventHandlers(kit, { ...deps, preview });
  kit.verb('announce.edit', 'announce.compose', ref, async (_context, turn, input) => {
    const a = (await ownDraftOrNew(deps, turn.actor, input.announcementId))!;
    return composeCard(turn.t, await choices(turn), { ...a, audience: a.audience as Audience, ownEvent: !!(await draftEventOf(deps.db, a)) }, turn.timeZone);
  });
  kit.verb('announce.preview', 'announce.compose', ref, async (context, turn, input) => {
    // The same access as the report: the author while their grant covers the audience, or a partnership admin.
    const a = await mine(deps, turn.actor, input.announcementId);
    const event = a.eventId ? await new EventsRepository(deps.db).findById(a.eventId) : null;
    // The copy arrives as its own message, as recipients will get it; the card with Send stays where it was.
    await sendCard(context, announcementCard(turn.t, turn.lang, a, turn.person.name ?? '', event, undefined, { now: deps.clock.now(), preview: true }));
    if (a.status !== 'draft') return reportCard(turn.t, await announcementReport(deps, turn.actor, a.id), { lang: turn.lang, timeZone: turn.timeZone, message: turn.t('announce.previewSent') });
    return previewCard(turn.t, a, await resolveAudience(deps.db, a.audience as Audience), turn.timeZone, turn.t('announce.previewSent'));
  });
  kit.verb('announce.send', 'announce.compose', ref, async (_context, turn, input) => {
    await sendAnnouncement(deps, turn.actor, input.announcementId);
    return reportCard(turn.t, await announcementReport(deps, turn.actor, input.announcementId), { lang: turn.lang, timeZone: turn.timeZone });
  });
  kit.verb('announce.cancel', 'announce.compose', ref, async (_context, turn, input) => {
    await cancelAnnouncement(deps, turn.actor, input.announcementId);
    return reportCard(turn.t, await announcementReport(deps, turn.actor, input.announcementId), { lang: turn.lang, timeZone: turn.timeZone });
  });
  kit.verb('announce.export', 'announce.compose', ref, async (_context, turn, input) => {
    const rows = await deliveryRows(deps, turn.actor, input.announcementId, turn.t);
    const { token, expiresAt } = await createRowsExport(deps.db, deps.clock, { organisationId: '', name: 'rexvet-announcement-delivery', rows, note: turn.t('announce.exportNote'), createdBy: `person:${turn.person.id}`, format: 'csv' });
    const url = `${deps.publicBaseUrl.replace(/\/$/, '')}/exports/${token}.csv`;
    return noticeCard({ title: turn.t('digest.exportTitle'), text: turn.t('announce.exportText', { url, time: clockTimeIn(expiresAt, turn.timeZone) }), buttons: [button(turn.t('announce.report.refresh'), 'announce.report', { announcementId: input.announcementId })] });
  });
  kit.verb('announce.report', 'announce.compose', ref, async (_context, turn, input) => reportCard(turn.t, await announcementReport(deps, turn.actor, input.announcementId), { lang: turn.lang, timeZone: turn.timeZone }));
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
    const r = await rsvpFromAnnouncement(deps, turn.person.id, input.announcementId, input.status);
    return announcementCard(turn.t, turn.lang, r.announcement, r.author, r.event, r.answer, { now: deps.clock.now() });
  });
}
