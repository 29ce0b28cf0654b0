import { describe, expect, it } from '@jest/globals';
import { IdentityMatcher, pseudonym } from '../../src/features/privacy/pseudonym.js';
import { monthsBefore } from '../../src/features/privacy/retention.service.js';

const ada = { id: 'cperson1', teamsUserId: '29:ada-1', aadObjectId: '00000000-aaaa', name: 'Ada', email: 'ada.l@luovi.example', upn: 'ADA.L@luovi.example' };

describe('pseudonyms and identity matching', () => {
  it('the pseudonym is a keyed hash: stable per key and person, different for another key or person', () => {
    expect(pseudonym('k1', 'cperson1')).toMatch(/^pseudonym:[0-9a-f]{32}$/);
    expect(pseudonym('k1', 'cperson1')).toBe(pseudonym('k1', 'cperson1'));
    expect(pseudonym('k2', 'cperson1')).not.toBe(pseudonym('k1', 'cperson1'));
    expect(pseudonym('k1', 'cperson2')).not.toBe(pseudonym('k1', 'cperson1'));
  });

  it.each([
    ['person:cperson1 granted', 'P granted'],
    ['{"personId":"cperson1"}', '{"personId":"P"}'],
    ['Ada asks to be a manager (ada.l@luovi.example)', 'P asks to be a manager (P)'],
    ['mail ADA.L@LUOVI.EXAMPLE', 'mail P'],
    ['Adam and Nada are someone else', 'Adam and Nada are someone else'],
    ["Ada's plan", "P's plan"],
    ['nothing here', 'nothing here'],
  ])('%s → %s', (text, expected) => {
    expect(new IdentityMatcher(ada).replace(text, 'P')).toBe(expected);
  });

  it('never searches a replacement again, and finds names in any alphabet as whole words', () => {
    const alias = pseudonym('k', ada.id);
    const dee = { ...ada, name: 'Dee' };
    expect(new IdentityMatcher(dee).replace(`Dee and ${ada.email}`, 'pseudonym:dee')).toBe('pseudonym:dee and pseudonym:dee');
    expect(new IdentityMatcher({ ...ada, name: 'Päivi Öhman' }).replace('Päivi Öhman, päivi öhmanin', alias)).toBe(`${alias}, päivi öhmanin`);
  });

  it('scrubs keys and values of JSON, and tells whether anything mentions the person', () => {
    const m = new IdentityMatcher(ada);
    expect(m.scrub({ user: { id: '29:ada-1', name: 'Ada' }, list: ['x', 'cperson1'], n: 3 }, '')).toEqual({ user: { id: '', name: '' }, list: ['x', ''], n: 3 });
    expect(m.mentions({ deep: [{ upn: 'ada.l@luovi.example' }] })).toBe(true);
    expect(m.mentions({ other: 'Bob' })).toBe(false);
    expect(m.mentions(null)).toBe(false);
  });
});

describe('retention period', () => {
  it.each([
    ['2027-12-01T01:40:00Z', 12, '2026-12-01T01:40:00.000Z'],
    ['2027-03-31T12:00:00Z', 1, '2027-02-28T12:00:00.000Z'],
    ['2028-02-29T00:00:00Z', 24, '2026-02-28T00:00:00.000Z'],
    ['2027-01-15T08:00:00Z', 24, '2025-01-15T08:00:00.000Z'],
  ])('%s minus %i months is %s', (at, months, expected) => {
    expect(monthsBefore(new Date(at), months).toISOString()).toBe(expected);
  });
});
