import { plainText, renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { formatWhen } from '../events/event-change.js';
import { EVENT_TYPES, MAX_EVENT_AREAS, type EventForm } from '../events/event-form.js';
import type { EventRow } from '../events/events.repository.js';
import { button, noticeCard } from '../people/people.cards.js';
import type { EventChangePayload } from './announcement-event.service.js';

/**
 * The event's own card, the step after the compose card ("a new event"), and the same card to edit an event already
 * announced. `mode: 'edit'` carries the revision the form was made from. A refusal shows it again as typed, with why.
 */
export function eventFormCard(
  t: Translate,
  f: { mode: 'draft' | 'edit'; announcementId: string; revision?: number; form: EventForm; areas: { title: string; value: string }[]; message?: string },
): Card {
  const draft = f.mode === 'draft';
  const ref = { announcementId: f.announcementId };
  const saveVerb = draft ? 'announce.saveEvent' : 'announce.updateEvent';
  const backVerb = draft ? 'announce.edit' : 'announce.report';
  return renderCard('announce-event', {
    title: t(draft ? 'announce.eventForm.newTitle' : 'announce.eventForm.editTitle'),
    intro: t(draft ? 'announce.eventForm.intro' : 'announce.eventForm.introEdit'),
    hasMessage: !!f.message,
    message: f.message ?? '',
    typeLabel: t('announce.eventForm.typeLabel'),
    typePlaceholder: t('announce.eventForm.typePlaceholder'),
    typeValue: f.form.type,
    typeError: t('announce.eventForm.errors.type'),
    types: EVENT_TYPES.map((type) => ({ title: t(`announce.eventForm.types.${type}`), value: type })),
    titleLabel: t('announce.eventForm.titleLabel'),
    titleValue: f.form.title,
    startDateLabel: t('announce.eventForm.startDateLabel'),
    startDateValue: f.form.startDate,
    timeLabel: t('announce.eventForm.timeLabel'),
    startTimeValue: f.form.startTime,
    endDateLabel: t('announce.eventForm.endDateLabel'),
    endDateValue: f.form.endDate,
    endTimeValue: f.form.endTime,
    dateError: t('announce.eventForm.errors.start'),
    timeError: t('announce.eventForm.timeError'),
    zoneLabel: t('announce.eventForm.zoneLabel'),
    zoneValue: f.form.timeZone,
    placeLabel: t('announce.eventForm.placeLabel'),
    placeValue: f.form.place,
    linkLabel: t('announce.eventForm.linkLabel'),
    linkValue: f.form.link,
    deadlineDateLabel: t('announce.eventForm.deadlineDateLabel'),
    deadlineDateValue: f.form.deadlineDate,
    deadlineTimeLabel: t('announce.eventForm.deadlineTimeLabel'),
    deadlineTimeValue: f.form.deadlineTime,
    areaLabel: t('announce.eventForm.areaLabel', { max: MAX_EVENT_AREAS }),
    areaValue: f.form.areas.join(','),
    areas: f.areas,
    saveTitle: t(draft ? 'announce.save' : 'announce.eventForm.saveEdit'),
    saveVerb,
    saveData: { ...ref, ...(draft ? {} : { revision: String(f.revision ?? 0) }), verb: saveVerb },
    backTitle: t('announce.eventForm.back'),
    backVerb,
    backData: { ...ref, verb: backVerb },
  });
}

/** "Cancel the event?" — what happens, and how many people are told. */
export function cancelEventCard(t: Translate, lang: string, announcementId: string, event: EventRow, answered: number): Card {
  return noticeCard({
    title: t('announce.eventCancel.title', { title: plainText(localised(event.title, lang)) }),
    text: t('announce.eventCancel.text', { count: answered }),
    tone: 'warning',
    facts: [{ title: t('announce.when'), value: formatWhen(event.startsAt, event.endsAt, event.timeZone) }],
    buttons: [
      button(t('announce.eventCancel.confirm'), 'announce.cancelEvent', { announcementId, confirm: 'yes' }, 'destructive'),
      button(t('announce.eventCancel.back'), 'announce.report', { announcementId }),
    ],
  });
}

/** What a person who answered is told: what changed (old → new, times in the event's zone), or that it is cancelled. */
export function eventChangeCard(t: Translate, lang: string, event: EventRow, change: EventChangePayload, answer: string | null): Card {
  const title = plainText(localised(event.title, lang));
  const shown = (v: string, field: string) => (!v ? '—' : field === 'where' ? plainText(v) : v);
  if (change.cancelled) {
    return noticeCard({
      title: t('announce.change.cancelledTitle', { title }),
      text: t('announce.change.cancelledText'),
      tone: 'attention',
      facts: [{ title: t('announce.when'), value: formatWhen(event.startsAt, event.endsAt, event.timeZone) }],
    });
  }
  return noticeCard({
    title: t('announce.change.title', { title }),
    text: answer ? t('announce.change.text', { answer: t(`announce.rsvp.${answer}`) }) : t('announce.change.textNoAnswer'),
    tone: 'warning',
    facts: change.changes.map((c) => ({ title: t(`announce.change.field.${c.field}`), value: `${shown(c.from, c.field)} → ${shown(c.to, c.field)}` })),
  });
}
