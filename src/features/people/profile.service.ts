import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { localised, supportedLanguages, translator } from '../../lib/i18n.js';
import { authorise, type Actor } from './authorise.js';
import { openRequest, type RequestDeps } from './access-requests.service.js';
import { AccessRequestsRepository } from './access-requests.repository.js';
import { PeopleRepository, type PersonRow } from './people.repository.js';
import type { ProfileFormInput } from './people.schemas.js';
import { JOB_ROLE_GRANT_REQUESTS, PARTNERSHIP } from './roles.js';

type Option = { id: string; name: string };

export type ProfileView = {
  person: PersonRow;
  organisation: Option | null;
  /** The organisation this person asked an admin for, while undecided. */
  pendingOrganisation: Option | null;
  pendingGrants: string[];
  options: { languages: Option[]; jobRoles: Option[]; units: Option[]; organisations: Option[] };
};

/** What the onboarding and settings cards show: the person's choices and the options they may pick from. */
export async function getProfileView(db: Db, personId: string, lang: string): Promise<ProfileView> {
  const person = await new PeopleRepository(db).findById(personId);
  if (!person) throw new AppError('not_found');
  const [jobRoles, orgs, units, pending] = await Promise.all([
    db.jobRole.findMany({ orderBy: { position: 'asc' }, select: { id: true, name: true } }),
    db.organisation.findMany({ where: { active: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    person.organisationId
      ? db.unit.findMany({ where: { organisationId: person.organisationId, active: true }, orderBy: { position: 'asc' }, select: { id: true, name: true } })
      : Promise.resolve([]),
    new AccessRequestsRepository(db).pendingFor(person.id),
  ]);
  const orgName = (id: string | null | undefined) => orgs.find((o) => o.id === id) ?? null;
  const pendingOrg = pending.find((r) => r.kind === 'organisation');
  return {
    person,
    organisation: orgName(person.organisationId),
    pendingOrganisation: pendingOrg ? orgName(pendingOrg.organisationId) : null,
    pendingGrants: pending.filter((r) => r.kind === 'grant' && r.role).map((r) => r.role!),
    options: {
      languages: supportedLanguages().map((id) => ({ id, name: translator(id)('meta.languageName') })),
      jobRoles: jobRoles.map((r) => ({ id: r.id, name: localised(r.name, lang) })),
      units: units.map((u) => ({ id: u.id, name: localised(u.name, lang) })),
      organisations: person.organisationId ? [] : orgs,
    },
  };
}

/** Something the person should be told after saving, as an i18n key with parameters. */
export type Notice = { key: string; params?: Record<string, string> };

/**
 * Saves onboarding or settings. Every value is checked against the database (a forged language, role, unit or
 * organisation is refused and nothing is stored). Choosing the manager or coordinator job role grants nothing:
 * it asks the organisation's admins. An organisation is only ever requested, unless the person is an admin of it.
 */
export async function saveProfile(deps: RequestDeps, actor: Actor, input: ProfileFormInput): Promise<{ person: PersonRow; notices: Notice[] }> {
  const people = new PeopleRepository(deps.db);
  const person = await people.findById(actor.personId);
  if (!person) throw new AppError('not_found');
  if (!supportedLanguages().includes(input.language)) throw new AppError('invalid_input');
  const jobRole = await deps.db.jobRole.findUnique({ where: { id: input.jobRole }, select: { id: true } });
  if (!jobRole) throw new AppError('invalid_input');

  let requestedOrg: string | undefined;
  if (input.organisationId && input.organisationId !== person.organisationId) {
    if (person.organisationId) throw new AppError('invalid_input');
    const org = await deps.db.organisation.findFirst({ where: { id: input.organisationId, active: true }, select: { id: true } });
    if (!org) throw new AppError('unknown_organisation');
    requestedOrg = org.id;
  }
  let unitId: string | null = person.unitId;
  if (input.unitId) {
    const unit = await deps.db.unit.findFirst({ where: { id: input.unitId, active: true }, select: { organisationId: true } });
    if (!unit || unit.organisationId !== person.organisationId) throw new AppError('invalid_input');
    unitId = input.unitId;
  }

  const notices: Notice[] = [];
  const firstTime = !person.onboardedAt;
  let organisationId = person.organisationId;
  // An admin of the organisation (or of the partnership) assigns themselves; anyone else asks.
  if (requestedOrg && authorise({ ...actor, onboarded: true }, 'requests.decide', { organisationId: requestedOrg }).allowed) {
    organisationId = requestedOrg;
    requestedOrg = undefined;
    notices.push({ key: 'profile.notices.organisationSet' });
  }
  // Only what changed is written: an admin's approval landing meanwhile must not be overwritten by stale values.
  let updated = await people.updatePerson(person.id, {
    language: input.language,
    jobRole: jobRole.id,
    ...(unitId !== person.unitId ? { unitId } : {}),
    ...(organisationId !== person.organisationId ? { organisationId } : {}),
    onboardedAt: person.onboardedAt ?? deps.clock.now(),
  });
  await people.audit({
    actor: `person:${person.id}`,
    action: firstTime ? 'onboarding.save' : 'settings.save',
    target: `person:${person.id}`,
    details: { language: input.language, jobRole: jobRole.id, unitId, organisationId },
  });

  if (requestedOrg) {
    const r = await openRequest(deps, { personId: person.id, kind: 'organisation', organisationId: requestedOrg });
    notices.push({ key: r.adminsNotified > 0 || !r.created ? 'profile.notices.organisationRequested' : 'profile.notices.organisationRequestedNoAdmin' });
  }
  const grantWanted = JOB_ROLE_GRANT_REQUESTS[jobRole.id];
  const requests = new AccessRequestsRepository(deps.db);
  const pending = await requests.pendingFor(person.id);
  // A request for a grant the chosen job role no longer implies is withdrawn, so no admin approves it by mistake.
  for (const r of pending.filter((r) => r.kind === 'grant' && r.role !== grantWanted)) {
    await requests.decideIfPending(r.id, 'withdrawn', `person:${person.id}`, deps.clock.now());
  }
  // While the organisation itself awaits an admin, the grant is asked for in that organisation.
  const requestOrg = organisationId ?? requestedOrg ?? pending.find((r) => r.kind === 'organisation')?.organisationId;
  if (grantWanted && !updated.grants.some((g) => g.role === grantWanted && (g.scope === PARTNERSHIP || g.scope === organisationId))) {
    if (requestOrg) {
      const r = await openRequest(deps, { personId: person.id, kind: 'grant', role: grantWanted, organisationId: requestOrg });
      notices.push({ key: r.adminsNotified > 0 || !r.created ? 'profile.notices.grantRequested' : 'profile.notices.grantRequestedNoAdmin', params: { role: grantWanted } });
    }
  }
  if (organisationId && !unitId) {
    const units = await deps.db.unit.count({ where: { organisationId, active: true } });
    if (units > 0) notices.push({ key: 'profile.notices.chooseUnit' });
  }
  updated = (await people.findById(person.id))!;
  return { person: updated, notices };
}
