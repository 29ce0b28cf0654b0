import { describe, expect, it } from '@jest/globals';
import { gap, higher, isScore, levelFromMean, overall, scoreArea, targetLevel, type Level } from '../../src/features/assessment/scoring.js';

const t = { L2: 1.5, L3: 2.5, L4: 3.5 };

describe('levelFromMean (framework thresholds 1.5 / 2.5 / 3.5)', () => {
  it.each<[number, Level]>([
    [0, 'L1'], [1, 'L1'], [1.49, 'L1'], [1.4999, 'L1'],
    [1.5, 'L2'], [2, 'L2'], [2.49, 'L2'],
    [2.5, 'L3'], [3, 'L3'], [3.49, 'L3'],
    [3.5, 'L4'], [4, 'L4'],
  ])('mean %p → %s', (mean, level) => expect(levelFromMean(mean, t)).toBe(level));

  it.each([-0.1, 4.01, Number.NaN, Number.POSITIVE_INFINITY])('refuses an impossible mean %p', (mean) => {
    expect(() => levelFromMean(mean, t)).toThrow(RangeError);
  });
});

describe('scoreArea', () => {
  const ids = ['EU.1', 'EU.2', 'EU.3'];
  it.each<[Record<string, number>, number, Level]>([
    [{ 'EU.1': 1, 'EU.2': 2, 'EU.3': 2 }, 5 / 3, 'L2'],
    [{ 'EU.1': 1, 'EU.2': 1, 'EU.3': 2 }, 4 / 3, 'L1'],
    [{ 'EU.1': 3, 'EU.2': 4, 'EU.3': 4 }, 11 / 3, 'L4'],
    [{ 'EU.1': 0, 'EU.2': 0, 'EU.3': 0 }, 0, 'L1'],
  ])('%j → mean %p, %s', (answers, mean, level) => {
    const s = scoreArea(ids, answers, t)!;
    expect(s.mean).toBeCloseTo(mean, 10);
    expect(s.level).toBe(level);
  });

  it('needs every statement answered with a whole score 0–4', () => {
    expect(scoreArea(ids, { 'EU.1': 1, 'EU.2': 2 }, t)).toBeUndefined();
    expect(scoreArea(ids, { 'EU.1': 1, 'EU.2': 2, 'EU.3': 5 }, t)).toBeUndefined();
    expect(scoreArea(ids, { 'EU.1': 1, 'EU.2': 2, 'EU.3': 2.5 }, t)).toBeUndefined();
    expect(scoreArea([], {}, t)).toBeUndefined();
  });

  it('a two-statement area reaches Explorer at exactly 1.5', () => {
    expect(scoreArea(['LANG.1', 'LANG.2'], { 'LANG.1': 1, 'LANG.2': 2 }, t)).toEqual({ mean: 1.5, level: 'L2' });
  });
});

describe('overall, targets, gaps', () => {
  it('weighs areas equally', () => {
    expect(overall([{ mean: 1, level: 'L1' }, { mean: 4, level: 'L4' }], t)).toEqual({ mean: 2.5, level: 'L3' });
    expect(overall([], t)).toBeUndefined();
  });

  it.each<[string, Level]>([['ICC', 'L3'], ['EU', 'L2']])('teacher target for %s is %s', (area, level) => {
    expect(targetLevel({ default: 'L2', targets: { ICC: 'L3', CURR: 'L3', LEARN: 'L3' } }, area)).toBe(level);
  });

  it.each<[Level, Level, number]>([['L1', 'L3', 2], ['L3', 'L3', 0], ['L4', 'L2', 0], ['L2', 'L4', 2]])('gap %s → %s is %p', (current, target, g) => {
    expect(gap(current, target)).toBe(g);
  });

  it('the higher level wins, and no recognised level leaves the assessed one', () => {
    expect(higher('L2', 'L3')).toBe('L3');
    expect(higher('L3', 'L2')).toBe('L3');
    expect(higher('L2', undefined)).toBe('L2');
  });

  it('accepts only whole scores 0–4', () => {
    expect([0, 4, 2].every(isScore)).toBe(true);
    expect([-1, 5, 1.5, '2', null].some(isScore)).toBe(false);
  });
});
