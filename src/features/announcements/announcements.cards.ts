import crypto from 'node:crypto';
import { cardMarkdown, plainText, renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { formatInZone } from '../../lib/time.js';
import { formatWhen } from '../events/event-change.js';
import type { EventRow } from '../events/events.repository.js';
import { RSVP_ANSWERS } from '../events/events.service.js';
import { button, noticeCard } from '../people/people.cards.js';
import { NEW_EVENT, type Audience, type Report } from './announcements.service.js';

type AnnouncementRow = { id: string; title: string; text: string; eventId: string | null; audience: unknown; status: string; imageUrl?: string | null; imageAlt?: string | null };

const inZone = (at: Date, zone: string) => `${formatInZone(at, zone)} (${zone})`;

/**
 * What recipients see: the coordinator's text (bindings neutralised), the event and Going / Maybe / Can't go.
 * A cancelled event has no buttons and says so; after the registration deadline (known when `now` is given) only
 * Can't go is left.
 */
export function announcementCard(t: Translate, lang: string, a: AnnouncementRow, from: string, event: EventRow | null, answer?: string, opts: { channel?: boolean; now?: Date; preview?: boolean } = {}): Card {
  const cancelled = !!event?.cancelledAt;
  const closed = !!event?.registrationDeadline && !!opts.now && event.registrationDeadline <= opts.now;
  const canAnswer = !!event && !cancelled && !opts.channel;
  const answers = (closed ? (['no'] as const) : RSVP_ANSWERS).map((s) => t(`announce.rsvp.${s}`));
  const notice = cancelled ? t('announce.eventCancelled') : closed && event?.registrationDeadline ? t('announce.rsvpClosed', { deadline: inZone(event.registrationDeadline, event.timeZone) }) : '';
  const facts = event
    ? [
        { title: t('announce.when'), value: formatWhen(event.startsAt, event.endsAt, event.timeZone) },
        ...(event.place ? [{ title: t('announce.where'), value: plainText(event.place) }] : []),
        ...(event.link ? [{ title: t('announce.online'), value: event.link }] : []),
        ...(event.registrationDeadline && !cancelled ? [{ title: t('announce.registerBy'), value: inZone(event.registrationDeadline, event.timeZone) }] : []),
        { title: t('announce.event'), value: plainText(localised(event.title, lang)) },
      ]
    : [];
  // The coordinator's own preview copy has no working buttons: it says which ones recipients get.
  const answerLine = answer
    ? t('announce.yourAnswer', { answer: t(`announce.rsvp.${answer}`) })
    : opts.preview && canAnswer ? t('announce.previewAnswers', { buttons: answers.join(' · ') })
      : event && opts.channel && !cancelled ? t('announce.answerInChat') : '';
  return renderCard('announcement', {
    // An author who has since deleted their data has no name: the card says who it is for, not who wrote it.
    kicker: opts.preview ? t('announce.previewKicker', { name: plainText(from) }) : from ? t('announce.from', { name: plainText(from) }) : t('announce.fromCoordinators'),
    title: plainText(a.title),
    text: cardMarkdown(a.text),
    hasImage: !!a.imageUrl,
    imageUrl: a.imageUrl ?? '',
    imageAlt: plainText(a.imageAlt || a.title),
    facts,
    hasNotice: !!notice,
    notice,
    hasAnswer: !!answerLine,
    answer: answerLine,
    buttons: canAnswer && !opts.preview ? (closed ? (['no'] as const) : RSVP_ANSWERS).map((s) => button(t(`announce.rsvp.${s}`), 'announce.rsvp', { announcementId: a.id, status: s }, s === 'going' ? 'positive' : 'default')) : [],
  });
}

export function composeCard(
  t: Translate,
  choices: { organisations: { title: string; value: string }[]; roles: { title: string; value: string }[]; events: { title: string; value: string }[]; areas: { title: string; value: string }[]; channels: { title: string; value: string }[] },
  /** ownEvent: the draft's event was written with it (the choice is "a new event"). */
  draft?: { id: string; title: string; text: string; imageUrl?: string | null; imageAlt?: string | null; eventId: string | null; audience: Audience; sendAt: Date | null; ownEvent?: boolean },
  timeZone = 'UTC',
  message?: string,
  typed?: Partial<{ title: string; text: string; imageUrl: string; imageAlt: string; eventId: string; organisations: string[]; roles: string[]; areas: string[]; channels: string[] }>,
): Card {
  return renderCard('announce-form', {
    title: draft ? t('announce.editTitle') : t('announce.newTitle'),
    intro: t('announce.intro'),
    hasMessage: !!message,
    message: message ?? '',
    titleLabel: t('announce.titleLabel'),
    titleValue: draft?.title ?? typed?.title ?? '',
    titleError: t('announce.titleError'),
    textLabel: t('announce.textLabel'),
    textValue: draft?.text ?? typed?.text ?? '',
    textError: t('announce.textError'),
    imageLabel: t('announce.imageLabel'),
    imageValue: draft?.imageUrl ?? typed?.imageUrl ?? '',
    imageAltLabel: t('announce.imageAltLabel'),
    imageAltValue: draft?.imageAlt ?? typed?.imageAlt ?? '',
    orgLabel: t('announce.orgLabel'),
    orgValue: (draft?.audience.organisations ?? (choices.organisations.length === 1 ? [choices.organisations[0]!.value] : [])).join(','),
    orgError: t('announce.orgError'),
    organisations: choices.organisations.map((o) => ({ title: plainText(o.title), value: o.value })),
    roleLabel: t('announce.roleLabel'),
    roleValue: (draft?.audience.roles ?? []).join(','),
    roles: choices.roles.map((r) => ({ title: plainText(r.title), value: r.value })),
    areaLabel: t('announce.areaLabel'),
    areaValue: (draft?.audience.areas ?? []).join(','),
    areas: choices.areas,
    hasChannels: choices.channels.length > 0,
    channelLabel: t('announce.channelLabel'),
    channelValue: (draft?.audience.channels ?? []).join(','),
    channels: choices.channels.map((c) => ({ title: plainText(c.title), value: c.value })),
    dateLabel: t('announce.dateLabel'),
    dateValue: draft?.sendAt ? formatInZone(draft.sendAt, timeZone).slice(0, 10) : '',
    timeLabel: t('announce.timeLabel', { zone: timeZone }),
    timeValue: draft?.sendAt ? formatInZone(draft.sendAt, timeZone).slice(11, 16) : '',
    eventLabel: t('announce.eventLabel'),
    eventValue: draft ? (draft.ownEvent ? NEW_EVENT : draft.eventId ?? '') : typed?.eventId ?? '',
    events: [{ title: t('announce.noEvent'), value: '' }, { title: t('announce.newEvent'), value: NEW_EVENT }, ...choices.events.map((e) => ({ title: plainText(e.title), value: e.value }))],
    saveTitle: t('announce.save'),
    saveData: draft ? { announcementId: draft.id, verb: 'announce.save' } : { announcementId: '', draftKey: crypto.randomBytes(16).toString('base64url'), verb: 'announce.save' },
  });
}

/** The coordinator's preview: how many it reaches (and how many cannot be reached), then Send / Edit / Cancel. */
export function previewCard(t: Translate, a: AnnouncementRow & { sendAt: Date | null }, reach: { reachable: string[]; unreachable: number; channels: string[] }, timeZone: string, message?: string): Card {
  return noticeCard({
    title: t('announce.previewTitle', { title: plainText(a.title) }),
    text: t('announce.previewText', { count: reach.reachable.length, unreachable: reach.unreachable }) + (reach.channels.length ? `\n\n${t('announce.previewChannels', { count: reach.channels.length })}` : '') + (message ? `\n\n${message}` : ''),
    facts: [
      { title: t('announce.titleLabel'), value: plainText(a.title) },
      { title: t('announce.whenSent'), value: a.sendAt ? `${formatInZone(a.sendAt, timeZone)} (${timeZone})` : t('announce.now') },
    ],
    buttons: [
      button(a.sendAt ? t('announce.schedule') : t('announce.sendNow'), 'announce.send', { announcementId: a.id }, 'positive'),
      button(t('announce.previewButton'), 'announce.preview', { announcementId: a.id }),
      button(t('announce.edit'), 'announce.edit', { announcementId: a.id }),
      button(t('announce.cancel'), 'announce.cancel', { announcementId: a.id }, 'destructive'),
    ],
  });
}

/** "3: Tiina, Matti (and 1 person from an organisation you do not address)": names only within the actor's scope. */
function answeredValue(t: Translate, answered: { names: string[]; elsewhere: number }) {
  const names = answered.names.length ? `: ${answered.names.map(plainText).join(', ')}` : '';
  const elsewhere = answered.elsewhere ? ` ${t('announce.report.elsewhere', { count: answered.elsewhere })}` : '';
  return `${answered.names.length + answered.elsewhere}${names}${elsewhere}`;
}

/**
 * Delivery report: sent, pending, failed by reason, unknown, cancelled — and who is coming. Refresh updates it in
 * place. The event's creator (or a partnership admin) can edit or cancel it from here; a cancelled one says so.
 */
export function reportCard(t: Translate, r: Report, opts: { lang: string; timeZone: string; message?: string }): Card {
  const c = r.counts;
  const e = r.event;
  const eventFact = e ? [{ title: t('announce.event'), value: `${plainText(localised(e.title, opts.lang))} · ${formatWhen(e.startsAt, e.endsAt, e.timeZone)}${e.cancelledAt ? ` · ${t('announce.report.eventCancelled')}` : ''}` }] : [];
  const facts = [
    { title: t('announce.report.sent'), value: String(c.sent ?? 0) },
    { title: t('announce.report.pending'), value: String((c.queued ?? 0) + (c.leased ?? 0) + (c.sending ?? 0)) },
    { title: t('announce.report.failed'), value: String(c.failed ?? 0) + (r.failed.length ? ` (${r.failed.map((f) => `${t(`announce.delivery.reason.${f.reason}`)}: ${f.count}`).join('; ')})` : '') },
    { title: t('announce.report.unknown'), value: String((c.unknown ?? 0) + (c.dead ?? 0)) },
    { title: t('announce.report.cancelled'), value: String((c.cancelled ?? 0) + (c.skipped ?? 0)) },
    ...(r.rsvps
      ? [
          ...RSVP_ANSWERS.map((s) => ({ title: t(`announce.rsvp.${s}`), value: answeredValue(t, r.rsvps![s]) })),
        ]
      : []),
    ...eventFact,
  ];
  return noticeCard({
    title: t('announce.report.title', { title: plainText(r.announcement.title) }),
    text: `${opts.message ? `${opts.message}\n\n` : ''}${t(`announce.report.phase.${r.phase}`, { time: r.announcement.sentAt ? inZone(r.announcement.sentAt, opts.timeZone) : '' })}`,
    facts,
    buttons: [
      button(t('announce.report.refresh'), 'announce.report', { announcementId: r.announcement.id }),
      button(t('announce.report.export'), 'announce.export', { announcementId: r.announcement.id }),
      // Scheduled (nothing queued before its time) or copies still waiting: Cancel stops them.
      ...(r.phase === 'scheduled' || (r.announcement.status === 'sent' && (c.queued ?? 0) + (c.leased ?? 0) > 0) ? [button(t('announce.cancel'), 'announce.cancel', { announcementId: r.announcement.id }, 'destructive')] : []),
      ...(r.canManageEvent
        ? [button(t('announce.report.editEvent'), 'announce.editEvent', { announcementId: r.announcement.id }), button(t('announce.report.cancelEvent'), 'announce.cancelEvent', { announcementId: r.announcement.id }, 'destructive')]
        : []),
    ],
  });
}
