import { describe, expect, it } from '@jest/globals';
import { rolesCard } from '../../src/features/people/grants.cards.js';
import type { GrantsView } from '../../src/features/people/grants.service.js';
import { translator } from '../../src/lib/i18n.js';
import { cardText } from '../helpers/bot.js';

const name = 'Maria-Fernanda González-Rodríguez de la Vega';
const email = 'maria-fernanda.gonzalez-rodriguez@es-partner.example';
const bigPartnership = (grants: number, people: number): GrantsView => ({
  partnership: true,
  more: 0,
  organisations: [{ id: 'es-partner', name: 'Partner VET centre (Spain)' }],
  grants: Array.from({ length: grants }, (_, i) => ({ personId: `cm${String(i).padStart(23, '0')}`, name, email, role: 'coordinator', scope: 'es-partner', since: new Date('2026-11-30T00:00:00Z'), own: false })),
  people: Array.from({ length: people }, (_, i) => ({ id: `cm${String(i).padStart(23, '0')}`, name, email, organisationId: 'es-partner' })),
});

describe('the roles card', () => {
  it('stays under what Teams accepts with the most grants and people it lists, and says how many are not shown', () => {
    const card = rolesCard(translator('fi'), bigPartnership(30, 100), { text: 'Käyttöoikeus myönnetty.', tone: 'good' });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(24_000);
    expect(cardText(card)).toMatch(/Lisäksi \d+ muuta, joita ei näytetä\./);
  });

  it('lists everything when it fits', () => {
    const card = rolesCard(translator('en'), bigPartnership(3, 5));
    expect(cardText(card).match(/coordinator · Partner VET centre \(Spain\) · since 2026-11-30/g)).toHaveLength(3);
    expect(cardText(card)).not.toContain('more not shown');
  });
});
