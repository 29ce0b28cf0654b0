import { isUniqueViolation, type Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { resolveLanguage, translator } from '../../lib/i18n.js';
import type { Logger } from '../../lib/logger.js';
import type { Notifier } from '../../lib/notifier.js';
import { authorise, isPartnershipAdmin, type Actor } from './authorise.js';
import { PeopleRepository, type PersonRow } from './people.repository.js';
import { button, noticeCard } from './people.cards.js';
import { GRANT_ROLES, PARTNERSHIP, isGrantRole } from './roles.js';

export type GrantOptions = { email: string; role: string; scope: string; actor: string };
export type GrantOutcome = { status: 'granted' | 'already' | 'revoked' | 'absent'; person: { id: string; name: string | null; email: string | null } };

async function checkRoleAndScope(db: Db, role: string, scope: string) {
  if (!isGrantRole(role)) throw new AppError('invalid_input', `Unknown role "${role}". Roles: ${GRANT_ROLES.join(', ')}`);
  if (scope !== PARTNERSHIP) {
    const org = await db.organisation.findUnique({ where: { id: scope }, select: { id: true } });
    if (!org) throw new AppError('unknown_organisation', `Unknown organisation "${scope}" (use an organisation id or "${PARTNERSHIP}")`);
  }
}

/** The one person with this e-mail among those `visible` to the caller (everyone for the CLI). */
async function personByEmail(db: Db, email: string, visible: (p: PersonRow) => boolean = () => true): Promise<PersonRow> {
  const matches = (await new PeopleRepository(db).findByEmail(email.trim().toLowerCase())).filter(visible);
  if (matches.length === 0) {
    throw new AppError('person_unknown', `Nobody with e-mail ${email} has talked to the bot yet; they must open it in Teams once first`);
  }
  if (matches.length > 1) throw new AppError('invalid_input', `Several people match ${email}; resolve the duplicate first`);
  return matches[0]!;
}

const summaryOf = (p: PersonRow) => ({ id: p.id, name: p.name, email: p.email });

/** Creates the grant unless it exists (a double click that raced the first is "already" too) and audits it. */
async function applyGrant(db: Db, person: PersonRow, role: string, scope: string, actor: string): Promise<GrantOutcome & { grantId?: string }> {
  try {
    return await db.$transaction(async (tx) => {
      const repo = new PeopleRepository(tx as unknown as Db);
      if (await repo.findGrant(person.id, role, scope)) return { status: 'already' as const, person: summaryOf(person) };
      const grant = await repo.createGrant({ personId: person.id, role, scope, grantedBy: actor });
      await repo.audit({ actor, action: 'grant', target: `person:${person.id}`, details: { role, scope } });
      return { status: 'granted' as const, person: summaryOf(person), grantId: grant.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'already', person: summaryOf(person) };
    throw error;
  }
}

async function removeGrant(db: Db, person: PersonRow, role: string, scope: string, actor: string): Promise<GrantOutcome> {
  return db.$transaction(async (tx) => {
    const repo = new PeopleRepository(tx as unknown as Db);
    if (!(await repo.deleteGrant(person.id, role, scope))) return { status: 'absent' as const, person: summaryOf(person) };
    await repo.audit({ actor, action: 'revoke', target: `person:${person.id}`, details: { role, scope } });
    return { status: 'revoked' as const, person: summaryOf(person) };
  });
}

/** Gives a permission (idempotent: granting twice changes nothing) and writes it to the audit log. The CLI's door. */
export async function grantRole(db: Db, opts: GrantOptions): Promise<GrantOutcome> {
  await checkRoleAndScope(db, opts.role, opts.scope);
  const { grantId: _id, ...outcome } = await applyGrant(db, await personByEmail(db, opts.email), opts.role, opts.scope, opts.actor);
  return outcome;
}

/** Takes a permission away and writes it to the audit log. The CLI's door. */
export async function revokeRole(db: Db, opts: GrantOptions): Promise<GrantOutcome> {
  await checkRoleAndScope(db, opts.role, opts.scope);
  return removeGrant(db, await personByEmail(db, opts.email), opts.role, opts.scope, opts.actor);
}

// ---- Admins in Teams: the same grants, limited to the admin's scope ----

export type GrantsDeps = { db: Db; notifier: Notifier; logger: Logger; defaultLanguage: string };

const adminScopes = (admin: Actor) => admin.grants.filter((g) => g.role === 'admin').map((g) => g.scope);

/** A grant's scope is the admin's to manage: their organisation, or anything with a partnership admin grant. */
function coversScope(admin: Actor, scope: string): boolean {
  return scope === PARTNERSHIP ? isPartnershipAdmin(admin) : authorise(admin, 'grants.manage', { organisationId: scope }).allowed;
}

/**
 * An admin grants a role to someone who has talked to the bot (chosen from the list or by e-mail). Authorised from
 * the database: the scope must be the admin's, and an organisation's role goes only to that organisation's people
 * as stored (never what a card says). The person is told through the queue.
 */
export async function grantAsAdmin(
  deps: GrantsDeps,
  admin: Actor,
  input: { role: string; scope: string; personId?: string; email?: string },
): Promise<GrantOutcome> {
  await checkRoleAndScope(deps.db, input.role, input.scope);
  if (!coversScope(admin, input.scope)) throw new AppError('forbidden');
  // Someone outside the admin's organisations is "nobody with that e-mail" to them: an e-mail cannot be probed.
  const manages = (p: PersonRow) => authorise(admin, 'grants.manage', { organisationId: p.organisationId }).allowed;
  const person = input.email ? await personByEmail(deps.db, input.email, manages) : await new PeopleRepository(deps.db).findById(input.personId ?? '');
  if (!person) throw new AppError('not_found');
  if (!manages(person)) throw new AppError('forbidden');
  if (input.scope !== PARTNERSHIP && person.organisationId !== input.scope) throw new AppError('grant_organisation');
  const { grantId, ...outcome } = await applyGrant(deps.db, person, input.role, input.scope, `person:${admin.personId}`);
  if (grantId && person.id !== admin.personId) await tellGrantee(deps, person, input.role, input.scope, grantId);
  return outcome;
}

/** An admin takes a role away inside their scope; never their own last admin grant (someone must remain able to). */
export async function revokeAsAdmin(deps: GrantsDeps, admin: Actor, input: { personId: string; role: string; scope: string }): Promise<GrantOutcome> {
  await checkRoleAndScope(deps.db, input.role, input.scope);
  if (!coversScope(admin, input.scope)) throw new AppError('forbidden');
  const person = await new PeopleRepository(deps.db).findById(input.personId);
  if (!person) throw new AppError('not_found');
  if (person.id === admin.personId && input.role === 'admin') {
    const held = person.grants.filter((g) => g.role === 'admin');
    if (held.length === 1 && held[0]!.scope === input.scope) throw new AppError('last_admin');
  }
  return removeGrant(deps.db, person, input.role, input.scope, `person:${admin.personId}`);
}

export type GrantsView = {
  partnership: boolean;
  grants: { personId: string; name: string | null; email: string | null; role: string; scope: string; since: Date; own: boolean }[];
  more: number;
  organisations: { id: string; name: string }[];
  people: { id: string; name: string | null; email: string | null; organisationId: string | null }[];
};

/** Shown on one card: Teams refuses cards over about 28 KB. */
const MAX_GRANTS = 30;
const MAX_PEOPLE = 100;

/** The grants an admin sees and manages (their organisations', or all), and whom they may grant to. */
export async function grantsInScope(db: Db, admin: Actor): Promise<GrantsView> {
  const scopes = adminScopes(admin);
  if (scopes.length === 0) throw new AppError('forbidden');
  const partnership = scopes.includes(PARTNERSHIP);
  const scopeFilter = partnership ? {} : { scope: { in: scopes } };
  const [rows, total, organisations, people] = await Promise.all([
    db.grant.findMany({
      where: scopeFilter,
      orderBy: [{ scope: 'asc' }, { role: 'asc' }, { person: { name: 'asc' } }],
      take: MAX_GRANTS,
      select: { role: true, scope: true, createdAt: true, person: { select: { id: true, name: true, email: true } } },
    }),
    db.grant.count({ where: scopeFilter }),
    db.organisation.findMany({ where: partnership ? {} : { id: { in: scopes } }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    db.person.findMany({
      // A tombstone (an erased badge holder) is nobody: it holds badges and nothing else.
      where: { demo: false, erasedAt: null, ...(partnership ? {} : { organisationId: { in: scopes } }) },
      orderBy: { name: 'asc' },
      take: MAX_PEOPLE,
      select: { id: true, name: true, email: true, organisationId: true },
    }),
  ]);
  const ownAdmin = admin.grants.filter((g) => g.role === 'admin').length;
  return {
    partnership,
    grants: rows.map((g) => ({
      personId: g.person.id,
      name: g.person.name,
      email: g.person.email,
      role: g.role,
      scope: g.scope,
      since: g.createdAt,
      // One's own last admin grant has no Revoke button (revokeAsAdmin refuses it too).
      own: g.person.id === admin.personId && g.role === 'admin' && ownAdmin === 1,
    })),
    more: Math.max(0, total - rows.length),
    organisations,
    people,
  };
}

async function tellGrantee(deps: GrantsDeps, person: PersonRow, role: string, scope: string, grantId: string) {
  const t = translator(resolveLanguage([person.language, person.clientLocale], deps.defaultLanguage));
  const org = scope === PARTNERSHIP ? null : await deps.db.organisation.findUnique({ where: { id: scope }, select: { name: true } });
  const params = { role: t(`grants.${role}`), scope: org?.name ?? t('grants.partnership') };
  const card = noticeCard({ title: t('roles.granted.title'), text: t('roles.granted.text', params), tone: 'good', buttons: [button(t('help.button'), 'help.show')] });
  const result = await deps.notifier.sendToPerson(person.id, card, t('roles.granted.title'), `grant:${grantId}`);
  if (result.status === 'unreachable') deps.logger.warn({ personId: person.id, grantId, result }, 'grantee not told of new permission');
}
