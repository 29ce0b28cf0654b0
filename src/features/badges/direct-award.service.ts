import { AppError } from '../../lib/errors.js';
import { localised } from '../../lib/i18n.js';
import { authorise, type Actor } from '../people/authorise.js';
import { PARTNERSHIP } from '../people/roles.js';
import { awardBadge, type BadgesDeps } from './badges.service.js';
import { BadgesRepository } from './badges.repository.js';

/** Whom a coordinator may award: onboarded people of the organisations their coordinator grants cover. */
export async function awardChoices(deps: Pick<BadgesDeps, 'db'>, actor: Actor, lang: string) {
  const scopes = actor.grants.filter((g) => g.role === 'coordinator').map((g) => g.scope);
  if (scopes.length === 0) throw new AppError('forbidden');
  const people = await deps.db.person.findMany({
    where: { onboardedAt: { not: null }, id: { not: actor.personId }, ...(scopes.includes(PARTNERSHIP) ? {} : { organisationId: { in: scopes } }) },
    orderBy: { name: 'asc' },
    take: 200,
    select: { id: true, name: true, email: true },
  });
  const badges = await new BadgesRepository(deps.db).classes();
  return {
    people: people.map((p) => ({ id: p.id, title: `${p.name ?? '?'}${p.email ? ` (${p.email})` : ''}` })),
    badges: badges.map((b) => ({ id: b.id, title: localised(b.content.name, lang) })),
  };
}

/**
 * A coordinator awards a badge directly (e.g. after a training activity). Authorised against the recipient's
 * organisation as stored; never to oneself; a badge already held is not issued twice.
 */
export async function awardDirectly(deps: BadgesDeps, actor: Actor, input: { personId: string; badgeId: string; note: string }) {
  const person = await deps.db.person.findUnique({ where: { id: input.personId }, select: { id: true, organisationId: true, onboardedAt: true } });
  if (!person || !person.onboardedAt) throw new AppError('not_found');
  if (person.id === actor.personId) throw new AppError('forbidden');
  if (!authorise(actor, 'badges.award', { organisationId: person.organisationId }).allowed) throw new AppError('forbidden');
  return awardBadge(deps, { personId: person.id, badgeId: input.badgeId, awardedBy: `person:${actor.personId}`, note: input.note });
}
