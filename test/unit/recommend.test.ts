import { describe, expect, it } from '@jest/globals';
import { priority, recommend, type Activity, type AreaInput } from '../../src/features/path/recommend.js';

const area = (areaId: string, current: AreaInput['current'], target: AreaInput['target'], over: Partial<AreaInput> = {}): AreaInput => ({
  areaId, current, target, roleRelevant: false, interested: false, orgWeight: 1, ...over,
});
const act = (id: string, areaId: string, transition: string, type: Activity['type'], quickWin = false): Activity => ({ id, areaId, transition, type, quickWin });

const catalogue: Activity[] = [
  act('module:ICC-L1-L2', 'ICC', 'L1->L2', 'formal', true), act('step:ICC:L1->L2:1', 'ICC', 'L1->L2', 'experience'),
  act('module:EU-L1-L2', 'EU', 'L1->L2', 'formal', true), act('step:EU:L1->L2:1', 'EU', 'L1->L2', 'social'),
  act('step:EU:L2->L3:0', 'EU', 'L2->L3', 'experience'), act('step:EU:L2->L3:1', 'EU', 'L2->L3', 'formal'),
  act('step:CURR:L2->L3:0', 'CURR', 'L2->L3', 'experience'), act('step:CURR:L2->L3:1', 'CURR', 'L2->L3', 'social'),
  act('step:MOB:L2->L3:0', 'MOB', 'L2->L3', 'social'), act('module:MOB-L2-L3', 'MOB', 'L2->L3', 'formal'),
  act('step:STRAT:L3->L4:0', 'STRAT', 'L3->L4', 'social'),
];

describe('priority = gap × role × interest × organisation weight', () => {
  it.each<[AreaInput, number]>([
    [area('X', 'L1', 'L3'), 2],
    [area('X', 'L1', 'L3', { roleRelevant: true }), 3],
    [area('X', 'L1', 'L3', { roleRelevant: true, interested: true }), 4.5],
    [area('X', 'L1', 'L3', { orgWeight: 2 }), 4],
    [area('X', 'L3', 'L2'), 0],
    [area('X', 'L1', 'L3', { orgWeight: 0 }), 0],
  ])('%j → %p', (a, p) => expect(priority(a)).toBeCloseTo(p, 10));
});

describe('recommend', () => {
  it('ranks focus areas by priority and explains each step', () => {
    const r = recommend([area('EU', 'L2', 'L3'), area('CURR', 'L2', 'L4', { roleRelevant: true }), area('MOB', 'L2', 'L3', { interested: true })], catalogue, new Set(), { rookie: false });
    expect(r.focusAreas).toEqual(['CURR', 'MOB', 'EU']);
    expect(r.steps.length).toBeGreaterThanOrEqual(3);
    expect(r.steps.length).toBeLessThanOrEqual(5);
    expect(r.steps.find((s) => s.activity.areaId === 'CURR')!.reason).toEqual({ key: 'path.why.gapRole', params: { area: 'CURR', levels: '2', from: 'L2', to: 'L3' } });
    expect(r.steps.find((s) => s.activity.areaId === 'MOB')!.reason.key).toBe('path.why.gapInterest');
  });

  it('mixes learning types: an experience step first where one exists, then social and formal', () => {
    const r = recommend([area('EU', 'L2', 'L3'), area('CURR', 'L2', 'L3')], catalogue, new Set(), { rookie: false });
    const types = r.steps.map((s) => s.activity.type);
    expect(types.filter((t) => t === 'experience').length).toBeGreaterThanOrEqual(1);
    expect(new Set(types).size).toBeGreaterThanOrEqual(2);
    expect(types[0]).toBe('experience');
  });

  it('gives Rookies quick wins first, in at most two focus areas', () => {
    const r = recommend([area('ICC', 'L1', 'L3', { roleRelevant: true }), area('EU', 'L1', 'L2'), area('CURR', 'L2', 'L3')], catalogue, new Set(), { rookie: true });
    expect(r.focusAreas).toEqual(['ICC', 'EU']);
    expect(r.steps.slice(0, 2).map((s) => s.activity.id)).toEqual(['module:ICC-L1-L2', 'module:EU-L1-L2']);
  });

  it('starts with the quick win in an area where the person is still a Rookie, even if they are not one overall', () => {
    const r = recommend([area('ICC', 'L1', 'L3', { interested: true }), area('CURR', 'L2', 'L3')], catalogue, new Set(), { rookie: false });
    expect(r.steps[0]!.activity.id).toBe('module:ICC-L1-L2');
    expect(r.steps.some((s) => s.activity.type === 'experience')).toBe(true);
  });

  it('never proposes what is done, planned or declined recently', () => {
    const r = recommend([area('EU', 'L2', 'L3')], catalogue, new Set(['step:EU:L2->L3:0']), { rookie: false });
    expect(r.steps.map((s) => s.activity.id)).toEqual(['step:EU:L2->L3:1']);
  });

  it('weighs the organisation\'s strategy: the same gap in a strategic area comes first', () => {
    const r = recommend([area('EU', 'L2', 'L3'), area('MOB', 'L2', 'L3', { orgWeight: 2 })], catalogue, new Set(), { rookie: false });
    expect(r.focusAreas[0]).toBe('MOB');
  });

  it('at or above every target, keeps growing in the next transition of the lowest areas', () => {
    const r = recommend([area('STRAT', 'L3', 'L3'), area('EU', 'L2', 'L2')], catalogue, new Set(), { rookie: false });
    expect(r.focusAreas[0]).toBe('EU');
    expect(r.steps[0]!.reason.key).toBe('path.why.grow');
  });

  it('proposes nothing for an Expert with nothing left in the catalogue', () => {
    expect(recommend([area('EU', 'L4', 'L4')], catalogue, new Set(), { rookie: false })).toEqual({ focusAreas: [], steps: [] });
  });
});
