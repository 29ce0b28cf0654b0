import { isUniqueViolation, type Db } from '../../db/client.js';

export const personSelect = {
  id: true,
  teamsUserId: true,
  aadObjectId: true,
  tenantId: true,
  name: true,
  email: true,
  upn: true,
  clientLocale: true,
  language: true,
  timeZone: true,
  jobRole: true,
  organisationId: true,
  unitId: true,
  onboardedAt: true,
  memberFetchedAt: true,
  grants: { select: { role: true, scope: true } },
} as const;

export type ConversationData = {
  kind: string;
  personId: string | null;
  tenantId: string | null;
  teamId: string | null;
  teamName: string | null;
  channelName: string | null;
  serviceUrl: string;
  reference: object;
};

export type PersonRow = NonNullable<Awaited<ReturnType<PeopleRepository['findByTeamsUserId']>>>;

/** Prisma access for people, their conversations and grants. No rules here. */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

  findByTeamsUserId(teamsUserId: string) {
    return this.db.person.findUnique({ where: { teamsUserId }, select: personSelect });
  }

  /** A live person: a tombstone (an erased badge holder, `erasedAt` set) is nobody to grant, award or tell anything. */
  findById(id: string) {
    return this.db.person.findUnique({ where: { id, erasedAt: null }, select: personSelect });
  }

  findByEmail(email: string) {
    return this.db.person.findMany({
      where: { erasedAt: null, OR: [{ email: { equals: email } }, { upn: { equals: email } }] },
      select: personSelect,
    });
  }

  findByAadObjectId(aadObjectId: string) {
    return this.db.person.findUnique({ where: { aadObjectId }, select: personSelect });
  }

  findByAadObjectIds(ids: string[]) {
    return this.db.person.findMany({ where: { aadObjectId: { in: ids } }, select: personSelect });
  }

  upsertPerson(teamsUserId: string, create: Parameters<Db['person']['create']>[0]['data'], update: Parameters<Db['person']['update']>[0]['data']) {
    return this.db.person.upsert({ where: { teamsUserId }, create, update, select: personSelect });
  }

  updatePerson(id: string, data: Parameters<Db['person']['update']>[0]['data']) {
    return this.db.person.update({ where: { id }, data, select: personSelect });
  }

  upsertConversation(id: string, data: ConversationData) {
    return this.db.conversation.upsert({ where: { id }, create: { id, ...data }, update: { ...data, active: true } });
  }

  deactivateConversation(id: string) {
    return this.db.conversation.updateMany({ where: { id }, data: { active: false } });
  }

  deactivateTeamConversations(teamId: string) {
    return this.db.conversation.updateMany({ where: { teamId }, data: { active: false } });
  }

  findPersonalConversation(personId: string) {
    return this.db.conversation.findFirst({
      where: { personId, kind: 'personal', active: true },
      orderBy: { updatedAt: 'desc' },
      select: { id: true, reference: true, serviceUrl: true },
    });
  }

  /** Someone from a tenant wrote to the bot: Teams lets it in there again (see BotDisabledByAdmin in the sender). */
  clearTenantStop(tenantId: string) {
    return this.db.tenantState.updateMany({ where: { tenantId, disabledAt: { not: null } }, data: { disabledAt: null, reason: null } });
  }

  tenantOrganisations(tenantId: string) {
    return this.db.organisationTenant.findMany({ where: { tenantId }, select: { organisationId: true } });
  }

  holdersOf(role: string, scopes: string[]) {
    return this.db.grant.findMany({ where: { role, scope: { in: scopes } }, select: { personId: true, scope: true } });
  }

  createGrant(data: { personId: string; role: string; scope: string; grantedBy: string }) {
    return this.db.grant.create({ data });
  }

  /** Creates the grant unless it exists (also when a concurrent turn created it a moment ago); true if created. */
  async createGrantIfAbsent(data: { personId: string; role: string; scope: string; grantedBy: string }): Promise<boolean> {
    const before = await this.db.grant.count({ where: { personId: data.personId, role: data.role, scope: data.scope } });
    if (before > 0) return false;
    try {
      await this.db.grant.create({ data });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  findGrant(personId: string, role: string, scope: string) {
    return this.db.grant.findUnique({ where: { personId_role_scope: { personId, role, scope } }, select: { id: true } });
  }

  /** Deletes the grant if it is still there; the count tells a concurrent revoke (or a replay) that found nothing. */
  async deleteGrant(personId: string, role: string, scope: string): Promise<boolean> {
    const { count } = await this.db.grant.deleteMany({ where: { personId, role, scope } });
    return count === 1;
  }

  /** Whether this grant was ever revoked from the person (the audit log is the record of decisions). */
  async wasRevoked(personId: string, role: string, scope: string): Promise<boolean> {
    const rows = await this.db.auditLog.findMany({ where: { action: 'revoke', target: `person:${personId}` }, select: { details: true } });
    return rows.some((r) => {
      const d = r.details as { role?: unknown; scope?: unknown } | null;
      return d?.role === role && d?.scope === scope;
    });
  }

  audit(entry: { actor: string; action: string; target?: string; details?: object }) {
    return this.db.auditLog.create({ data: entry });
  }
}
