import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { PeopleRepository, type PersonRow } from './people.repository.js';
import { GRANT_ROLES, PARTNERSHIP, isGrantRole } from './roles.js';

export type GrantOptions = { email: string; role: string; scope: string; actor: string };
export type GrantOutcome = { status: 'granted' | 'already' | 'revoked' | 'absent'; person: { id: string; name: string | null; email: string | null } };

async function resolveTarget(db: Db, opts: GrantOptions): Promise<PersonRow> {
  if (!isGrantRole(opts.role)) {
    throw new AppError('invalid_input', `Unknown role "${opts.role}". Roles: ${GRANT_ROLES.join(', ')}`);
  }
  if (opts.scope !== PARTNERSHIP) {
    const org = await db.organisation.findUnique({ where: { id: opts.scope }, select: { id: true } });
    if (!org) throw new AppError('unknown_organisation', `Unknown organisation "${opts.scope}" (use an organisation id or "${PARTNERSHIP}")`);
  }
  const matches = await new PeopleRepository(db).findByEmail(opts.email.trim().toLowerCase());
  if (matches.length === 0) {
    throw new AppError('not_found', `Nobody with e-mail ${opts.email} has talked to the bot yet; they must open it in Teams once first`);
  }
  if (matches.length > 1) throw new AppError('invalid_input', `Several people match ${opts.email}; resolve the duplicate first`);
  return matches[0]!;
}

/** Gives a permission (idempotent: granting twice changes nothing) and writes it to the audit log. */
export async function grantRole(db: Db, opts: GrantOptions): Promise<GrantOutcome> {
  const person = await resolveTarget(db, opts);
  return db.$transaction(async (tx) => {
    const repo = new PeopleRepository(tx as unknown as Db);
    const summary = { id: person.id, name: person.name, email: person.email };
    if (await repo.findGrant(person.id, opts.role, opts.scope)) return { status: 'already' as const, person: summary };
    await repo.createGrant({ personId: person.id, role: opts.role, scope: opts.scope, grantedBy: opts.actor });
    await repo.audit({ actor: opts.actor, action: 'grant', target: `person:${person.id}`, details: { role: opts.role, scope: opts.scope } });
    return { status: 'granted' as const, person: summary };
  });
}

/** Takes a permission away and writes it to the audit log. */
export async function revokeRole(db: Db, opts: GrantOptions): Promise<GrantOutcome> {
  const person = await resolveTarget(db, opts);
  return db.$transaction(async (tx) => {
    const repo = new PeopleRepository(tx as unknown as Db);
    const summary = { id: person.id, name: person.name, email: person.email };
    const grant = await repo.findGrant(person.id, opts.role, opts.scope);
    if (!grant) return { status: 'absent' as const, person: summary };
    await repo.deleteGrant(grant.id);
    await repo.audit({ actor: opts.actor, action: 'revoke', target: `person:${person.id}`, details: { role: opts.role, scope: opts.scope } });
    return { status: 'revoked' as const, person: summary };
  });
}
