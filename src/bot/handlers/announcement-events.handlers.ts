import { z } from 'zod';
import { cancelEventCard, eventFormCard } from '../../features/announcements/announcement-event.cards.js';
import {
  answeredCount, cancelAnnouncedEvent, manageableEvent, saveDraftEvent, updateAnnouncedEvent, type EventUpdate,
} from '../../features/announcements/announcement-event.service.js';
import { reportCard } from '../../features/announcements/announcements.cards.js';
import { announcementReport, draftEventOf, ownDraftOrNew, type AnnouncementsDeps, type Audience } from '../../features/announcements/announcements.service.js';
import { areaName, loadFramework } from '../../features/assessment/framework.repository.js';
import { eventDetails, eventFormInput, formFromEvent, MAX_EVENT_AREAS, type EventForm, type EventRules } from '../../features/events/event-form.js';
import { EventsRepository, type EventRow } from '../../features/events/events.repository.js';
import type { Card } from '../../lib/cards.js';
import { AppError } from '../../lib/errors.js';
import { localised } from '../../lib/i18n.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const announcementId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const ref = z.object({ announcementId });
const saveInput = eventFormInput.extend({ announcementId });
const updateInput = saveInput.extend({ revision: z.coerce.number().int().min(0).max(1_000_000) });
const cancelInput = ref.extend({ confirm: z.literal('yes').optional() });

type Draft = { id: string; title: string; sendAt: Date | null; eventId: string | null; audience: unknown };
type Deps = AnnouncementsDeps & { preview: (turn: Turn, draft: NonNullable<Awaited<ReturnType<typeof ownDraftOrNew>>>) => Promise<Card> };

const asForm = (e: EventRow, lang: string) => formFromEvent({ ...e, title: localised(e.title, lang), areas: e.areas as string[] });
/** Why the form was refused (a reason from eventDetails), in the coordinator's language. */
const refusal = (turn: Turn, reason: string) => turn.t(`announce.eventForm.errors.${reason}`, { max: MAX_EVENT_AREAS });

/**
 * The event written with an announcement: its details card after the compose card (saved with the draft, checked by
 * the rules in event-form.ts), and — once announced — Edit event / Cancel event from the report, which tell everyone
 * who answered through the queue.
 */
export function registerAnnouncementEventHandlers(kit: BotKit, deps: Deps) {
  const areaChoices = async (turn: Turn) => {
    const framework = await loadFramework(deps.db);
    return { ids: framework.areas.map((a) => a.id), choices: framework.areas.map((a) => ({ title: areaName(framework, a.id, turn.lang), value: a.id })) };
  };
  const rules = (turn: Turn, ids: string[], r: Partial<EventRules> & Pick<EventRules, 'defaultTitle' | 'defaultZone'>): EventRules => ({ now: deps.clock.now(), areaIds: ids, ...r });

  /** The details card for a draft: what the event written with it says, else the announcement's title and the coordinator's zone. */
  const draftForm = async (turn: Turn, draft: Draft, typed?: EventForm, message?: string) => {
    const own = await draftEventOf(deps.db, draft);
    const event = own ? await new EventsRepository(deps.db).findById(own.id) : null;
    const blank: EventForm = { type: '', title: draft.title, startDate: '', startTime: '', endDate: '', endTime: '', timeZone: turn.timeZone, place: '', link: '', deadlineDate: '', deadlineTime: '', areas: (draft.audience as Audience).areas ?? [] };
    const form = typed ?? (event ? asForm(event, turn.lang) : blank);
    return eventFormCard(turn.t, { mode: 'draft', announcementId: draft.id, form, areas: (await areaChoices(turn)).choices, message });
  };

  kit.verb('announce.saveEvent', 'announce.compose', saveInput, async (_context, turn, input) => {
    const { announcementId: id, ...form } = input;
    const draft = await ownDraftOrNew(deps, turn.actor, id);
    if (!draft) throw new AppError('not_found');
    const { ids } = await areaChoices(turn);
    const checked = eventDetails(form, rules(turn, ids, { sendAt: draft.sendAt, defaultTitle: draft.title, defaultZone: turn.timeZone }));
    if (!checked.ok) return draftForm(turn, draft, form, refusal(turn, checked.reason));
    return deps.preview(turn, await saveDraftEvent(deps, turn.actor, id, checked.value, turn.lang));
  });

  kit.verb('announce.editEvent', 'announce.compose', ref, async (_context, turn, input) => {
    const event = await manageableEvent(deps, turn.actor, input.announcementId);
    const { choices } = await areaChoices(turn);
    return eventFormCard(turn.t, { mode: 'edit', announcementId: input.announcementId, revision: event.revision, form: asForm(event, turn.lang), areas: choices });
  });

  const report = async (turn: Turn, id: string, message?: string) => reportCard(turn.t, await announcementReport(deps, turn.actor, id), { lang: turn.lang, timeZone: turn.timeZone, message });
  const updated: Record<EventUpdate['status'], string> = { saved: 'announce.eventEdit.saved', unchanged: 'announce.eventEdit.unchanged', stale: 'announce.eventEdit.stale' };

  kit.verb('announce.updateEvent', 'announce.compose', updateInput, async (_context, turn, input) => {
    const { announcementId: id, revision, ...form } = input;
    const event = await manageableEvent(deps, turn.actor, id);
    const { ids, choices } = await areaChoices(turn);
    const checked = eventDetails(form, rules(turn, ids, { defaultTitle: localised(event.title, turn.lang), defaultZone: event.timeZone, storedDeadline: event.registrationDeadline }));
    if (!checked.ok) return eventFormCard(turn.t, { mode: 'edit', announcementId: id, revision, form, areas: choices, message: refusal(turn, checked.reason) });
    const result = await updateAnnouncedEvent(deps, turn.actor, id, revision, checked.value, turn.lang);
    const key = result.status === 'saved' && result.notified === 0 ? 'announce.eventEdit.savedQuiet' : updated[result.status];
    return report(turn, id, turn.t(key, { count: result.notified }));
  });

  kit.verb('announce.cancelEvent', 'announce.compose', cancelInput, async (_context, turn, input) => {
    if (!input.confirm) {
      const event = await manageableEvent(deps, turn.actor, input.announcementId, { cancelled: 'ok' });
      if (event.cancelledAt) return report(turn, input.announcementId);
      return cancelEventCard(turn.t, turn.lang, input.announcementId, event, await answeredCount(deps, event.id));
    }
    const result = await cancelAnnouncedEvent(deps, turn.actor, input.announcementId);
    return report(turn, input.announcementId, result.already ? undefined : turn.t('announce.eventEdit.cancelled', { count: result.notified }));
  });

  return { draftForm };
}
