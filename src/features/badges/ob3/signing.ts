import fs from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { STATUS_LIST_LENGTH } from './credential.js';
import { documentLoader } from './jsonld.js';

/** The issuer's Ed25519 key pair, multibase-encoded (the file is kept outside git and must be backed up). */
export type IssuerKey = { publicKeyMultibase: string; secretKeyMultibase: string };

/** Reads the issuer key, or creates it (mode 0600) on first start. */
export async function loadOrCreateIssuerKey(file: string): Promise<IssuerKey> {
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<IssuerKey>;
    if (typeof parsed.publicKeyMultibase !== 'string' || typeof parsed.secretKeyMultibase !== 'string') throw new Error(`${file} is not an issuer key file`);
    return { publicKeyMultibase: parsed.publicKeyMultibase, secretKeyMultibase: parsed.secretKeyMultibase };
  }
  const pair = await Ed25519Multikey.generate();
  const exported = await pair.export({ publicKey: true, secretKey: true, includeContext: false });
  const key = { publicKeyMultibase: exported.publicKeyMultibase as string, secretKeyMultibase: exported.secretKeyMultibase as string };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...key, createdAt: new Date().toISOString(), note: 'REX VET Mentor Open Badges issuer key. Back it up; never commit it.' }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** Where the issuer lives: its Profile id (also its controller document) and the key's verification method id. */
export type IssuerIds = { issuerId: string; verificationMethod: string };

export function issuerIds(publicBaseUrl: string, key: Pick<IssuerKey, 'publicKeyMultibase'>): IssuerIds {
  const issuerId = `${publicBaseUrl.replace(/\/$/, '')}/badges/issuer`;
  return { issuerId, verificationMethod: `${issuerId}#${key.publicKeyMultibase}` };
}

export type IssuerProfile = { name: string; url: string; email?: string; image?: string; description?: string };

/** The public key as a Multikey verification method. */
export function verificationMethodDocument(ids: IssuerIds, key: Pick<IssuerKey, 'publicKeyMultibase'>) {
  return { '@context': 'https://w3id.org/security/multikey/v1', id: ids.verificationMethod, type: 'Multikey', controller: ids.issuerId, publicKeyMultibase: key.publicKeyMultibase };
}

/**
 * What `GET <issuerId>` answers: a controller document listing the key under `assertionMethod` (so verifiers find
 * that the key's controller is the issuer), with the issuer's Profile fields beside it.
 */
export function issuerDocument(ids: IssuerIds, key: Pick<IssuerKey, 'publicKeyMultibase'>, profile: IssuerProfile) {
  const { '@context': _context, ...method } = verificationMethodDocument(ids, key);
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: ids.issuerId,
    verificationMethod: [method],
    assertionMethod: [ids.verificationMethod],
    profile: {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: ids.issuerId,
      type: ['Profile'],
      ...profile,
    },
  };
}

/** Signs a credential with a Data Integrity proof (eddsa-rdfc-2022). */
export async function signCredential(credential: object, key: IssuerKey, ids: IssuerIds, date?: string): Promise<Record<string, unknown>> {
  const pair = await Ed25519Multikey.from({ id: ids.verificationMethod, controller: ids.issuerId, ...key });
  const suite = new DataIntegrityProof({ signer: pair.signer(), cryptosuite, ...(date ? { date } : {}) });
  return vc.issue({ credential, suite, documentLoader: documentLoader() });
}

export type Verification = { verified: boolean; revoked: boolean | null; problems: string[] };

type StatusEntry = { type?: string; statusPurpose?: string; statusListIndex?: string; statusListCredential?: string };

/**
 * Verifies a credential as a relying party would: the proof (eddsa-rdfc-2022, key controlled by the issuer), then
 * its BitstringStatusList entry — the list credential verified too, issued by the same issuer, the bit read
 * most-significant first. `resolve` answers for the URLs a verifier would fetch (the issuer document, the status
 * list); nothing else is loaded. `now` is the moment to check validity at (the injected clock).
 */
export async function verifyCredential(credential: object, resolve: (url: string) => Promise<unknown | null>, now?: Date): Promise<Verification> {
  const loader = documentLoader(resolve);
  const suite = new DataIntegrityProof({ cryptosuite });
  const result = await vc.verifyCredential({ credential, suite, documentLoader: loader, checkStatus: async () => ({ verified: true }), ...(now ? { now } : {}) });
  const problems = result.verified ? [] : collectErrors(result);
  let revoked: boolean | null = null;
  const entry = (credential as { credentialStatus?: StatusEntry }).credentialStatus;
  if (entry) {
    try {
      revoked = await readStatus(credential as { issuer?: unknown }, entry, resolve, now);
    } catch (error) {
      problems.push(`status: ${(error as Error).message}`);
    }
  }
  return { verified: problems.length === 0, revoked, problems };
}

async function readStatus(credential: { issuer?: unknown }, entry: StatusEntry, resolve: (url: string) => Promise<unknown | null>, now?: Date): Promise<boolean> {
  if (entry.type !== 'BitstringStatusListEntry' || entry.statusPurpose !== 'revocation' || !entry.statusListCredential) throw new Error('unsupported credentialStatus');
  const list = (await resolve(entry.statusListCredential)) as { issuer?: unknown; type?: string[]; credentialSubject?: { type?: string; statusPurpose?: string; encodedList?: string } } | null;
  if (!list) throw new Error(`status list ${entry.statusListCredential} not available`);
  const checked = await vc.verifyCredential({ credential: list, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: documentLoader(resolve), ...(now ? { now } : {}) });
  if (!checked.verified) throw new Error(`status list not verified: ${collectErrors(checked).join('; ')}`);
  const issuerOf = (x: unknown) => (typeof x === 'string' ? x : (x as { id?: string } | undefined)?.id);
  if (!issuerOf(list.issuer) || issuerOf(list.issuer) !== issuerOf(credential.issuer)) throw new Error('the status list has another issuer');
  const subject = list.credentialSubject;
  if (!list.type?.includes('BitstringStatusListCredential') || subject?.type !== 'BitstringStatusList' || subject.statusPurpose !== 'revocation' || !subject.encodedList) {
    throw new Error('not a revocation BitstringStatusList');
  }
  const bits = await decodeList({ encodedList: subject.encodedList });
  const index = Number(entry.statusListIndex);
  if (!Number.isInteger(index) || index < 0 || index >= STATUS_LIST_LENGTH) throw new Error('status index outside the list');
  return bits.getStatus(index);
}

function collectErrors(result: { error?: unknown; results?: unknown[] }): string[] {
  const out: string[] = [];
  const add = (e: unknown) => {
    if (!e) return;
    if (Array.isArray(e)) return e.forEach(add);
    const err = e as { message?: string; errors?: unknown[] };
    if (err.errors) add(err.errors);
    else out.push(err.message ?? String(e));
  };
  add(result.error);
  for (const r of (result.results ?? []) as { error?: unknown }[]) add(r.error);
  return out.length > 0 ? [...new Set(out)] : ['not verified'];
}
