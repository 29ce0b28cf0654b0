import type { Db, Prisma } from '../../db/client.js';

/**
 * Where audit entries about a person are: `own` targets are theirs (themselves, their requests, applications, plans,
 * shares, badges, announcements); `related` ones are other people's plans shared with them, whose entries are about
 * them only where they name them.
 */
export type AuditRefs = { personId: string; own: string[]; related: string[] };

/** Prisma access for a person's own data (export and erasure). No rules here. */
export class PersonalDataRepository {
  constructor(private readonly db: Db | Prisma.TransactionClient) {}

  identity(personId: string) {
    return this.db.person.findUnique({ where: { id: personId }, select: { id: true, teamsUserId: true, aadObjectId: true, name: true, email: true, upn: true } });
  }

  /** Everything stored about a person, one query per table (their own rows, with the names of people they share with). */
  async everything(personId: string) {
    const person = await this.db.person.findUnique({
      where: { id: personId },
      include: { organisation: { select: { id: true, name: true } }, unit: { select: { id: true, name: true } } },
    });
    if (!person) return null;
    const where = { personId };
    return {
      person,
      grants: await this.db.grant.findMany({ where, orderBy: { createdAt: 'asc' } }),
      accessRequests: await this.db.accessRequest.findMany({ where, orderBy: { createdAt: 'asc' } }),
      assessments: await this.db.assessment.findMany({ where, orderBy: { startedAt: 'asc' }, include: { answers: { orderBy: { statementId: 'asc' } }, languages: true } }),
      plans: await this.db.plan.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        include: { steps: { orderBy: { position: 'asc' } }, shares: { orderBy: { createdAt: 'asc' }, include: { viewer: { select: { name: true } } } } },
      }),
      sharesReceived: await this.db.planShare.findMany({ where: { viewerId: personId }, orderBy: { createdAt: 'asc' }, include: { plan: { select: { person: { select: { name: true } } } } } }),
      interests: await this.db.areaInterest.findMany({ where }),
      targetOverrides: await this.db.targetOverride.findMany({ where }),
      moduleProgress: await this.db.moduleProgress.findMany({ where, orderBy: { startedAt: 'asc' } }),
      rsvps: await this.db.rsvp.findMany({ where, orderBy: { updatedAt: 'asc' } }),
      badges: await this.db.badgeAward.findMany({ where, orderBy: { issuedAt: 'asc' } }),
      badgeApplications: await this.db.badgeApplication.findMany({ where, orderBy: { createdAt: 'asc' } }),
      conversations: await this.db.conversation.findMany({ where, orderBy: { createdAt: 'asc' }, select: { id: true, kind: true, active: true, createdAt: true } }),
      jobs: await this.db.job.findMany({ where, orderBy: { createdAt: 'asc' }, select: { kind: true, status: true, runAt: true, createdAt: true, finishedAt: true } }),
      announcements: await this.db.announcement.findMany({ where: { createdBy: personId }, orderBy: { createdAt: 'asc' } }),
      eventsCreated: await this.db.event.findMany({ where: { createdBy: personId }, orderBy: { startsAt: 'asc' } }),
    };
  }

  async auditRefs(personId: string): Promise<AuditRefs> {
    const [requests, applications, plans, shares, received, awards, announcements] = await Promise.all([
      this.db.accessRequest.findMany({ where: { personId }, select: { id: true } }),
      this.db.badgeApplication.findMany({ where: { personId }, select: { id: true } }),
      this.db.plan.findMany({ where: { personId }, select: { id: true } }),
      this.db.planShare.findMany({ where: { plan: { personId } }, select: { id: true } }),
      this.db.planShare.findMany({ where: { viewerId: personId }, select: { id: true, planId: true } }),
      this.db.badgeAward.findMany({ where: { personId }, select: { id: true } }),
      this.db.announcement.findMany({ where: { createdBy: personId }, select: { id: true } }),
    ]);
    return {
      personId,
      own: [
        `person:${personId}`,
        ...requests.map((r) => `request:${r.id}`),
        ...applications.map((a) => `application:${a.id}`),
        ...plans.map((p) => `plan:${p.id}`),
        ...shares.map((s) => `share:${s.id}`),
        ...awards.map((a) => `badge:${a.id}`),
        ...announcements.map((a) => `announcement:${a.id}`),
      ],
      related: received.flatMap((s) => [`share:${s.id}`, `plan:${s.planId}`]),
    };
  }

  /** Candidates: entries by the person or with one of the targets (callers check `related` ones for a mention). */
  auditCandidates(refs: AuditRefs) {
    return this.db.auditLog.findMany({ where: { OR: [{ actor: `person:${refs.personId}` }, { target: { in: [...new Set([...refs.own, ...refs.related])] } }] }, orderBy: { at: 'asc' } });
  }
}
