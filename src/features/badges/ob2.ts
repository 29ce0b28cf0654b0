import type { AwardRow } from './badges.repository.js';
import type { BadgeIssuer } from './issuer.js';

export const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';

/**
 * Open Badges 2.0 hosted documents for older backpacks (e.g. Moodle): Issuer, BadgeClass and Assertion, served at
 * their own ids. Derived from the signed 3.0 credential (same recipient hash and salt, same texts), never stored twice.
 */
export function ob2Urls(issuer: Pick<BadgeIssuer, 'base' | 'credentialUrl'>) {
  return {
    issuer: `${issuer.base}/badges/ob2/issuer`,
    badgeClass: (badgeId: string) => `${issuer.base}/badges/ob2/classes/${badgeId}`,
    assertion: (awardId: string) => `${issuer.credentialUrl(awardId)}/ob2`,
  };
}

export function ob2Issuer(issuer: BadgeIssuer) {
  const p = issuer.profile();
  return { '@context': OB2_CONTEXT, type: 'Issuer', id: ob2Urls(issuer).issuer, name: p.name, url: p.url, ...(p.email ? { email: p.email } : {}) };
}

type Credential = {
  credentialSubject: { identifier: { identityHash: string; salt: string }[] };
  evidence?: { name: string; narrative: string }[];
  validFrom: string;
};

export function ob2BadgeClass(issuer: BadgeIssuer, badgeId: string, a: ReturnType<BadgeIssuer['achievement']>) {
  return {
    '@context': OB2_CONTEXT,
    type: 'BadgeClass',
    id: ob2Urls(issuer).badgeClass(badgeId),
    name: a.name,
    description: a.description,
    image: a.image,
    criteria: { narrative: a.criteria },
    issuer: ob2Urls(issuer).issuer,
    ...(a.alignment ? { alignment: [a.alignment] } : {}),
  };
}

/** The hosted Assertion; a revoked one is answered with 410 Gone and `revoked: true` by the route. */
export function ob2Assertion(issuer: BadgeIssuer, award: AwardRow) {
  const c = award.credential as Credential;
  const id = c.credentialSubject.identifier[0]!;
  return {
    '@context': OB2_CONTEXT,
    type: 'Assertion',
    id: ob2Urls(issuer).assertion(award.id),
    recipient: { type: 'email', hashed: true, salt: id.salt, identity: id.identityHash },
    badge: ob2Urls(issuer).badgeClass(award.badgeClassId),
    verification: { type: 'hosted' },
    issuedOn: c.validFrom,
    ...(c.evidence?.length ? { evidence: c.evidence.map((e) => ({ type: 'Evidence', name: e.name, narrative: e.narrative })) } : {}),
    ...(award.revokedAt ? { revoked: true, revocationReason: award.revokeReason ?? '' } : {}),
  };
}
