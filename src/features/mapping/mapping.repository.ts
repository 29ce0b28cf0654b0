import type { Db } from '../../db/client.js';
import type { LevelId } from './anonymise.js';

export type StaffRow = { personId: string; organisationId: string; unitId: string | null; jobRole: string | null; levels: Record<string, LevelId> | null; hasPlan: boolean };

/** Reads for the mapping: people of organisations with their latest levels at a moment. Aggregated by the service. */
export class MappingRepository {
  constructor(private readonly db: Db) {}

  /** Onboarded staff of the organisations (all when null), each with the levels of their latest assessment by `at`. */
  async staff(organisationIds: string[] | null, at: Date): Promise<StaffRow[]> {
    const people = await this.db.person.findMany({
      where: { onboardedAt: { not: null, lte: at }, organisationId: organisationIds ? { in: organisationIds } : { not: null } },
      select: { id: true, organisationId: true, unitId: true, jobRole: true },
    });
    const ids = people.map((p) => p.id);
    const latest = new Map<string, { at: number; levels: Record<string, LevelId> }>();
    const plans = new Set<string>();
    for (let i = 0; i < ids.length; i += 5000) {
      const chunk = ids.slice(i, i + 5000);
      const assessments = await this.db.assessment.findMany({
        where: { personId: { in: chunk }, status: 'completed', completedAt: { lte: at } },
        select: { personId: true, completedAt: true, results: true },
      });
      for (const a of assessments) {
        const t = a.completedAt!.getTime();
        if ((latest.get(a.personId)?.at ?? -1) >= t) continue;
        const areas = (a.results as { areas?: Record<string, { level: LevelId }> } | null)?.areas ?? {};
        latest.set(a.personId, { at: t, levels: Object.fromEntries(Object.entries(areas).map(([k, v]) => [k, v.level])) });
      }
      for (const p of await this.db.plan.findMany({ where: { personId: { in: chunk }, status: 'active', createdAt: { lte: at } }, select: { personId: true } })) plans.add(p.personId);
    }
    return people.map((p) => ({ personId: p.id, organisationId: p.organisationId!, unitId: p.unitId, jobRole: p.jobRole, levels: latest.get(p.id)?.levels ?? null, hasPlan: plans.has(p.id) }));
  }

  /** Badges issued to staff of an organisation in a period, per badge class, with whether the holder celebrated it. */
  async badgesIssued(organisationId: string, from: Date, to: Date) {
    return this.db.badgeAward.findMany({
      where: { issuedAt: { gte: from, lt: to }, revokedAt: null, person: { organisationId } },
      select: { id: true, badgeClassId: true, person: { select: { name: true } } },
    });
  }

  async celebratedAwardIds(awardIds: string[]): Promise<Set<string>> {
    const rows = await this.db.auditLog.findMany({ where: { action: 'badge.celebrate', target: { in: awardIds.map((id) => `badge:${id}`) } }, select: { target: true } });
    return new Set(rows.map((r) => r.target!.slice(6)));
  }
}
