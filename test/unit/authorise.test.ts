import { describe, expect, it } from '@jest/globals';
import { authorise, POLICIES, type Action, type Actor } from '../../src/features/people/authorise.js';

const person = (over: Partial<Actor> = {}): Actor => ({ personId: 'p', onboarded: true, organisationId: 'luovi', grants: [], ...over });
const newcomer = person({ onboarded: false });
const teacher = person();
const luoviAdmin = person({ grants: [{ role: 'admin', scope: 'luovi' }] });
const partnershipAdmin = person({ grants: [{ role: 'admin', scope: 'partnership' }] });
const luoviManager = person({ grants: [{ role: 'manager', scope: 'luovi' }] });

describe('authorise()', () => {
  it.each<[string, Actor, Action, { organisationId: string | null } | undefined, boolean | string]>([
    ['anyone may ask for help', newcomer, 'help.show', undefined, true],
    ['a newcomer may onboard', newcomer, 'onboarding.save', undefined, true],
    ['a newcomer is sent to onboarding for settings', newcomer, 'settings.open', undefined, 'not_onboarded'],
    ['an onboarded teacher may open settings', teacher, 'settings.save', undefined, true],
    ['a teacher may not list requests', teacher, 'requests.list', undefined, 'forbidden'],
    ['a manager may not decide requests', luoviManager, 'requests.decide', { organisationId: 'luovi' }, 'forbidden'],
    ['an admin of the organisation may decide', luoviAdmin, 'requests.decide', { organisationId: 'luovi' }, true],
    ['an admin of another organisation may not', luoviAdmin, 'requests.decide', { organisationId: 'ee-partner' }, 'forbidden'],
    ['an admin may not decide for no organisation', luoviAdmin, 'requests.decide', { organisationId: null }, 'forbidden'],
    ['a partnership admin may decide anywhere', partnershipAdmin, 'requests.decide', { organisationId: 'ee-partner' }, true],
    ['an admin with a grant somewhere passes the first gate', luoviAdmin, 'requests.list', undefined, true],
    ['a grant-holder who is not onboarded is refused', { ...partnershipAdmin, onboarded: false }, 'requests.list', undefined, 'not_onboarded'],
  ])('%s', (_name, actor, action, target, expected) => {
    const decision = authorise(actor, action, target);
    if (expected === true) expect(decision).toEqual({ allowed: true });
    else expect(decision).toEqual({ allowed: false, reason: expected });
  });

  it('has a policy for every action, and grant policies name real roles', () => {
    for (const policy of Object.values(POLICIES)) {
      if (policy.who === 'grant') for (const role of policy.roles) expect(['coordinator', 'manager', 'mentor', 'admin']).toContain(role);
    }
  });
});
