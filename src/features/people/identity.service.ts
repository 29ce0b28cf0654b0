import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { PeopleRepository, type PersonRow } from './people.repository.js';
import { PARTNERSHIP } from './roles.js';

/** Who sent an activity and from where, as the bot layer extracts it (no Teams types in the domain). */
export type ContactInput = {
  teamsUserId: string;
  aadObjectId?: string;
  tenantId?: string;
  name?: string;
  clientLocale?: string;
  timeZone?: string;
  conversation?: ConversationInput;
};

export type ConversationInput = {
  id: string;
  kind: 'personal' | 'groupChat' | 'channel';
  serviceUrl: string;
  reference: object;
  teamId?: string;
  teamName?: string;
  channelName?: string;
};

export type IdentityDeps = { db: Db; clock: Clock; bootstrapAdmins: string[] };

/**
 * Records a contact on every activity: the person (created on first contact), their latest locale, time zone and
 * conversation reference (refreshing serviceUrl), their organisation from the tenant when that is unambiguous,
 * and the bootstrap admin grant for the AAD object ids named in BOOTSTRAP_ADMINS.
 */
export async function recordContact(deps: IdentityDeps, input: ContactInput): Promise<{ person: PersonRow; firstContact: boolean; identityConflict: boolean }> {
  const repo = new PeopleRepository(deps.db);
  const now = deps.clock.now();
  // The AAD object id is the stable identity: a new Teams user id for the same person (e.g. a re-registered bot)
  // updates their record instead of colliding with it.
  const byTeamsId = await repo.findByTeamsUserId(input.teamsUserId);
  const byAad = input.aadObjectId ? await repo.findByAadObjectId(input.aadObjectId) : null;
  const existing = byTeamsId ?? byAad;
  // A known Teams user id carrying another person's Entra id: two records claim the sender. Neither is merged into
  // the other on that claim; the sender stays who their Teams id says, with their own Entra id.
  const identityConflict = !!byTeamsId && !!byAad && byTeamsId.id !== byAad.id;
  const fresh = {
    aadObjectId: identityConflict ? undefined : (input.aadObjectId ?? undefined),
    tenantId: input.tenantId ?? undefined,
    name: input.name ?? undefined,
    clientLocale: input.clientLocale ?? undefined,
    timeZone: input.timeZone ?? undefined,
    lastSeenAt: now,
    // Writing to the bot again means it can reach them again (they unblocked or reinstalled it).
    unreachableAt: null,
    unreachableReason: null,
  };
  let organisationId: string | undefined;
  if (!existing?.organisationId && input.tenantId) {
    const orgs = await repo.tenantOrganisations(input.tenantId);
    if (orgs.length === 1) organisationId = orgs[0]!.organisationId;
  }
  let person = existing
    ? await repo.updatePerson(existing.id, { teamsUserId: input.teamsUserId, ...fresh, ...(organisationId ? { organisationId } : {}) })
    : await repo.upsertPerson(input.teamsUserId, { teamsUserId: input.teamsUserId, ...fresh, organisationId, createdAt: now }, { ...fresh });
  const conversation = input.conversation;
  if (conversation) {
    await repo.upsertConversation(conversation.id, {
      kind: conversation.kind,
      personId: conversation.kind === 'personal' ? person.id : null,
      tenantId: input.tenantId ?? null,
      teamId: conversation.teamId ?? null,
      teamName: conversation.teamName ?? null,
      channelName: conversation.channelName ?? null,
      serviceUrl: conversation.serviceUrl,
      reference: conversation.reference,
    });
  }
  if (input.tenantId) await repo.clearTenantStop(input.tenantId);
  if (person.aadObjectId && deps.bootstrapAdmins.includes(person.aadObjectId.toLowerCase())) {
    person = await ensureBootstrapAdmin(repo, person);
  }
  return { person, firstContact: !existing, identityConflict };
}

async function ensureBootstrapAdmin(repo: PeopleRepository, person: PersonRow): Promise<PersonRow> {
  if (person.grants.some((g) => g.role === 'admin' && g.scope === PARTNERSHIP)) return person;
  // A revocation is a decision: BOOTSTRAP_ADMINS starts an installation, it does not overrule a later revoke.
  if (await repo.wasRevoked(person.id, 'admin', PARTNERSHIP)) return person;
  // Teams sends installationUpdate and conversationUpdate together: both turns may get here; only one creates it.
  const created = await repo.createGrantIfAbsent({ personId: person.id, role: 'admin', scope: PARTNERSHIP, grantedBy: 'system:BOOTSTRAP_ADMINS' });
  if (!created) return (await repo.findById(person.id))!;
  await repo.audit({ actor: 'system', action: 'grant', target: `person:${person.id}`, details: { role: 'admin', scope: PARTNERSHIP, via: 'BOOTSTRAP_ADMINS' } });
  return (await repo.findById(person.id))!;
}

/** Stores the e-mail and UPN fetched once from Teams (TeamsInfo.getMember) on first contact. */
export async function recordMemberDetails(db: Db, clock: Clock, personId: string, details: { email?: string; upn?: string }) {
  return new PeopleRepository(db).updatePerson(personId, {
    email: details.email?.toLowerCase() ?? undefined,
    upn: details.upn?.toLowerCase() ?? undefined,
    memberFetchedAt: clock.now(),
  });
}

/** The bot was removed from a chat or a team: nothing is sent there any more. */
export async function recordRemoval(db: Db, where: { conversationId?: string; teamId?: string }) {
  const repo = new PeopleRepository(db);
  if (where.teamId) await repo.deactivateTeamConversations(where.teamId);
  if (where.conversationId) await repo.deactivateConversation(where.conversationId);
}
