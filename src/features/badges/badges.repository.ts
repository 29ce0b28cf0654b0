import type { Db, Prisma } from '../../db/client.js';

export const awardSelect = {
  id: true, personId: true, badgeClassId: true, statusIndex: true, credential: true, awardedBy: true, issuedAt: true, showName: true, revokedAt: true, revokeReason: true,
  badgeClass: { select: { id: true, kind: true, areaId: true, level: true, content: true } },
  person: { select: { id: true, name: true, language: true, clientLocale: true } },
} as const;
export type AwardRow = Prisma.BadgeAwardGetPayload<{ select: typeof awardSelect }>;
export type BadgeClassContent = { colour: string; name: Record<string, string>; description: Record<string, string>; criteria: Record<string, string>; requires?: { level: 'L2' | 'L3' | 'L4'; areas: number }[] };
export type BadgeClassRow = { id: string; kind: string; areaId: string | null; level: string | null; position: number; content: BadgeClassContent };

/** Prisma access for badge classes and awards. No rules here. */
export class BadgesRepository {
  constructor(private readonly db: Db) {}

  async classes(): Promise<BadgeClassRow[]> {
    const rows = await this.db.badgeClass.findMany({ where: { active: true }, orderBy: { position: 'asc' } });
    return rows.map((r) => ({ ...r, content: r.content as BadgeClassContent }));
  }

  async badgeClass(id: string): Promise<BadgeClassRow | null> {
    const r = await this.db.badgeClass.findFirst({ where: { id, active: true } });
    return r ? { ...r, content: r.content as BadgeClassContent } : null;
  }

  award(id: string) {
    return this.db.badgeAward.findUnique({ where: { id }, select: awardSelect });
  }

  /** An award with a real credential (demo awards from `demo-data` are never published). */
  publicAward(id: string) {
    return this.db.badgeAward.findFirst({ where: { id, awardedBy: { not: 'demo-data' } }, select: awardSelect });
  }

  standing(personId: string, badgeClassId: string) {
    return this.db.badgeAward.findUnique({ where: { activeKey: `${personId}:${badgeClassId}` }, select: awardSelect });
  }

  awardsOf(personId: string) {
    return this.db.badgeAward.findMany({ where: { personId }, orderBy: { issuedAt: 'desc' }, select: awardSelect });
  }

  create(data: { id: string; personId: string; badgeClassId: string; statusIndex: number; credential: object; awardedBy: string; issuedAt: Date }) {
    return this.db.badgeAward.create({ data: { ...data, activeKey: `${data.personId}:${data.badgeClassId}` }, select: awardSelect });
  }

  /** Revokes once: a second call finds nothing standing and changes nothing. */
  async revoke(id: string, reason: string, at: Date): Promise<boolean> {
    const { count } = await this.db.badgeAward.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at, revokeReason: reason, activeKey: null } });
    return count === 1;
  }

  setShowName(id: string, personId: string, showName: boolean) {
    return this.db.badgeAward.updateMany({ where: { id, personId }, data: { showName } });
  }

  revokedIndexes() {
    return this.db.badgeAward.findMany({ where: { revokedAt: { not: null } }, select: { statusIndex: true, revokedAt: true } });
  }
}
