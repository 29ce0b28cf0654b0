import { gap, LEVELS, type Level } from '../assessment/scoring.js';

/**
 * The development-path recommender, pure and table-tested. Priority of an area =
 * gap × role relevance × the person's interest × the organisation's strategic weight. It picks 1–3 focus areas and
 * 3–5 next steps for the next level transition, mixed across experience / social / formal learning (≈70-20-10 as a
 * heuristic, so at least one experience step whenever one exists), quick wins first for Rookies (and in areas where
 * the person is still a Rookie), never something
 * done, planned or declined recently, each with the reason it was chosen.
 */
export type ActivityType = 'experience' | 'social' | 'formal';
export type Activity = { id: string; areaId: string; transition: string; type: ActivityType; quickWin: boolean };
export type AreaInput = {
  areaId: string;
  current: Level;
  target: Level;
  /** The job role names this area in its profile (its target is above the role's default). */
  roleRelevant: boolean;
  interested: boolean;
  orgWeight: number;
};
export type Reason = { key: string; params: Record<string, string> };
export type Proposal = { activity: Activity; reason: Reason };
export type Recommendation = { focusAreas: string[]; steps: Proposal[] };

export const ROLE_WEIGHT = 1.5;
export const INTEREST_WEIGHT = 1.5;

export function nextTransition(current: Level): string | null {
  const i = LEVELS.indexOf(current);
  return i < LEVELS.length - 1 ? `${current}->${LEVELS[i + 1]}` : null;
}

export function priority(a: AreaInput): number {
  return gap(a.current, a.target) * (a.roleRelevant ? ROLE_WEIGHT : 1) * (a.interested ? INTEREST_WEIGHT : 1) * Math.max(0, a.orgWeight);
}

export function recommend(areas: AreaInput[], catalogue: Activity[], exclude: Set<string>, opts: { rookie: boolean; maxSteps?: number }): Recommendation {
  const available = (a: AreaInput) => {
    const t = nextTransition(a.current);
    return t ? catalogue.filter((c) => c.areaId === a.areaId && c.transition === t && !exclude.has(c.id)) : [];
  };
  const ranked = areas
    .map((a, index) => ({ a, index, p: priority(a), options: available(a) }))
    .filter((x) => x.options.length > 0)
    // Highest priority first; ties: interest, then lowest current level, then framework order.
    .sort((x, y) => y.p - x.p || Number(y.a.interested) - Number(x.a.interested) || LEVELS.indexOf(x.a.current) - LEVELS.indexOf(y.a.current) || x.index - y.index);
  const withGap = ranked.filter((x) => x.p > 0);
  // Everyone at or above target: keep growing where the person is interested, else where they are lowest.
  const pool = withGap.length > 0 ? withGap : ranked;
  const focusCount = opts.rookie ? 2 : Math.min(3, Math.max(1, withGap.length >= 3 ? 3 : withGap.length || 1));
  const focus = pool.slice(0, focusCount);
  // 3 steps for one focus area, 4 for two, 5 for three.
  const maxSteps = Math.min(5, Math.max(3, opts.maxSteps ?? 2 + focus.length));

  const reasonFor = (x: (typeof focus)[number]): Reason => {
    const g = gap(x.a.current, x.a.target);
    const key = g > 0 ? (x.a.interested ? 'path.why.gapInterest' : x.a.roleRelevant ? 'path.why.gapRole' : 'path.why.gap') : 'path.why.grow';
    return { key, params: { area: x.a.areaId, levels: String(g), from: x.a.current, to: x.a.current === 'L4' ? 'L4' : LEVELS[LEVELS.indexOf(x.a.current) + 1]! } };
  };

  const steps: Proposal[] = [];
  const take = (x: (typeof focus)[number], pick: (c: Activity) => boolean) => {
    const found = x.options.find((c) => pick(c) && !steps.some((s) => s.activity.id === c.id));
    if (found && steps.length < maxSteps) steps.push({ activity: found, reason: reasonFor(x) });
    return !!found;
  };
  // Quick wins first: in every focus area for a Rookie, and in any focus area where the person is still a Rookie.
  for (const x of focus) if (opts.rookie || x.a.current === 'L1') take(x, (c) => c.quickWin);
  // One experience step per focus area (the 70 of 70-20-10), then social, then formal, round-robin over areas.
  for (const type of ['experience', 'social', 'formal'] as ActivityType[]) {
    for (const x of focus) {
      if (steps.filter((s) => s.activity.areaId === x.a.areaId).length >= 3) continue;
      take(x, (c) => c.type === type);
    }
  }
  // Fill up to three steps from whatever the focus areas still offer.
  for (const x of focus) while (steps.length < 3 && take(x, () => true));
  return { focusAreas: focus.map((x) => x.a.areaId), steps };
}
