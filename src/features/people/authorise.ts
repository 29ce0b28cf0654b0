import { PARTNERSHIP, type GrantRef, type GrantRole } from './roles.js';

/**
 * Everything a person can ask the bot to do, by name. Commands and card verbs map onto these;
 * later features add their actions here, and the registry test proves each one is enforced.
 */
export const POLICIES = {
  'help.show': { who: 'anyone' },
  'privacy.show': { who: 'anyone' },
  // Data rights are everyone's whose data is stored, set up or not (a first hello already stores name, e-mail and ids).
  'privacy.export': { who: 'anyone' },
  'privacy.erase': { who: 'anyone' },
  'onboarding.open': { who: 'anyone' },
  'onboarding.save': { who: 'anyone' },
  'settings.open': { who: 'onboarded' },
  'settings.save': { who: 'onboarded' },
  'assessment.take': { who: 'onboarded' },
  'assessment.view': { who: 'onboarded' },
  'learning.use': { who: 'onboarded' },
  'path.use': { who: 'onboarded' },
  'reminders.use': { who: 'onboarded' },
  'badges.view': { who: 'onboarded' },
  'badges.apply': { who: 'onboarded' },
  'badges.review': { who: 'grant', roles: ['coordinator', 'mentor'] },
  'badges.award': { who: 'grant', roles: ['coordinator'] },
  'mapping.view': { who: 'grant', roles: ['manager'] },
  'mapping.partnership': { who: 'grant', roles: ['coordinator'] },
  'announce.compose': { who: 'grant', roles: ['coordinator', 'admin'] },
  'announce.rsvp': { who: 'onboarded' },
  'strategy.edit': { who: 'grant', roles: ['manager', 'coordinator'] },
  'requests.list': { who: 'grant', roles: ['admin'] },
  'requests.decide': { who: 'grant', roles: ['admin'] },
  'grants.manage': { who: 'grant', roles: ['admin'] },
} as const satisfies Record<string, Policy>;

export type Policy = { who: 'anyone' } | { who: 'onboarded' } | { who: 'grant'; roles: readonly GrantRole[] };
export type Action = keyof typeof POLICIES;

/** What authorise() knows about the person acting, always read from the database for this turn. */
export type Actor = {
  personId: string;
  onboarded: boolean;
  organisationId: string | null;
  grants: GrantRef[];
};

/** The actor a stored person is (their grants as stored now): for a turn, and for work done later in their name. */
export function actorOf(person: { id: string; onboardedAt: Date | null; organisationId: string | null; grants: GrantRef[] }): Actor {
  return { personId: person.id, onboarded: !!person.onboardedAt, organisationId: person.organisationId, grants: person.grants };
}

export type Decision = { allowed: true } | { allowed: false; reason: 'not_onboarded' | 'forbidden' };

/**
 * The one place that decides whether an actor may perform an action.
 * Without a target organisation, a grant in any scope lets the request through to the handler, which must
 * call again with the target's organisation (loaded from the database, never taken from the card).
 */
export function authorise(actor: Actor, action: Action, target?: { organisationId: string | null }): Decision {
  const policy: Policy = POLICIES[action];
  if (policy.who === 'anyone') return { allowed: true };
  if (!actor.onboarded) return { allowed: false, reason: 'not_onboarded' };
  if (policy.who === 'onboarded') return { allowed: true };
  const held = actor.grants.filter((g) => (policy.roles as readonly string[]).includes(g.role));
  if (held.length === 0) return { allowed: false, reason: 'forbidden' };
  if (!target) return { allowed: true };
  const covers = held.some((g) => g.scope === PARTNERSHIP || (target.organisationId !== null && g.scope === target.organisationId));
  return covers ? { allowed: true } : { allowed: false, reason: 'forbidden' };
}

/** An admin for the whole partnership (not only an organisation's admin). */
export function isPartnershipAdmin(actor: Pick<Actor, 'grants'>): boolean {
  return actor.grants.some((g) => g.role === 'admin' && g.scope === PARTNERSHIP);
}

export function isAction(name: string): name is Action {
  return Object.prototype.hasOwnProperty.call(POLICIES, name);
}
