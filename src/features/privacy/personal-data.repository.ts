import type { Db, Prisma } from '../../db/client.js';
import { IdentityMatcher, type Identity } from './pseudonym.js';

/**
 * Where a person appears outside their own rows, found once for `my data` and for erasure (so the copy shows what
 * the erasure removes): audit entries by them or about them; announcements and events they wrote; team and group
 * chats whose stored reference names them; messages to other people about them (cards about their access requests
 * and badge applications, and any other job whose payload names them); download links they made or whose table
 * names them (a delivery list).
 */
export type Appearances = Awaited<ReturnType<PersonalDataRepository['appearances']>>;

/** Prisma access for a person's data (export and erasure): their own rows, and where they appear in other rows. */
export class PersonalDataRepository {
  constructor(private readonly db: Db | Prisma.TransactionClient) {}

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
    };
  }

  async appearances(person: Identity) {
    const match = new IdentityMatcher(person);
    const personId = person.id;
    const [requests, applications] = await Promise.all([
      this.db.accessRequest.findMany({ where: { personId }, select: { id: true } }),
      this.db.badgeApplication.findMany({ where: { personId }, select: { id: true } }),
    ]);
    const aboutKeys = [...requests.map((r) => `notify:request:${r.id}:`), ...applications.map((a) => `notify:application:${a.id}:`)];
    const othersJobs = await this.db.job.findMany({
      where: { OR: [{ personId: null }, { personId: { not: personId } }] },
      orderBy: { createdAt: 'asc' },
      select: { id: true, kind: true, idempotencyKey: true, status: true, payload: true, createdAt: true, finishedAt: true },
    });
    const chats = await this.db.conversation.findMany({
      where: { kind: { not: 'personal' } },
      orderBy: { createdAt: 'asc' },
      select: { id: true, kind: true, teamName: true, channelName: true, reference: true },
    });
    const links = await this.db.exportLink.findMany({ orderBy: { expiresAt: 'asc' } });
    return {
      auditLog: await this.audit(personId, match),
      announcements: await this.db.announcement.findMany({ where: { createdBy: personId }, orderBy: { createdAt: 'asc' } }),
      eventsCreated: await this.db.event.findMany({ where: { createdBy: personId }, orderBy: { startsAt: 'asc' } }),
      sharedChats: chats.filter((c) => match.mentions(c.reference)),
      /** `about`: a card about their own request or application (emptied on erasure), else a message that names them. */
      messagesToOthers: othersJobs
        .map((j) => ({ ...j, about: aboutKeys.some((k) => j.idempotencyKey.startsWith(k)) }))
        .filter((j) => j.about || match.mentions(j.payload)),
      exportLinks: links.filter((l) => l.createdBy === `person:${personId}` || match.mentions(l.data)),
    };
  }

  /**
   * Audit entries by them, or with a target of theirs (themselves, their requests, applications, plans, shares,
   * badges, announcements); entries about other people's plans shared with them count only where they name them.
   */
  private async audit(personId: string, match: IdentityMatcher) {
    const [requests, applications, plans, shares, received, awards, announcements] = await Promise.all([
      this.db.accessRequest.findMany({ where: { personId }, select: { id: true } }),
      this.db.badgeApplication.findMany({ where: { personId }, select: { id: true } }),
      this.db.plan.findMany({ where: { personId }, select: { id: true } }),
      this.db.planShare.findMany({ where: { plan: { personId } }, select: { id: true } }),
      this.db.planShare.findMany({ where: { viewerId: personId }, select: { id: true, planId: true } }),
      this.db.badgeAward.findMany({ where: { personId }, select: { id: true } }),
      this.db.announcement.findMany({ where: { createdBy: personId }, select: { id: true } }),
    ]);
    const own = new Set([
      `person:${personId}`,
      ...requests.map((r) => `request:${r.id}`),
      ...applications.map((a) => `application:${a.id}`),
      ...plans.map((p) => `plan:${p.id}`),
      ...shares.map((s) => `share:${s.id}`),
      ...awards.map((a) => `badge:${a.id}`),
      ...announcements.map((a) => `announcement:${a.id}`),
    ]);
    const related = received.flatMap((s) => [`share:${s.id}`, `plan:${s.planId}`]);
    const actor = `person:${personId}`;
    const candidates = await this.db.auditLog.findMany({ where: { OR: [{ actor }, { target: { in: [...own, ...related] } }] }, orderBy: { at: 'asc' } });
    return candidates.filter((e) => e.actor === actor || own.has(e.target ?? '') || match.mentions([e.target, e.details]));
  }
}
