import { describe, expect, it } from '@jest/globals';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { buildCredential, identityHash, STATUS_LIST_LENGTH } from '../../src/features/badges/ob3/credential.js';
import { issuerDocument, issuerIds, signCredential, verificationMethodDocument, verifyCredential, type IssuerKey } from '../../src/features/badges/ob3/signing.js';
import { bakePng, bakeSvg, unbakePng, unbakeSvg } from '../../src/features/badges/bake.js';
import { badgePng, badgeSvg } from '../../src/features/badges/badge-image.js';
import { obFixture, schemaValidator } from '../helpers/open-badges.js';

const fixture = obFixture;
const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>;

/** A fresh issuer on https://badges.example.test with its own key, status list and resolver, as the bot serves them. */
async function testIssuer() {
  const pair = await Ed25519Multikey.generate();
  const exported = await pair.export({ publicKey: true, secretKey: true, includeContext: false });
  const key: IssuerKey = { publicKeyMultibase: exported.publicKeyMultibase as string, secretKeyMultibase: exported.secretKeyMultibase as string };
  const ids = issuerIds('https://badges.example.test', key);
  const listUrl = 'https://badges.example.test/badges/status/revocation';
  const revoked = new Set<number>();
  const statusList = async () => {
    const list = await createList({ length: STATUS_LIST_LENGTH });
    for (const i of revoked) list.setStatus(i, true);
    const unsigned = await createCredential({ id: listUrl, list, statusPurpose: 'revocation' });
    return signCredential({ ...unsigned, issuer: ids.issuerId, validFrom: '2026-11-29T00:00:00Z' }, key, ids);
  };
  const resolve = async (url: string) => {
    if (url === ids.issuerId) return issuerDocument(ids, key, { name: 'Test issuer', url: 'https://badges.example.test' });
    if (url === ids.verificationMethod) return verificationMethodDocument(ids, key);
    if (url === listUrl) return statusList();
    return null;
  };
  const issue = (index: number) =>
    signCredential(
      buildCredential({
        id: `https://badges.example.test/badges/c/${index}`,
        validFrom: new Date('2026-11-29T10:00:00Z'),
        issuer: { id: ids.issuerId, name: 'Test issuer', url: 'https://badges.example.test' },
        achievement: {
          id: 'https://badges.example.test/badges/achievements/ICC-L2', name: 'Explorer: Intercultural competence', description: 'First steps.', criteria: 'Module passed.',
          image: 'https://badges.example.test/badges/images/ICC-L2.png',
          alignment: { targetName: 'Intercultural competence — Explorer', targetUrl: 'https://badges.example.test/framework#ICC-L2', targetFramework: 'REX VET framework', targetCode: 'ICC-L2' },
        },
        recipientEmail: 'Tiina.Teacher@luovi.example',
        evidence: [{ name: 'Module passed', narrative: 'Intercultural awareness, 100 %' }],
        status: { listUrl, index },
      }),
      key,
      ids,
    );
  return { key, ids, revoked, resolve, issue };
}

describe('Open Badges 3.0 credentials', () => {
  it('reproduces the specification’s eddsa-rdfc-2022 test vector exactly', async () => {
    const { proof, ...credential } = json('spec-eddsa-rdfc-2022-signed.json') as { proof: { proofValue: string } };
    const key: IssuerKey = {
      publicKeyMultibase: 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
      secretKeyMultibase: 'zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx',
    };
    const ids = { issuerId: 'https://example.edu/issuers/565049', verificationMethod: 'https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi' };
    const signed = await signCredential(credential, key, ids, '2010-01-01T19:23:24Z');
    expect((signed.proof as { proofValue: string }).proofValue).toBe(proof.proofValue);
  });

  it('issues a credential that verifies with only bundled contexts and the issuer’s public documents, and fits the 1EdTech JSON Schema', async () => {
    const issuer = await testIssuer();
    const credential = await issuer.issue(17);
    expect(await verifyCredential(credential, issuer.resolve)).toEqual({ verified: true, revoked: false, problems: [] });
    const validate = schemaValidator();
    const ok = validate({ ...credential, proof: [credential.proof] });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const subject = credential.credentialSubject as { identifier: { identityHash: string; salt: string }[] };
    expect(subject.identifier[0]!.identityHash).toBe(identityHash('tiina.teacher@luovi.example', subject.identifier[0]!.salt));
    expect(JSON.stringify(credential)).not.toContain('tiina.teacher');
  });

  it('rejects a tampered credential and a signature by a key the issuer does not list', async () => {
    const issuer = await testIssuer();
    const credential = await issuer.issue(3);
    const tampered = { ...credential, name: 'Expert: everything' };
    expect((await verifyCredential(tampered, issuer.resolve)).verified).toBe(false);
    const other = await testIssuer();
    // Same issuer id, other key: the issuer's controller document does not list it.
    const { proof: _proof, ...unsigned } = credential;
    const forged = await signCredential(unsigned, other.key, { issuerId: issuer.ids.issuerId, verificationMethod: `${issuer.ids.issuerId}#${other.key.publicKeyMultibase}` });
    const resolveBoth = async (url: string) => (url.endsWith(other.key.publicKeyMultibase) ? verificationMethodDocument({ issuerId: issuer.ids.issuerId, verificationMethod: url }, other.key) : issuer.resolve(url));
    expect((await verifyCredential(forged, resolveBoth)).verified).toBe(false);
  });

  it('reports a revoked credential as revoked (BitstringStatusList, 131,072 entries)', async () => {
    const issuer = await testIssuer();
    const credential = await issuer.issue(42);
    issuer.revoked.add(42);
    expect(await verifyCredential(credential, issuer.resolve)).toMatchObject({ verified: true, revoked: true });
    issuer.revoked.delete(42);
    issuer.revoked.add(43);
    expect(await verifyCredential(credential, issuer.resolve)).toMatchObject({ revoked: false });
  });
});

describe('baked badges', () => {
  it('reads credentials baked by others: the public OB 3.0 PNG and SVG samples and an OB 2.0 PNG', () => {
    const png = JSON.parse(unbakePng(fixture('ob30_simple-json.png'))!) as { type: string[] };
    expect(png.type).toContain('OpenBadgeCredential');
    const svg = JSON.parse(unbakeSvg(fixture('ob30_simple-json.svg').toString('utf8'))!) as { type: string[] };
    expect(svg.type).toContain('OpenBadgeCredential');
    const ob2 = unbakePng(fixture('ob20_simple-badge.png'), 'openbadges')!;
    expect(ob2).toMatch(/Assertion|https?:\/\//);
  });

  it('bakes our own PNG and SVG so that a reader gets the credential back, replacing an earlier one', async () => {
    const issuer = await testIssuer();
    const credential = JSON.stringify(await issuer.issue(5));
    const image = badgePng({ code: 'ICC', name: 'Explorer: Intercultural competence', colour: '#1b8a7a', stars: 1, footer: 'REX VET' });
    const once = bakePng(image, '{"old":true}');
    const baked = bakePng(once, credential);
    expect(unbakePng(baked)).toBe(credential);
    expect(baked.subarray(1, 4).toString()).toBe('PNG');
    const svg = bakeSvg(badgeSvg({ code: 'ICC', name: 'Explorer', colour: '#1b8a7a', stars: 1, footer: 'REX VET' }), credential);
    expect(unbakeSvg(svg)).toBe(credential);
    expect(await verifyCredential(JSON.parse(unbakePng(baked)!), issuer.resolve)).toMatchObject({ verified: true, revoked: false });
  });
});
