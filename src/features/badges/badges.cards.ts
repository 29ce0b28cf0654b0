import { plainText, renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { button, noticeCard } from '../people/people.cards.js';
import type { BadgeStatus } from './award-rules.js';
import type { AwardRow, BadgeClassContent } from './badges.repository.js';
import type { BadgeIssuer } from './issuer.js';

type Links = Pick<BadgeIssuer, 'credentialUrl' | 'imageUrl' | 'config'>;

/** LinkedIn's "add to profile" deep link for a certification. */
export function linkedInUrl(issuer: Links, award: AwardRow, name: string): string {
  const q = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name,
    organizationName: issuer.config.name,
    issueYear: String(award.issuedAt.getUTCFullYear()),
    issueMonth: String(award.issuedAt.getUTCMonth() + 1),
    certUrl: issuer.credentialUrl(award.id),
    certId: award.id,
  });
  return `https://www.linkedin.com/profile/add?${q.toString()}`;
}

const contentOf = (a: AwardRow) => a.badgeClass.content as BadgeClassContent;

/** "You earned a badge": the picture, what it recognises, and where to see, download and share it. */
export function badgeEarnedCard(t: Translate, lang: string, issuer: Links, award: AwardRow): Card {
  const c = contentOf(award);
  const name = localised(c.name, lang);
  const page = issuer.credentialUrl(award.id);
  return renderCard('badge-earned', {
    title: t('badges.earned.title'),
    image: issuer.imageUrl(award.badgeClassId),
    imageAlt: t('badges.earned.imageAlt', { name }),
    name: plainText(name),
    description: plainText(localised(c.description, lang)),
    issued: t('badges.issuedOn', { date: award.issuedAt.toISOString().slice(0, 10) }),
    explain: t('badges.earned.explain'),
    links: [
      { title: t('badges.actions.view'), url: page },
      { title: t('badges.actions.download'), url: `${page}/badge.png` },
      { title: t('badges.actions.linkedin'), url: linkedInUrl(issuer, award, name) },
    ],
    buttons: [
      button(t('badges.celebrate.button'), 'badges.celebrateForm', { awardId: award.id }),
      button(award.showName ? t('badges.showName.hideButton') : t('badges.showName.button'), 'badges.showName', { awardId: award.id, show: award.showName ? 'false' : 'true' }),
      button(t('badges.actions.list'), 'badges.list'),
    ],
  });
}

/** Choose a channel to celebrate in; nothing is posted until the person presses Post. */
export function celebrateFormCard(t: Translate, lang: string, award: AwardRow, channels: { id: string; title: string }[]): Card {
  const name = localised(contentOf(award).name, lang);
  if (channels.length === 0) return noticeCard({ title: t('badges.celebrate.title', { name }), text: t('badges.celebrate.none'), buttons: [button(t('badges.actions.list'), 'badges.list')] });
  return renderCard('badge-celebrate', {
    title: t('badges.celebrate.title', { name: plainText(name) }),
    intro: t('badges.celebrate.intro'),
    channelLabel: t('badges.celebrate.channel'),
    channelError: t('badges.celebrate.channelError'),
    channels: channels.map((c) => ({ id: c.id, title: plainText(c.title) })),
    buttons: [button(t('badges.celebrate.post'), 'badges.celebrate', { awardId: award.id }, 'positive'), button(t('badges.actions.list'), 'badges.list')],
  });
}

/** `badges`: what I hold (with status), and what I can earn next. */
export function badgesListCard(t: Translate, lang: string, issuer: Links, awards: AwardRow[], statuses: BadgeStatus[], names: Map<string, string>): Card {
  const held = awards.map((a) => ({
    name: plainText(localised(contentOf(a).name, lang)),
    status: a.revokedAt ? t('badges.list.revoked', { date: a.revokedAt.toISOString().slice(0, 10), reason: plainText(a.revokeReason ?? '') }) : t('badges.issuedOn', { date: a.issuedAt.toISOString().slice(0, 10) }),
    colour: a.revokedAt ? 'Attention' : 'Good',
    url: issuer.credentialUrl(a.id),
    view: t('badges.actions.view'),
  }));
  const apply = statuses
    .filter((s) => s.status === 'apply')
    .map((s) => ({ name: plainText(names.get(s.badgeId) ?? s.badgeId), button: button(t('badges.apply.button'), 'badges.apply', { badgeId: s.badgeId }, 'positive') }));
  return renderCard('badges-list', {
    title: t('badges.list.title'),
    intro: held.length ? t('badges.list.intro') : t('badges.list.none'),
    held,
    hasApply: apply.length > 0,
    applyTitle: t('badges.list.applyTitle'),
    apply,
    howTitle: t('badges.list.howTitle'),
    how: t('badges.list.how'),
    buttons: [button(t('learning.list.button'), 'learning.list'), button(t('reminders.action.path'), 'path.open')],
  });
}

/** A coordinator's award form: whom, which badge, what was done. */
export function awardFormCard(t: Translate, choices: { people: { id: string; title: string }[]; badges: { id: string; title: string }[] }, message?: string): Card {
  return renderCard('badge-award', {
    title: t('badges.award.title'),
    intro: t('badges.award.intro'),
    hasMessage: !!message,
    message: message ?? '',
    personLabel: t('badges.award.personLabel'),
    personError: t('badges.award.personError'),
    people: choices.people.map((p) => ({ id: p.id, title: plainText(p.title) })),
    badgeLabel: t('badges.award.badgeLabel'),
    badgeError: t('badges.award.badgeError'),
    badges: choices.badges.map((b) => ({ id: b.id, title: plainText(b.title) })),
    noteLabel: t('badges.award.noteLabel'),
    notePlaceholder: t('badges.award.notePlaceholder'),
    noteError: t('badges.award.noteError'),
    awardTitle: t('badges.award.button'),
  });
}
