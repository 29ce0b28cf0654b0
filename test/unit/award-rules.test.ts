import { describe, expect, it } from '@jest/globals';
import { badgeStatuses, type AwardFacts } from '../../src/features/badges/award-rules.js';

const base = (over: Partial<AwardFacts> = {}): AwardFacts => ({
  assessed: {},
  modulesPassed: new Set(),
  modules: { ICC: { explorer: 'ICC-L1-L2' }, MOB: { explorer: 'MOB-L1-L2', practitioner: 'MOB-L2-L3' } },
  evidence: {},
  attended: {},
  held: new Set(),
  metas: [{ id: 'META-PRACTITIONER', requires: [{ level: 'L3', areas: 2 }] }],
  ...over,
});
const status = (f: AwardFacts, id: string) => badgeStatuses(['ICC', 'MOB'], f).find((s) => s.badgeId === id);
const ev = (...scores: [number, boolean][]) => scores.map(([score, evidenced]) => ({ score, evidenced }));

describe('award rules', () => {
  it.each([
    ['Explorer: assessed Explorer + module passed → earned', { assessed: { ICC: 'L2' as const }, modulesPassed: new Set(['ICC-L1-L2']) }, 'ICC-L2', 'earned'],
    ['Explorer: module passed but assessed Rookie → not yet', { assessed: { ICC: 'L1' as const }, modulesPassed: new Set(['ICC-L1-L2']) }, 'ICC-L2', 'not_yet'],
    ['Explorer: assessed Expert but module not passed → not yet', { assessed: { ICC: 'L4' as const } }, 'ICC-L2', 'not_yet'],
    ['Explorer: assessed Explorer + an event on the area attended, no module → earned', { assessed: { ICC: 'L2' as const }, attended: { ICC: 1 } }, 'ICC-L2', 'earned'],
    ['Explorer: an event on another area attended → not yet', { assessed: { ICC: 'L2' as const }, attended: { MOB: 1 } }, 'ICC-L2', 'not_yet'],
    ['Explorer: an event attended but assessed Rookie → not yet', { assessed: { ICC: 'L1' as const }, attended: { ICC: 2 } }, 'ICC-L2', 'not_yet'],
    ['Practitioner: level, no module in the area, evidence for 2 statements ≥ 3 → apply', { assessed: { ICC: 'L3' as const }, evidence: { ICC: ev([3, true], [4, true], [2, true]) } }, 'ICC-L3', 'apply'],
    ['Practitioner: evidence for only 1 statement ≥ 3 → not yet', { assessed: { ICC: 'L3' as const }, evidence: { ICC: ev([3, true], [4, false], [2, true]) } }, 'ICC-L3', 'not_yet'],
    ['Practitioner: one note + one event attended on the area stand for 2 statements ≥ 3 → apply', { assessed: { ICC: 'L3' as const }, evidence: { ICC: ev([3, true], [4, false], [2, false]) }, attended: { ICC: 1 } }, 'ICC-L3', 'apply'],
    ['Practitioner: two events attended, two statements ≥ 3 without notes → apply', { assessed: { ICC: 'L3' as const }, evidence: { ICC: ev([3, false], [3, false]) }, attended: { ICC: 2 } }, 'ICC-L3', 'apply'],
    ['Practitioner: events never replace the scores — only 1 statement ≥ 3 → not yet', { assessed: { ICC: 'L3' as const }, evidence: { ICC: ev([3, true], [2, false], [2, false]) }, attended: { ICC: 3 } }, 'ICC-L3', 'not_yet'],
    ['Practitioner: an event on another area does not count → not yet', { assessed: { ICC: 'L3' as const }, evidence: { ICC: ev([3, true], [3, false]) }, attended: { MOB: 2 } }, 'ICC-L3', 'not_yet'],
    ['Practitioner: the area’s Explorer → Practitioner module not passed → not yet', { assessed: { MOB: 'L3' as const }, evidence: { MOB: ev([3, true], [3, true]) } }, 'MOB-L3', 'not_yet'],
    ['Practitioner: with that module passed → apply', { assessed: { MOB: 'L3' as const }, modulesPassed: new Set(['MOB-L2-L3']), evidence: { MOB: ev([3, true], [3, true]) } }, 'MOB-L3', 'apply'],
    ['Expert: assessed Expert, evidence for 2 statements at 4 → apply', { assessed: { ICC: 'L4' as const }, evidence: { ICC: ev([4, true], [4, true]) } }, 'ICC-L4', 'apply'],
    ['Expert: events attended do not stand for notes at 4 → not yet', { assessed: { ICC: 'L4' as const }, evidence: { ICC: ev([4, true], [4, false]) }, attended: { ICC: 3 } }, 'ICC-L4', 'not_yet'],
    ['Expert: evidence at 3 does not count → not yet', { assessed: { ICC: 'L4' as const }, evidence: { ICC: ev([4, true], [3, true]) } }, 'ICC-L4', 'not_yet'],
    ['held stays held', { held: new Set(['ICC-L2']) }, 'ICC-L2', 'held'],
    ['meta: Practitioner (or Expert) badges in enough areas → earned', { held: new Set(['ICC-L3', 'MOB-L4']) }, 'META-PRACTITIONER', 'earned'],
    ['meta: Explorer badges do not count for Practitioner → not yet', { held: new Set(['ICC-L3', 'MOB-L2']) }, 'META-PRACTITIONER', 'not_yet'],
  ])('%s', (_name, over, badgeId, expected) => {
    expect(status(base(over as Partial<AwardFacts>), badgeId)?.status).toBe(expected);
  });

  it('says what is missing', () => {
    expect(status(base({ assessed: { MOB: 'L2' } }), 'MOB-L3')).toEqual({ badgeId: 'MOB-L3', status: 'not_yet', missing: ['assessed:L3', 'module:MOB-L2-L3', 'evidence:3'] });
  });
});
