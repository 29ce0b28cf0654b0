import { plainText, renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { button, noticeCard } from '../people/people.cards.js';
import type { BadgeClassContent, BadgeClassRow } from './badges.repository.js';
import type { ApplicationRow } from './reviews.service.js';

type Note = { statement: string; score: number; evidence: string };
type Attended = { title: string; dates: string };
const noteLines = (notes: Note[]) => notes.map((n) => ({ text: `• ${plainText(n.statement)} (${n.score}): ${plainText(n.evidence)}` }));
const eventLines = (events: Attended[]) => events.map((e) => ({ text: `• ${plainText(e.title)} (${e.dates})` }));

/** Apply for a badge that needs review: the criteria, the person's own statement notes, events attended, and what else shows it. */
export function applyFormCard(t: Translate, lang: string, badge: BadgeClassRow, notes: Note[], events: Attended[], message?: string): Card {
  return renderCard('badge-form', {
    title: t('badges.apply.title', { name: localised(badge.content.name, lang) }),
    intro: message ?? t('badges.apply.intro'),
    facts: [{ title: t('badges.page.criteria'), value: plainText(localised(badge.content.criteria, lang)) }],
    hasNotes: notes.length > 0,
    notesTitle: t('badges.apply.notes'),
    notes: noteLines(notes),
    hasEvents: events.length > 0,
    eventsTitle: t('badges.apply.events'),
    events: eventLines(events),
    inputs: [
      { id: 'evidence', label: t('badges.apply.evidence'), placeholder: t('badges.apply.evidenceHint'), multiline: true, required: true, error: t('badges.apply.evidenceError'), max: 2000 },
      { id: 'link', label: t('badges.apply.link'), placeholder: 'https://', multiline: false, required: false, error: t('badges.apply.linkError'), max: 500 },
    ],
    buttons: [button(t('badges.apply.send'), 'badges.submit', { badgeId: badge.id }, 'positive'), button(t('badges.actions.list'), 'badges.list')],
  });
}

/** What a reviewer sees: who applies for what, their evidence, and Approve / Ask for more / Decline with a comment. */
export function reviewCard(t: Translate, lang: string, app: ApplicationRow, notes: Note[], events: Attended[], message?: string): Card {
  const c = app.badgeClass.content as BadgeClassContent;
  const name = localised(c.name, lang);
  return renderCard('badge-form', {
    title: t('badges.review.title'),
    intro: message ?? t('badges.review.intro', { name: plainText(app.person.name ?? '?'), badge: name }),
    facts: [
      { title: t('badges.page.criteria'), value: plainText(localised(c.criteria, lang)) },
      { title: t('badges.review.evidence'), value: plainText(app.evidence) },
      ...(app.link ? [{ title: t('badges.apply.link'), value: plainText(app.link) }] : []),
    ],
    hasNotes: notes.length > 0,
    notesTitle: t('badges.review.notes'),
    notes: noteLines(notes),
    hasEvents: events.length > 0,
    eventsTitle: t('badges.review.events'),
    events: eventLines(events),
    inputs: [{ id: 'comment', label: t('badges.review.comment'), placeholder: t('badges.review.commentHint'), multiline: true, required: false, error: t('badges.review.commentError'), max: 1000 }],
    buttons: [
      button(t('badges.review.approve'), 'badges.review', { applicationId: app.id, decision: 'approve' }, 'positive'),
      button(t('badges.review.more'), 'badges.review', { applicationId: app.id, decision: 'more' }),
      button(t('badges.review.decline'), 'badges.review', { applicationId: app.id, decision: 'decline' }, 'destructive'),
    ],
  });
}

/** The reviewer's card after deciding (or after someone else already had). */
export function reviewDoneCard(t: Translate, lang: string, app: ApplicationRow, outcome: 'decided' | 'already', deciderName: string | null): Card {
  const badge = localised((app.badgeClass.content as BadgeClassContent).name, lang);
  const who = plainText(app.person.name ?? '?');
  return noticeCard({
    title: outcome === 'already' ? t('badges.review.already', { name: plainText(deciderName ?? '?') }) : t(`badges.review.done.${app.status}`),
    text: t(`badges.review.doneText.${app.status}`, { name: who, badge }),
    tone: app.status === 'approved' ? 'good' : 'default',
    facts: app.comment ? [{ title: t('badges.review.comment'), value: plainText(app.comment) }] : [],
  });
}

/** The applicant is told: more evidence asked for, or declined — with the reviewer's comment. */
export function applicationDecidedCard(t: Translate, lang: string, app: ApplicationRow): Card {
  const badge = localised((app.badgeClass.content as BadgeClassContent).name, lang);
  return noticeCard({
    title: t(`badges.review.decided.${app.status}.title`),
    text: t(`badges.review.decided.${app.status}.text`, { badge }),
    tone: app.status === 'more' ? 'attention' : 'default',
    facts: app.comment ? [{ title: t('badges.review.comment'), value: plainText(app.comment) }] : [],
    buttons: [button(t('badges.actions.list'), 'badges.list')],
  });
}
