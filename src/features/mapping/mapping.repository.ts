import type { Db } from '../../db/client.js';
import type { LevelId } from './anonymise.js';

export type StaffRow = { personId: string; organisationId: string; unitId: string | null; jobRole: string | null; levels: Record<string, LevelId> | null; hasPlan: boolean };

export type StaffTimeline = {
  people: { id: string; organisationId: string; unitId: string | null; jobRole: string | null; onboardedAt: number }[];
  assessments: { personId: string; at: number; levels: Record<string, LevelId> }[];
  plans: { personId: string; from: number; until: number }[];
};

/** Staff as they stood at a moment: their latest levels by then and whether a plan was active. */
export function staffAt(t: StaffTimeline, at: Date): StaffRow[] {
  const when = at.getTime();
  const latest = new Map<string, { at: number; levels: Record<string, LevelId> }>();
  for (const a of t.assessments) if (a.at <= when && (latest.get(a.personId)?.at ?? -1) < a.at) latest.set(a.personId, a);
  const withPlan = new Set(t.plans.filter((p) => p.from <= when && p.until > when).map((p) => p.personId));
  return t.people
    .filter((p) => p.onboardedAt <= when)
    .map((p) => ({ personId: p.id, organisationId: p.organisationId, unitId: p.unitId, jobRole: p.jobRole, levels: latest.get(p.id)?.levels ?? null, hasPlan: withPlan.has(p.id) }));
}

/**
 * The moments a manager's view may move to, in order: each one the first by which at least k people's levels
 * differed from what the moment before showed. Between two such moments every published number stays as it was, so
 * reading the mapping before and after one colleague's self-assessment shows nothing: what a manager can subtract
 * between any two views is always the change of k people or more. Assessments with the same completion time count
 * together. Worked out forward only, so the moments up to any time are the same whatever the timeline holds later.
 */
export function releasePoints(t: StaffTimeline, k: number): number[] {
  const byTime = new Map<number, StaffTimeline['assessments']>();
  for (const a of t.assessments) {
    const same = byTime.get(a.at);
    if (same) same.push(a);
    else byTime.set(a.at, [a]);
  }
  const released = new Map<string, string>();
  const current = new Map<string, string>();
  const changed = new Set<string>();
  const points: number[] = [];
  for (const time of [...byTime.keys()].sort((x, y) => x - y)) {
    for (const a of byTime.get(time)!) {
      const levels = JSON.stringify(Object.entries(a.levels).sort(([x], [y]) => x.localeCompare(y)));
      current.set(a.personId, levels);
      if (released.get(a.personId) === levels) changed.delete(a.personId);
      else changed.add(a.personId);
    }
    if (changed.size >= k) {
      for (const id of changed) released.set(id, current.get(id)!);
      changed.clear();
      points.push(time);
    }
  }
  return points;
}

/** The moment a view at `at` is worked out at: the latest release point up to then (null: none yet). */
export function releasedAt(points: number[], at: Date): Date | null {
  const when = at.getTime();
  let found: number | null = null;
  for (const p of points) if (p <= when) found = p;
  return found === null ? null : new Date(found);
}

/** Reads for the mapping: people of organisations with their latest levels at a moment. Aggregated by the service. */
export class MappingRepository {
  constructor(private readonly db: Db) {}

  /**
   * Onboarded staff of the organisations (all when null) with every completed assessment and plan up to `at`, read
   * once (three queries, joined on the person: SQLite limits query parameters); `staffAt` derives any earlier moment.
   */
  async timeline(organisationIds: string[] | null, at: Date): Promise<StaffTimeline> {
    const who = { onboardedAt: { not: null, lte: at }, organisationId: organisationIds ? { in: organisationIds } : { not: null } };
    const [people, assessments, plans] = await Promise.all([
      this.db.person.findMany({ where: who, select: { id: true, organisationId: true, unitId: true, jobRole: true, onboardedAt: true } }),
      this.db.assessment.findMany({ where: { status: 'completed', completedAt: { lte: at }, person: who }, select: { personId: true, completedAt: true, results: true } }),
      this.db.plan.findMany({ where: { createdAt: { lte: at }, person: who }, select: { personId: true, createdAt: true, closedAt: true } }),
    ]);
    return {
      people: people.map((p) => ({ ...p, organisationId: p.organisationId!, onboardedAt: p.onboardedAt!.getTime() })),
      assessments: assessments.map((a) => ({
        personId: a.personId,
        at: a.completedAt!.getTime(),
        levels: Object.fromEntries(Object.entries((a.results as { areas?: Record<string, { level: LevelId }> } | null)?.areas ?? {}).map(([k, v]) => [k, v.level])),
      })),
      plans: plans.map((p) => ({ personId: p.personId, from: p.createdAt.getTime(), until: p.closedAt?.getTime() ?? Infinity })),
    };
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
