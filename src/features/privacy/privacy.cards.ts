import type { Card } from '../../lib/cards.js';
import type { Translate } from '../../lib/i18n.js';
import { clockTimeIn } from '../../lib/time.js';
import { button, noticeCard } from '../people/people.cards.js';
import type { PrivacyTerms } from './terms.js';

const terms = (t: Translate, p: PrivacyTerms) => ({ k: p.minGroup, period: t('privacy.months', { count: p.retentionMonths }) });

/** The notice on the welcome card: what is stored, who sees it, how long, and the words for a copy or erasure. */
export function privacyShort(t: Translate, p: PrivacyTerms): string {
  return t('privacy.short', terms(t, p));
}

/** `privacy`: the full notice, with the two data-rights actions. */
export function privacyCard(t: Translate, p: PrivacyTerms): Card {
  return noticeCard({
    title: t('privacy.title'),
    text: ['stored', 'who', 'retention', 'rights'].map((part) => t(`privacy.${part}`, terms(t, p))).join('\n\n'),
    buttons: [button(t('privacy.exportButton'), 'privacy.export'), button(t('privacy.eraseButton'), 'privacy.eraseAsk'), button(t('help.button'), 'help.show')],
  });
}

export function exportLinksCard(t: Translate, urls: { json: string; html: string }, expiresAt: Date, timeZone: string): Card {
  return noticeCard({
    title: t('privacy.export.title'),
    text: t('privacy.export.text', { jsonUrl: urls.json, htmlUrl: urls.html, time: clockTimeIn(expiresAt, timeZone) }),
    tone: 'good',
    buttons: [button(t('privacy.button'), 'privacy.show')],
  });
}

/** What erasure removes and what it keeps; Confirm names the profile it was shown for, so an old card erases nothing new. */
export function eraseConfirmCard(t: Translate, personId: string): Card {
  return noticeCard({
    title: t('privacy.erase.title'),
    text: [t('privacy.erase.erased'), t('privacy.erase.kept'), t('privacy.erase.warning')].join('\n\n'),
    tone: 'warning',
    buttons: [button(t('privacy.erase.confirm'), 'privacy.eraseConfirm', { profile: personId }, 'destructive'), button(t('privacy.erase.cancel'), 'privacy.show')],
  });
}

export function erasedCard(t: Translate, badgesKept: number): Card {
  return noticeCard({
    title: t('privacy.erase.doneTitle'),
    text: t('privacy.erase.doneText', { badges: badgesKept > 0 ? t('privacy.erase.doneBadges', { count: badgesKept }) : '' }),
    tone: 'good',
  });
}

export function eraseStaleCard(t: Translate): Card {
  return noticeCard({ title: t('privacy.erase.title'), text: t('privacy.erase.stale'), buttons: [button(t('privacy.button'), 'privacy.show')] });
}
