import { isUniqueViolation, type Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { resolveLanguage, translator } from '../../lib/i18n.js';
import type { Logger } from '../../lib/logger.js';
import type { Notifier } from '../../lib/notifier.js';
import { authorise, type Actor } from './authorise.js';
import { AccessRequestsRepository, type AccessRequestRow } from './access-requests.repository.js';
import { PeopleRepository } from './people.repository.js';
import { accessRequestCard, requestDecidedCard } from './people.cards.js';
import { PARTNERSHIP, type GrantRole } from './roles.js';

export type RequestDeps = { db: Db; clock: Clock; notifier: Notifier; logger: Logger; defaultLanguage: string };

export type OpenRequestResult = { request: AccessRequestRow; created: boolean; adminsNotified: number };

/**
 * Asks the organisation's admins (and the partnership's) for a grant or for an organisation assignment.
 * At most one pending request per person and kind: asking again returns the open one and notifies nobody.
 */
export async function openRequest(
  deps: RequestDeps,
  input: { personId: string; kind: 'grant'; role: GrantRole; organisationId: string } | { personId: string; kind: 'organisation'; organisationId: string },
): Promise<OpenRequestResult> {
  const repo = new AccessRequestsRepository(deps.db);
  const role = input.kind === 'grant' ? input.role : null;
  const openKey = `${input.personId}:${input.kind}:${role ?? ''}`;
  const existing = await repo.findOpen(openKey);
  if (existing && existing.organisationId === input.organisationId) return { request: existing, created: false, adminsNotified: 0 };
  if (existing) await repo.decideIfPending(existing.id, 'withdrawn', `person:${input.personId}`, deps.clock.now());
  let request: AccessRequestRow;
  try {
    request = await repo.create({ personId: input.personId, kind: input.kind, role, organisationId: input.organisationId, openKey });
  } catch (error) {
    const raced = isUniqueViolation(error) ? await repo.findOpen(openKey) : null;
    if (!raced) throw error;
    return { request: raced, created: false, adminsNotified: 0 };
  }
  await new PeopleRepository(deps.db).audit({
    actor: `person:${input.personId}`,
    action: 'request.open',
    target: `request:${request.id}`,
    details: { kind: input.kind, role, organisationId: input.organisationId },
  });
  const adminsNotified = await notifyAdmins(deps, request);
  return { request, created: true, adminsNotified };
}

async function notifyAdmins(deps: RequestDeps, request: AccessRequestRow): Promise<number> {
  const people = new PeopleRepository(deps.db);
  const holders = await people.holdersOf('admin', [request.organisationId, PARTNERSHIP]);
  const org = await deps.db.organisation.findUnique({ where: { id: request.organisationId }, select: { name: true } });
  let sent = 0;
  for (const personId of new Set(holders.map((h) => h.personId))) {
    const admin = await people.findById(personId);
    if (!admin) continue;
    const lang = resolveLanguage([admin.language, admin.clientLocale], deps.defaultLanguage);
    const t = translator(lang);
    const card = accessRequestCard(t, request, org?.name ?? request.organisationId);
    const result = await deps.notifier.sendToPerson(personId, card, t('requests.notification', { name: request.person.name ?? '' }), `request:${request.id}`);
    if (result.status !== 'unreachable') sent += 1;
    else deps.logger.warn({ requestId: request.id, adminId: personId, result }, 'admin not reached for access request');
  }
  if (sent === 0) deps.logger.warn({ requestId: request.id, organisationId: request.organisationId }, 'no admin could be reached for access request');
  return sent;
}

export type DecideResult = { request: AccessRequestRow; outcome: 'decided' | 'already'; organisationName: string; decidedByName: string | null };

/**
 * An admin approves or declines. Authorised against the request's organisation as stored in the database;
 * a double click, a replay or a second admin's late click changes nothing and reports who decided.
 */
export async function decideRequest(
  deps: RequestDeps,
  input: { actor: Actor; requestId: string; decision: 'approve' | 'decline' },
): Promise<DecideResult> {
  const repo = new AccessRequestsRepository(deps.db);
  const found = await repo.findById(input.requestId);
  if (!found) throw new AppError('not_found');
  if (!authorise(input.actor, 'requests.decide', { organisationId: found.organisationId }).allowed) throw new AppError('forbidden');
  const org = await deps.db.organisation.findUnique({ where: { id: found.organisationId }, select: { name: true } });
  const organisationName = org?.name ?? found.organisationId;

  const decidedBy = `person:${input.actor.personId}`;
  if (found.status === 'pending' && input.decision === 'approve' && found.kind === 'grant') {
    const member = await new PeopleRepository(deps.db).findById(found.person.id);
    if (member?.organisationId !== found.organisationId) throw new AppError('organisation_first');
  }
  const decided = await deps.db.$transaction(async (tx) => {
    const txRepo = new AccessRequestsRepository(tx as unknown as Db);
    const people = new PeopleRepository(tx as unknown as Db);
    const status = input.decision === 'approve' ? 'approved' : 'declined';
    if (!(await txRepo.decideIfPending(found.id, status, decidedBy, deps.clock.now()))) return false;
    if (input.decision === 'approve' && found.kind === 'grant' && found.role) {
      if (!(await people.findGrant(found.person.id, found.role, found.organisationId))) {
        await people.createGrant({ personId: found.person.id, role: found.role, scope: found.organisationId, grantedBy: decidedBy });
      }
    }
    if (input.decision === 'approve' && found.kind === 'organisation') {
      await people.updatePerson(found.person.id, { organisationId: found.organisationId, unitId: null });
    }
    if (input.decision === 'decline' && found.kind === 'organisation') {
      for (const r of await txRepo.pendingFor(found.person.id)) {
        if (r.kind === 'grant' && r.organisationId === found.organisationId) await txRepo.decideIfPending(r.id, 'withdrawn', decidedBy, deps.clock.now());
      }
    }
    await people.audit({ actor: decidedBy, action: `request.${status}`, target: `request:${found.id}`, details: { kind: found.kind, role: found.role, organisationId: found.organisationId, personId: found.person.id } });
    return true;
  });

  const request = (await repo.findById(found.id))!;
  const decider = request.decidedBy?.startsWith('person:') ? await new PeopleRepository(deps.db).findById(request.decidedBy.slice(7)) : null;
  if (decided) await tellRequester(deps, request, organisationName);
  return { request, outcome: decided ? 'decided' : 'already', organisationName, decidedByName: decider?.name ?? null };
}

async function tellRequester(deps: RequestDeps, request: AccessRequestRow, organisationName: string) {
  const person = await new PeopleRepository(deps.db).findById(request.person.id);
  if (!person) return;
  const lang = resolveLanguage([person.language, person.clientLocale], deps.defaultLanguage);
  const t = translator(lang);
  const card = requestDecidedCard(t, request, organisationName);
  const result = await deps.notifier.sendToPerson(person.id, card, t(`requests.decided.${request.status}`), `request:${request.id}:decided`);
  if (result.status === 'unreachable') deps.logger.warn({ requestId: request.id, result }, 'requester not told of decision');
}

/** Pending requests an admin may decide: their organisations', or all with a partnership grant. */
export async function listPendingRequests(db: Db, actor: Actor): Promise<AccessRequestRow[]> {
  const scopes = actor.grants.filter((g) => g.role === 'admin').map((g) => g.scope);
  if (scopes.length === 0) throw new AppError('forbidden');
  return new AccessRequestsRepository(db).listPending(scopes.includes(PARTNERSHIP) ? 'all' : scopes);
}
