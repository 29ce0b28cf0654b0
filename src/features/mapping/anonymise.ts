/**
 * Small-cell protection for every manager view (pure; see ../shared/reference/framework.md, privacy rules).
 *
 * A view is a parent group (an organisation, or the partnership) and a breakdown of it into child groups (units,
 * roles, organisations). Each group has N assessed people and, per framework area, a count per level; each area's
 * counts sum to N. Rules, applied until nothing changes:
 * 1. Primary: a count of 1..k-1 is hidden; a group with N < k is hidden entirely (its N too).
 * 2. Rows: the hidden counts of an area within one group must be at least two and add up to 0 or ≥ k — otherwise
 *    the next smallest count is hidden too (the row sums to the published N, so one hidden count is recoverable).
 * 3. Columns: for each area × level, the parent's count minus the children's published counts (what subtraction
 *    recovers) must come from at least two hidden children and be 0 or ≥ k — otherwise one more child count is hidden.
 *    The same for the children's N against the parent's N: a hidden group needs company worth k people.
 * 4. Homogeneity: a row where everyone is at one level (one non-zero count, the others zero) would tell the level of
 *    every member; the whole row is hidden.
 * Zeros are otherwise published: they describe nobody.
 */
export const LEVEL_IDS = ['L1', 'L2', 'L3', 'L4'] as const;
export type LevelId = (typeof LEVEL_IDS)[number];

/** Counts per area and level, as numbers, or null where hidden. */
export type Counts = Record<string, Record<LevelId, number>>;
export type Published = Record<string, Record<LevelId, number | null>>;

export type Group = { key: string; n: number; counts: Counts };
export type PublishedGroup = { key: string; n: number | null; counts: Published };

export type Person = { groupKey: string; levels: Record<string, LevelId> };

/** Counts per group from people's latest levels (each person in exactly one child group). */
export function tabulate(people: Person[], areaIds: string[], groupOf: (p: Person) => string = (p) => p.groupKey): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const p of people) {
    const key = groupOf(p);
    let g = groups.get(key);
    if (!g) {
      g = { key, n: 0, counts: Object.fromEntries(areaIds.map((a) => [a, { L1: 0, L2: 0, L3: 0, L4: 0 }])) };
      groups.set(key, g);
    }
    g.n += 1;
    for (const a of areaIds) g.counts[a]![p.levels[a] ?? 'L1'] += 1;
  }
  return groups;
}

export function total(groups: Iterable<Group>, areaIds: string[], key = 'all'): Group {
  const out: Group = { key, n: 0, counts: Object.fromEntries(areaIds.map((a) => [a, { L1: 0, L2: 0, L3: 0, L4: 0 }])) };
  for (const g of groups) {
    out.n += g.n;
    for (const a of areaIds) for (const l of LEVEL_IDS) out.counts[a]![l] += g.counts[a]![l];
  }
  return out;
}

type Cell = { group: number; area: string; level: LevelId };

/** Applies the rules to a parent and its children; returns what may be shown. `k` is at least 3. */
export function suppress(parent: Group, children: Group[], areaIds: string[], k: number): { parent: PublishedGroup; children: PublishedGroup[] } {
  if (!(k >= 3)) throw new Error('k must be at least 3');
  const all = [parent, ...children]; // index 0 = parent
  const hiddenGroup = all.map((g) => g.n < k);
  const hidden = all.map(
    (g, gi) => Object.fromEntries(areaIds.map((a) => [a, Object.fromEntries(LEVEL_IDS.map((l) => [l, hiddenGroup[gi]! || (g.counts[a]![l] > 0 && g.counts[a]![l] < k)]))])) as Record<string, Record<LevelId, boolean>>,
  );
  const count = (c: Cell) => all[c.group]!.counts[c.area]![c.level];
  const hide = (c: Cell) => (hidden[c.group]![c.area]![c.level] = true);
  const isHidden = (c: Cell) => hidden[c.group]![c.area]![c.level];
  /** The smallest visible cell to hide next: non-zero first (hiding a zero protects no one). */
  const smallest = (cells: Cell[]) => cells.filter((c) => !isHidden(c)).sort((x, y) => (count(x) === 0 ? 1 : 0) - (count(y) === 0 ? 1 : 0) || count(x) - count(y))[0];
  const unsafe = (cells: Cell[]) => {
    const h = cells.filter(isHidden);
    const sum = h.reduce((s, c) => s + count(c), 0);
    return h.length > 0 && (h.length === 1 || (sum > 0 && sum < k)) && h.length < cells.length;
  };

  for (let pass = 0; pass < 1000; pass += 1) {
    let changed = false;
    // Groups' N against the parent's N: a hidden group needs company.
    const childIdx = children.map((_, i) => i + 1);
    const hiddenKids = childIdx.filter((i) => hiddenGroup[i]);
    const hiddenN = hiddenKids.reduce((s, i) => s + all[i]!.n, 0);
    if (!hiddenGroup[0] && hiddenKids.length > 0 && (hiddenKids.length === 1 || hiddenN < k) && hiddenKids.length < children.length) {
      const next = childIdx.filter((i) => !hiddenGroup[i]).sort((x, y) => all[x]!.n - all[y]!.n)[0]!;
      hiddenGroup[next] = true;
      for (const a of areaIds) for (const l of LEVEL_IDS) hidden[next]![a]![l] = true;
      changed = true;
    }
    // Rows within each visible group.
    for (let gi = 0; gi < all.length; gi += 1) {
      if (hiddenGroup[gi]) continue;
      for (const a of areaIds) {
        const row = LEVEL_IDS.map((l) => ({ group: gi, area: a, level: l }));
        if (row.filter((c) => count(c) > 0).length === 1 && row.some((c) => !isHidden(c))) {
          row.forEach(hide);
          changed = true;
          continue;
        }
        if (unsafe(row)) {
          hide(smallest(row)!);
          changed = true;
        }
      }
    }
    // Columns: parent cell against its children's cells.
    for (const a of areaIds) {
      for (const l of LEVEL_IDS) {
        if (isHidden({ group: 0, area: a, level: l })) continue;
        const column = childIdx.map((i) => ({ group: i, area: a, level: l }));
        if (unsafe(column)) {
          const next = smallest(column);
          if (next) hide(next);
          else hide({ group: 0, area: a, level: l });
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const publish = (g: Group, gi: number): PublishedGroup => ({
    key: g.key,
    n: hiddenGroup[gi] ? null : g.n,
    counts: Object.fromEntries(areaIds.map((a) => [a, Object.fromEntries(LEVEL_IDS.map((l) => [l, hidden[gi]![a]![l] ? null : g.counts[a]![l]]))])) as Published,
  });
  return { parent: publish(parent, 0), children: children.map((c, i) => publish(c, i + 1)) };
}

/**
 * A change over time is shown only where the cell is published and counts at least k in both periods, and the change
 * itself is zero or at least k people (a change of one would single out whoever joined, left or moved).
 */
export function change(now: number | null, before: number | null, k: number): number | null {
  if (now === null || before === null || now < k || before < k) return null;
  const delta = now - before;
  return delta === 0 || Math.abs(delta) >= k ? delta : null;
}
