import { plainText, renderCard, type Card } from '../../lib/cards.js';
import type { Translate } from '../../lib/i18n.js';
import type { GrantsView } from './grants.service.js';
import { GRANT_ROLES, PARTNERSHIP } from './roles.js';

export type RolesMessage = { text: string; tone: 'good' | 'default' | 'attention' };

/** Teams refuses messages over about 28 KB once wrapped; leave room for the envelope. */
const MAX_CARD_BYTES = 24_000;

/**
 * The admin's `roles` card: current grants in their scope with Revoke, and the form to grant one. Long names in a
 * big partnership could outgrow what Teams shows: then fewer grants and people are listed (the e-mail field reaches anyone).
 */
export function rolesCard(t: Translate, view: GrantsView, message?: RolesMessage): Card {
  let [grants, people] = [view.grants.length, view.people.length];
  for (;;) {
    const card = render(t, { ...view, grants: view.grants.slice(0, grants), people: view.people.slice(0, people), more: view.more + view.grants.length - grants }, message);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES || grants + people === 0) return card;
    [grants, people] = [Math.floor(grants * 0.8), Math.floor(people * 0.8)];
  }
}

function render(t: Translate, view: GrantsView, message?: RolesMessage): Card {
  const orgName = new Map(view.organisations.map((o) => [o.id, o.name]));
  const scopeName = (scope: string) => (scope === PARTNERSHIP ? t('grants.partnership') : (orgName.get(scope) ?? scope));
  const person = (p: { name: string | null; email: string | null }) => `${plainText(p.name ?? '?')}${p.email ? ` (${p.email})` : ''}`;
  return renderCard('roles', {
    title: t('roles.title'),
    intro: t('roles.intro', { scope: view.partnership ? t('grants.partnership') : view.organisations.map((o) => o.name).join(', ') }),
    hasMessage: !!message,
    message: message?.text ?? '',
    messageTone: { good: 'Good', default: 'Default', attention: 'Attention' }[message?.tone ?? 'default'],
    empty: view.grants.length === 0,
    emptyText: t('roles.none'),
    grants: view.grants.map((g) => ({
      holder: person(g),
      detail: t('roles.detail', { role: t(`grants.${g.role}`), scope: scopeName(g.scope), since: g.since.toISOString().slice(0, 10) }),
      canRevoke: !g.own,
      revokeTitle: t('roles.revoke'),
      revokeData: { verb: 'grants.revoke', personId: g.personId, role: g.role, scope: g.scope },
    })),
    hasMore: view.more > 0,
    moreText: view.more > 0 ? t('roles.more', { count: view.more }) : '',
    formTitle: t('roles.formTitle'),
    roleLabel: t('roles.roleLabel'),
    roleError: t('roles.roleError'),
    roles: GRANT_ROLES.map((r) => ({ id: r, title: t(`grants.${r}`) })),
    scopeLabel: t('roles.scopeLabel'),
    scopeError: t('roles.scopeError'),
    scopeValue: view.organisations.length === 1 && !view.partnership ? view.organisations[0]!.id : '',
    scopes: [...(view.partnership ? [{ id: PARTNERSHIP, title: t('grants.partnership') }] : []), ...view.organisations.map((o) => ({ id: o.id, title: o.name }))],
    personLabel: t('roles.personLabel'),
    people: view.people.map((p) => ({ id: p.id, title: view.partnership && p.organisationId ? `${person(p)} · ${orgName.get(p.organisationId) ?? p.organisationId}` : person(p) })),
    emailLabel: t('roles.emailLabel'),
    emailPlaceholder: t('roles.emailPlaceholder'),
    grantTitle: t('roles.grant'),
  });
}
