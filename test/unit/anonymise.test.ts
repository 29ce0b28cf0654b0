import { describe, expect, it } from '@jest/globals';
import { change, LEVEL_IDS, suppress, tabulate, total, type LevelId, type Person, type PublishedGroup } from '../../src/features/mapping/anonymise.js';

const AREAS = ['EU', 'ICC'];
const person = (groupKey: string, eu: LevelId, icc: LevelId = 'L2'): Person => ({ groupKey, levels: { EU: eu, ICC: icc } });
const many = (n: number, groupKey: string, eu: LevelId, icc: LevelId = 'L2') => Array.from({ length: n }, () => person(groupKey, eu, icc));

function view(people: Person[], k = 5) {
  const groups = [...tabulate(people, AREAS).values()].sort((a, b) => a.key.localeCompare(b.key));
  return suppress(total(groups, AREAS), groups, AREAS, k);
}

/** What an attacker can derive: every check a subtraction could exploit. Returns the problems found. */
function leaks(published: { parent: PublishedGroup; children: PublishedGroup[] }, people: Person[], k: number): string[] {
  const truth = tabulate(people, AREAS);
  const all = total(truth.values(), AREAS);
  const out: string[] = [];
  const groups = [published.parent, ...published.children];
  const trueOf = (g: PublishedGroup) => (g.key === published.parent.key ? all : truth.get(g.key)!);
  for (const g of groups) {
    for (const a of AREAS) {
      const hidden = LEVEL_IDS.filter((l) => g.counts[a]![l] === null);
      for (const l of LEVEL_IDS) {
        const v = g.counts[a]![l];
        if (v !== null && v > 0 && v < k) out.push(`${g.key} ${a} ${l} published ${v}`);
      }
      const visible = LEVEL_IDS.filter((l) => g.counts[a]![l] !== null);
      if (g.n !== null && g.n > 0 && visible.length === LEVEL_IDS.length && LEVEL_IDS.filter((l) => (g.counts[a]![l] ?? 0) > 0).length === 1) out.push(`${g.key} ${a} everyone at one level`);
      if (g.n !== null && hidden.length > 0 && hidden.length < LEVEL_IDS.length) {
        const sum = hidden.reduce((s, l) => s + trueOf(g).counts[a]![l], 0);
        if (hidden.length === 1 || (sum > 0 && sum < k)) out.push(`${g.key} ${a} row recoverable (${hidden.join(',')} = ${sum})`);
      }
    }
  }
  if (published.parent.n !== null) {
    const hiddenKids = published.children.filter((c) => c.n === null);
    const sum = hiddenKids.reduce((s, c) => s + truth.get(c.key)!.n, 0);
    if (hiddenKids.length > 0 && hiddenKids.length < published.children.length && (hiddenKids.length === 1 || sum < k)) out.push(`group sizes recoverable (${sum})`);
    for (const a of AREAS) {
      for (const l of LEVEL_IDS) {
        if (published.parent.counts[a]![l] === null) continue;
        const hid = published.children.filter((c) => c.counts[a]![l] === null);
        const sum = hid.reduce((s, c) => s + truth.get(c.key)!.counts[a]![l], 0);
        if (hid.length > 0 && hid.length < published.children.length && (hid.length === 1 || (sum > 0 && sum < k))) out.push(`${a} ${l} column recoverable (${sum})`);
      }
    }
  }
  return out;
}

describe('small-cell protection', () => {
  it('hides counts under k, and one more count in the row so the hidden one cannot be recovered from N', () => {
    const people = [...many(3, 'u1', 'L1'), ...many(10, 'u1', 'L2'), ...many(7, 'u1', 'L3')];
    const { parent } = view(people);
    expect(parent.n).toBe(20);
    // L1 = 3 is under k; L4 = 0 is published (it describes nobody); the next smallest, L3 = 7, hides with it.
    expect(parent.counts.EU).toEqual({ L1: null, L2: 10, L3: null, L4: 0 });
    // Everyone at Explorer in ICC: publishing it would tell each person's level, so the row is hidden.
    expect(parent.counts.ICC).toEqual({ L1: null, L2: null, L3: null, L4: null });
  });

  it('a group under k people is hidden entirely — and so is another, so the totals do not give it away', () => {
    const people = [...many(12, 'teachers', 'L2'), ...many(9, 'counsellors', 'L3'), ...many(2, 'leaders', 'L4')];
    const { parent, children } = view(people);
    expect(parent.n).toBe(23);
    const byKey = Object.fromEntries(children.map((c) => [c.key, c]));
    expect(byKey.leaders!.n).toBeNull();
    expect(byKey.counsellors!.n).toBeNull(); // the smallest other group keeps it company
    expect(byKey.teachers!.n).toBe(12);
    expect(byKey.leaders!.counts.EU!.L4).toBeNull();
  });

  it('a hidden cell in one unit is not recoverable from the organisation’s column', () => {
    const people = [...many(8, 'a', 'L2'), ...many(2, 'a', 'L3'), ...many(10, 'b', 'L2'), ...many(6, 'b', 'L3'), ...many(9, 'c', 'L2')];
    const published = view(people);
    expect(leaks(published, people, 5)).toEqual([]);
    const b = published.children.find((c) => c.key === 'b')!;
    // a's L3 = 2 is hidden; without b's L3 hidden too, org L3 (8) − b (6) − c (0) would give it back.
    expect(b.counts.EU!.L3).toBeNull();
  });

  it('k is configurable but never below 3', () => {
    expect(() => view([person('a', 'L1')], 2)).toThrow(/at least 3/);
    const people = [...many(3, 'a', 'L1', 'L1'), ...many(3, 'a', 'L2', 'L3')];
    expect(view(people, 3).parent.counts.EU).toEqual({ L1: 3, L2: 3, L3: 0, L4: 0 });
    expect(view(people, 5).parent.counts.EU).toEqual({ L1: null, L2: null, L3: 0, L4: 0 });
  });

  it('changes over time only where both periods count at least k', () => {
    expect(change(17, 12, 5)).toBe(5);
    expect(change(12, 12, 5)).toBe(0);
    expect(change(13, 12, 5)).toBeNull(); // one newcomer's level would show
    expect(change(12, 4, 5)).toBeNull();
    expect(change(null, 9, 5)).toBeNull();
  });

  it('no random organisation, at any k, publishes anything a subtraction can turn into a small count', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run += 1) {
      const k = 3 + Math.floor(rnd() * 4);
      const units = 1 + Math.floor(rnd() * 5);
      const n = Math.floor(rnd() * 60);
      const people = Array.from({ length: n }, () => person(`u${Math.floor(rnd() * units)}`, LEVEL_IDS[Math.floor(rnd() * 4)]!, LEVEL_IDS[Math.floor(rnd() * 2)]!));
      expect({ run, problems: leaks(view(people, k), people, k) }).toEqual({ run, problems: [] });
    }
  });

  it('changing one person’s answers never changes a published cell into something that identifies them', () => {
    const base = [...many(9, 'a', 'L2'), ...many(6, 'a', 'L3'), ...many(11, 'b', 'L2')];
    const before = view(base);
    const moved = [...base.slice(0, 14), person('a', 'L4'), ...base.slice(15)];
    const after = view(moved);
    expect(leaks(after, moved, 5)).toEqual([]);
    // The single Expert is nowhere to be seen.
    for (const g of [after.parent, ...after.children]) expect(g.counts.EU!.L4 === 0 || g.counts.EU!.L4 === null).toBe(true);
    expect(before.parent.counts.EU!.L4).toBe(0);
    expect(leaks(before, base, 5)).toEqual([]);
  });
});
