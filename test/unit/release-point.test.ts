import { describe, expect, it } from '@jest/globals';
import { releasedAt, releasePoints, type StaffTimeline } from '../../src/features/mapping/mapping.repository.js';

const releasePoint = (t: StaffTimeline, at: Date, k: number) => releasedAt(releasePoints(t, k), at);

const at = (day: number) => Date.parse(`2026-11-${String(day).padStart(2, '0')}T08:00:00Z`);
const L = (level: 'L1' | 'L2' | 'L3') => ({ EU: level, LANG: level });
const timeline = (assessments: StaffTimeline['assessments']): StaffTimeline => ({ people: [], assessments, plans: [] });

describe('when a manager’s view may move on (release points)', () => {
  it('only once k people’s levels differ from the last published moment; a change undone does not count', () => {
    const first = ['a', 'b', 'c'].map((personId) => ({ personId, at: at(1), levels: L('L1') }));
    expect(releasePoint(timeline(first), new Date(at(2)), 3)?.getTime()).toBe(at(1));
    // b moves up and back down again, c reassesses with the same levels, d is new: one real change (d) and b's undone one.
    const later = [...first, { personId: 'b', at: at(3), levels: L('L2') }, { personId: 'b', at: at(4), levels: L('L1') }, { personId: 'c', at: at(4), levels: L('L1') }, { personId: 'd', at: at(5), levels: L('L3') }];
    expect(releasePoint(timeline(later), new Date(at(6)), 3)?.getTime()).toBe(at(1));
    // Two more real changes: now three people differ from what was shown, and the view moves to that moment.
    const more = [...later, { personId: 'a', at: at(7), levels: L('L2') }, { personId: 'e', at: at(8), levels: L('L1') }];
    expect(releasePoint(timeline(more), new Date(at(7)), 3)?.getTime()).toBe(at(1));
    expect(releasePoint(timeline(more), new Date(at(9)), 3)?.getTime()).toBe(at(8));
  });

  it('nothing is published before k people have assessed', () => {
    expect(releasePoint(timeline([{ personId: 'a', at: at(1), levels: L('L1') }]), new Date(at(2)), 3)).toBeNull();
  });
});
