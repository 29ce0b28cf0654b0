import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { loadFramework } from '../assessment/framework.repository.js';
import { change, LEVEL_IDS, suppress, tabulate, total, type LevelId, type Person, type PublishedGroup } from './anonymise.js';
import { MappingRepository, releasedAt, releasePoints, staffAt, type StaffRow, type StaffTimeline } from './mapping.repository.js';

export type MappingDeps = { db: Db; clock: Clock; k: number };

const DAY = 86_400_000;

/** A count people may see: itself when ≥ k (or 0), otherwise only "fewer than k". */
export type SafeCount = { value: number } | { fewerThan: number };
const safe = (n: number, k: number): SafeCount => (n === 0 || n >= k ? { value: n } : { fewerThan: k });

export type OrgMapping = {
  organisationId: string;
  k: number;
  at: string;
  /** The moment the published numbers describe (see `releasePoints`); null while fewer than k people have assessed. */
  asOf: string | null;
  participation: { staff: SafeCount; assessed: SafeCount; withPlan: SafeCount };
  /** The organisation's level distribution per area (hidden cells null). */
  overall: PublishedGroup;
  byUnit: PublishedGroup[];
  byRole: PublishedGroup[];
  /** Per area × level: change since a week and since a quarter ago, only where both periods publish ≥ k. */
  changeWeek: Record<string, Record<LevelId, number | null>>;
  changeQuarter: Record<string, Record<LevelId, number | null>>;
  /** Areas most in need, weighted by the organisation's strategy: share at Rookie or Explorer × weight. */
  needs: { areaId: string; share: number; weight: number }[];
};

function toPeople(rows: StaffRow[], key: (r: StaffRow) => string): Person[] {
  return rows.filter((r) => r.levels).map((r) => ({ groupKey: key(r), levels: r.levels! }));
}

/** Staff as they stood at the release point (nobody before the first one). */
const released = (timeline: StaffTimeline, asOf: Date | null): StaffRow[] => (asOf ? staffAt(timeline, asOf) : []);

function distribution(rows: StaffRow[], areaIds: string[], key: (r: StaffRow) => string, parentKey: string, k: number) {
  const groups = [...tabulate(toPeople(rows, key), areaIds).values()].sort((a, b) => a.key.localeCompare(b.key));
  return suppress(total(groups, areaIds, parentKey), groups, areaIds, k);
}

/**
 * The organisation's skills mapping, as a manager may see it: only aggregates, every view protected by the small-cell
 * rules (anonymise.ts), no names, no free text. Breakdowns by unit and by role are each protected against the
 * organisation's totals.
 */
export async function organisationMapping(deps: MappingDeps, organisationId: string, at: Date = deps.clock.now()): Promise<OrgMapping> {
  const framework = await loadFramework(deps.db);
  const areaIds = framework.areas.map((a) => a.id);
  const timeline = await new MappingRepository(deps.db).timeline([organisationId], at);
  const points = releasePoints(timeline, deps.k);
  const asOf = releasedAt(points, at);
  const rows = released(timeline, asOf);
  const byUnit = distribution(rows, areaIds, (r) => r.unitId ?? '(none)', organisationId, deps.k);
  const byRole = distribution(rows, areaIds, (r) => r.jobRole ?? '(none)', organisationId, deps.k);
  const overall = byUnit.parent;
  const past = (days: number) => distribution(released(timeline, releasedAt(points, new Date(at.getTime() - days * DAY))), areaIds, () => organisationId, organisationId, deps.k).parent;
  const [week, quarter] = [past(7), past(91)];
  const diff = (before: PublishedGroup) =>
    Object.fromEntries(areaIds.map((a) => [a, Object.fromEntries(LEVEL_IDS.map((l) => [l, change(overall.counts[a]![l], before.counts[a]![l], deps.k)]))])) as OrgMapping['changeWeek'];
  const org = await deps.db.organisation.findUnique({ where: { id: organisationId }, select: { strategy: true } });
  const weights = (org?.strategy as Record<string, number> | null) ?? {};
  const needs = areaIds
    .map((a) => {
      const c = overall.counts[a]!;
      if (overall.n === null || c.L1 === null || c.L2 === null) return null;
      const share = (c.L1 + c.L2) / overall.n;
      return { areaId: a, share, weight: weights[a] ?? 1 };
    })
    .filter((x): x is { areaId: string; share: number; weight: number } => !!x && x.share > 0)
    .sort((x, y) => y.share * y.weight - x.share * x.weight)
    .slice(0, 3);
  const assessed = rows.filter((r) => r.levels).length;
  return {
    organisationId,
    k: deps.k,
    at: at.toISOString(),
    asOf: asOf?.toISOString() ?? null,
    // Staff with the bot is today's count (joining says nothing about anyone's skills); the rest is as of `asOf`.
    participation: { staff: safe(staffAt(timeline, at).length, deps.k), assessed: safe(assessed, deps.k), withPlan: safe(rows.filter((r) => r.hasPlan).length, deps.k) },
    overall,
    byUnit: byUnit.children,
    byRole: byRole.children,
    changeWeek: diff(week),
    changeQuarter: diff(quarter),
    needs,
  };
}

/** Badges issued this week per badge — only badges with at least k holders are counted — and the names of those who celebrated publicly. */
export async function badgesThisWeek(deps: MappingDeps, organisationId: string, at: Date = deps.clock.now()) {
  const repo = new MappingRepository(deps.db);
  const awards = await repo.badgesIssued(organisationId, new Date(at.getTime() - 7 * DAY), at);
  const celebrated = await repo.celebratedAwardIds(awards.map((a) => a.id));
  const perBadge = new Map<string, number>();
  for (const a of awards) perBadge.set(a.badgeClassId, (perBadge.get(a.badgeClassId) ?? 0) + 1);
  return {
    counts: [...perBadge.entries()].filter(([, n]) => n >= deps.k).map(([badgeId, n]) => ({ badgeId, count: n })),
    celebrated: awards.filter((a) => celebrated.has(a.id)).map((a) => ({ badgeId: a.badgeClassId, name: a.person.name ?? '?' })),
  };
}

/**
 * Across the partnership, for its coordinators: each organisation against the partnership's totals (aggregated and
 * protected like every other view), and the partnership's change since a quarter ago.
 */
export async function partnershipMapping(deps: MappingDeps, at: Date = deps.clock.now()) {
  const framework = await loadFramework(deps.db);
  const areaIds = framework.areas.map((a) => a.id);
  const timeline = await new MappingRepository(deps.db).timeline(null, at);
  const points = releasePoints(timeline, deps.k);
  const asOf = releasedAt(points, at);
  const now = distribution(released(timeline, asOf), areaIds, (r) => r.organisationId, 'partnership', deps.k);
  const before = distribution(released(timeline, releasedAt(points, new Date(at.getTime() - 91 * DAY))), areaIds, (r) => r.organisationId, 'partnership', deps.k).parent;
  const changeQuarter = Object.fromEntries(areaIds.map((a) => [a, Object.fromEntries(LEVEL_IDS.map((l) => [l, change(now.parent.counts[a]![l], before.counts[a]![l], deps.k)]))]));
  return { k: deps.k, asOf: asOf?.toISOString() ?? null, overall: now.parent, byOrganisation: now.children, changeQuarter };
}
