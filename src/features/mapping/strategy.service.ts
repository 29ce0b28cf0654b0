import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { authorise, type Actor } from '../people/authorise.js';
import { PeopleRepository } from '../people/people.repository.js';

/** The organisation's strategic weight per area (1 = normal); read by the recommender and the digest's needs. */
export async function strategyOf(db: Db, actor: Actor, organisationId: string): Promise<Record<string, number>> {
  if (!authorise(actor, 'strategy.edit', { organisationId }).allowed) throw new AppError('forbidden');
  const org = await db.organisation.findUnique({ where: { id: organisationId }, select: { strategy: true } });
  if (!org) throw new AppError('not_found');
  return (org.strategy as Record<string, number> | null) ?? {};
}

export async function saveStrategy(db: Db, actor: Actor, organisationId: string, weights: Record<string, number>): Promise<void> {
  if (!authorise(actor, 'strategy.edit', { organisationId }).allowed) throw new AppError('forbidden');
  const areas = new Set((await db.area.findMany({ select: { id: true } })).map((a) => a.id));
  if (Object.keys(weights).some((a) => !areas.has(a))) throw new AppError('invalid_input');
  await db.organisation.update({ where: { id: organisationId }, data: { strategy: weights } });
  await new PeopleRepository(db).audit({ actor: `person:${actor.personId}`, action: 'strategy.save', target: `organisation:${organisationId}`, details: weights });
}
