import crypto from 'node:crypto';

export const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** BitstringStatusList: at least 131,072 entries so one credential's bit hides among many (herd privacy). */
export const STATUS_LIST_LENGTH = 131_072;

export type CredentialInput = {
  id: string;
  validFrom: Date;
  issuer: { id: string; name: string; url: string; email?: string; image?: string };
  achievement: {
    id: string;
    name: string;
    description: string;
    criteria: string;
    image: string;
    alignment?: { targetName: string; targetUrl: string; targetFramework: string; targetCode: string };
  };
  recipientEmail: string;
  salt?: string;
  evidence: { name: string; narrative: string; id?: string }[];
  status: { listUrl: string; index: number };
};

/** sha256$<hex> of the lower-cased e-mail and the salt, as Open Badges hashes recipients. */
export function identityHash(email: string, salt: string): string {
  return `sha256$${crypto.createHash('sha256').update(email.trim().toLowerCase() + salt).digest('hex')}`;
}

const isoSeconds = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** An unsigned OpenBadgeCredential (Open Badges 3.0). Every property is defined by the two contexts (JSON-LD safe mode). */
export function buildCredential(input: CredentialInput) {
  const salt = input.salt ?? crypto.randomBytes(16).toString('hex');
  const a = input.achievement;
  return {
    '@context': [VC_V2, OB_V3],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: a.name,
    issuer: {
      id: input.issuer.id,
      type: ['Profile'],
      name: input.issuer.name,
      url: input.issuer.url,
      ...(input.issuer.email ? { email: input.issuer.email } : {}),
      ...(input.issuer.image ? { image: { id: input.issuer.image, type: 'Image' } } : {}),
    },
    validFrom: isoSeconds(input.validFrom),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: identityHash(input.recipientEmail, salt), salt }],
      achievement: {
        id: a.id,
        type: ['Achievement'],
        achievementType: 'Badge',
        name: a.name,
        description: a.description,
        criteria: { narrative: a.criteria },
        image: { id: a.image, type: 'Image', caption: a.name },
        creator: { id: input.issuer.id, type: ['Profile'], name: input.issuer.name },
        ...(a.alignment ? { alignment: [{ type: ['Alignment'], ...a.alignment }] } : {}),
      },
    },
    ...(input.evidence.length ? { evidence: input.evidence.map((e) => ({ ...(e.id ? { id: e.id } : {}), type: ['Evidence'], name: e.name, narrative: e.narrative })) } : {}),
    credentialStatus: {
      id: `${input.status.listUrl}#${input.status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.status.index),
      statusListCredential: input.status.listUrl,
    },
  };
}
