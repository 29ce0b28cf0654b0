import type { Level } from '../assessment/scoring.js';

const RANK: Record<Level, number> = { L1: 1, L2: 2, L3: 3, L4: 4 };
const atLeast = (level: Level | undefined, min: Level) => !!level && RANK[level] >= RANK[min];

/** What the rules look at, for one person. */
export type AwardFacts = {
  /** Levels of the latest completed self-assessment. */
  assessed: Record<string, Level>;
  /** Modules passed (knowledge check passed and module completed). */
  modulesPassed: Set<string>;
  /** Each area's Rookie→Explorer and Explorer→Practitioner module, where one exists. */
  modules: Record<string, { explorer?: string; practitioner?: string }>;
  /** Per area: one entry per statement of the latest assessment, its score and whether the person gave evidence. */
  evidence: Record<string, { score: number; evidenced: boolean }[]>;
  /** Per area: events on it (the event lists the area) that the person confirmed they attended, not cancelled. */
  attended: Record<string, number>;
  /** Badge classes the person holds now (not revoked). */
  held: Set<string>;
  metas: { id: string; requires: { level: 'L2' | 'L3' | 'L4'; areas: number }[] }[];
};

export type BadgeStatus =
  | { badgeId: string; status: 'held' }
  /** Earned: awarded without review (Explorer, meta-badges). */
  | { badgeId: string; status: 'earned' }
  /** The person may apply; a coordinator or mentor reviews (Practitioner, Expert). */
  | { badgeId: string; status: 'apply' }
  | { badgeId: string; status: 'not_yet'; missing: string[] };

/**
 * The award rules, pure. Explorer: assessed ≥ Explorer and a first learning step in the area — its Rookie→Explorer
 * module passed, or an event on the area attended. Practitioner: assessed ≥ Practitioner, the Explorer→Practitioner
 * module passed where one exists, evidence for ≥ 2 statements scored ≥ 3, where each event attended on the area stands
 * for one such statement without a note (the scores still have to be there) — then a review. Expert: assessed Expert,
 * notes for ≥ 2 statements scored 4 (attending shows no leading of others) — then a review. Meta-badges: area badges
 * at a level in enough areas (a higher level counts for a lower one).
 */
export function badgeStatuses(areaIds: string[], f: AwardFacts): BadgeStatus[] {
  const out: BadgeStatus[] = [];
  for (const area of areaIds) {
    const level = f.assessed[area];
    const ev = f.evidence[area] ?? [];
    const attended = f.attended[area] ?? 0;
    const explorerModule = f.modules[area]?.explorer;
    const practitionerModule = f.modules[area]?.practitioner;
    const scored3 = ev.filter((e) => e.score >= 3);
    const evidenced3 = Math.min(scored3.length, scored3.filter((e) => e.evidenced).length + attended);
    const rules: [string, string[], 'earned' | 'apply'][] = [
      [`${area}-L2`, [...(atLeast(level, 'L2') ? [] : ['assessed:L2']), ...((explorerModule && f.modulesPassed.has(explorerModule)) || attended > 0 ? [] : [`module:${explorerModule ?? 'none'}`])], 'earned'],
      [`${area}-L3`, [
        ...(atLeast(level, 'L3') ? [] : ['assessed:L3']),
        ...(!practitionerModule || f.modulesPassed.has(practitionerModule) ? [] : [`module:${practitionerModule}`]),
        ...(evidenced3 >= 2 ? [] : ['evidence:3']),
      ], 'apply'],
      [`${area}-L4`, [...(atLeast(level, 'L4') ? [] : ['assessed:L4']), ...(ev.filter((e) => e.score >= 4 && e.evidenced).length >= 2 ? [] : ['evidence:4'])], 'apply'],
    ];
    // Explorer without a module to pass nor an event attended cannot be earned automatically: "not yet" with the reason.
    for (const [badgeId, missing, when] of rules) {
      if (f.held.has(badgeId)) out.push({ badgeId, status: 'held' });
      else if (missing.length === 0) out.push({ badgeId, status: when });
      else out.push({ badgeId, status: 'not_yet', missing });
    }
  }
  for (const meta of f.metas) {
    if (f.held.has(meta.id)) {
      out.push({ badgeId: meta.id, status: 'held' });
      continue;
    }
    const missing = meta.requires.flatMap((r) => {
      const count = areaIds.filter((a) => (['L2', 'L3', 'L4'] as const).some((l) => RANK[l] >= RANK[r.level] && f.held.has(`${a}-${l}`))).length;
      return count >= r.areas ? [] : [`badges:${r.level}:${r.areas - count}`];
    });
    out.push(missing.length ? { badgeId: meta.id, status: 'not_yet', missing } : { badgeId: meta.id, status: 'earned' });
  }
  return out;
}
