import type { Db } from '../db/client.js';
import { authorise } from '../features/people/authorise.js';
import { button, noticeCard, profileFormCard } from '../features/people/people.cards.js';
import { getProfileView } from '../features/people/profile.service.js';
import { privacyShort } from '../features/privacy/privacy.cards.js';
import type { PrivacyTerms } from '../features/privacy/terms.js';
import { renderCard, type Card } from '../lib/cards.js';
import { translator } from '../lib/i18n.js';
import type { Registry } from './registry.js';
import type { Turn } from './turn.js';

export async function welcomeCard(db: Db, turn: Turn, terms: PrivacyTerms): Promise<Card> {
  return profileFormCard(turn.t, turn.lang, await getProfileView(db, turn.person.id, turn.lang), 'welcome', { privacyText: privacyShort(turn.t, terms) });
}

export async function settingsCard(db: Db, turn: Turn): Promise<Card> {
  return profileFormCard(turn.t, turn.lang, await getProfileView(db, turn.person.id, turn.lang), 'settings');
}

/** A user-facing error: `errors.<code>` in the person's language, with a way forward. */
export function errorCard(turn: Turn | undefined, code: string, ref?: string): Card {
  const t = turn?.t ?? translator('en');
  return noticeCard({
    title: t('errors.title'),
    text: ref ? t(`errors.${code}`, { ref }) : t(`errors.${code}`),
    tone: 'attention',
    buttons: [button(t('help.button'), 'help.show')],
  });
}

/** In a team channel or group chat: the bot's personal features work only in a 1:1 chat. */
export function personalOnlyCard(turn: Turn): Card {
  return noticeCard({ title: turn.t('scope.title'), text: turn.t('scope.personalOnly') });
}

export function refusalCard(turn: Turn): Card {
  return noticeCard({
    title: turn.t('errors.forbiddenTitle'),
    text: turn.t('errors.forbidden'),
    tone: 'attention',
    buttons: [button(turn.t('help.button'), 'help.show')],
  });
}

export function unknownTextCard(turn: Turn, text: string): Card {
  return noticeCard({
    title: turn.t('unknown.title'),
    text: turn.t('unknown.text', { text: text.length > 80 ? `${text.slice(0, 80)}…` : text }),
    buttons: [button(turn.t('help.button'), 'help.show'), button(turn.t('settings.button'), 'settings.open')],
  });
}

/** What this person can do, given their grants: only commands authorise() would let through. */
export function helpCard(turn: Turn, registry: Registry): Card {
  const { t } = turn;
  const commands = [...registry.commands.values()]
    .filter((c) => authorise({ ...turn.actor, onboarded: true }, c.action).allowed)
    .map((c) => ({ word: t(`commands.${c.name}.words`).split('|')[0], description: t(`commands.${c.name}.description`) }));
  const isAdmin = turn.actor.grants.some((g) => g.role === 'admin');
  const grants = turn.actor.grants.map((g) => `${t(`grants.${g.role}`)} (${g.scope === 'partnership' ? t('grants.partnership') : g.scope})`);
  return renderCard('help', {
    title: t('help.title'),
    intro: t('help.intro'),
    commands,
    grantsText: grants.length ? t('help.grants', { grants: grants.join(', ') }) : '',
    hasGrants: grants.length > 0,
    buttons: [
      button(t('settings.button'), 'settings.open'),
      button(t('privacy.button'), 'privacy.show'),
      ...(isAdmin ? [button(t('requests.listButton'), 'requests.list'), button(t('roles.button'), 'grants.open')] : []),
    ],
  });
}
