import crypto from 'node:crypto';
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { localised } from '../../lib/i18n.js';
import { badgePng } from './badge-image.js';
import { BadgesRepository, type AwardRow, type BadgeClassRow } from './badges.repository.js';
import { buildCredential, STATUS_LIST_LENGTH } from './ob3/credential.js';
import { issuerDocument, issuerIds, loadOrCreateIssuerKey, signCredential, verificationMethodDocument, verifyCredential, type IssuerIds, type IssuerKey, type Verification } from './ob3/signing.js';

export type IssuerConfig = { publicBaseUrl: string; keyFile: string; name: string; url: string; email?: string };

/**
 * The Open Badges issuer: its key, its public documents (issuer/controller document, verification method, signed
 * revocation list), and signing + verifying one credential. Everything a verifier fetches is built here from the
 * database and the key, so every instance answers the same.
 */
export class BadgeIssuer {
  readonly ids: IssuerIds;
  readonly base: string;
  private statusCache: { revision: string; credential: Record<string, unknown> } | null = null;

  private constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly config: IssuerConfig,
    private readonly key: IssuerKey,
  ) {
    this.base = config.publicBaseUrl.replace(/\/$/, '');
    this.ids = issuerIds(this.base, key);
  }

  static async open(db: Db, clock: Clock, config: IssuerConfig): Promise<BadgeIssuer> {
    return new BadgeIssuer(db, clock, config, await loadOrCreateIssuerKey(config.keyFile));
  }

  get statusListUrl() {
    return `${this.base}/badges/status/revocation`;
  }
  credentialUrl(awardId: string) {
    return `${this.base}/badges/c/${awardId}`;
  }
  achievementUrl(badgeId: string) {
    return `${this.base}/badges/achievements/${badgeId}`;
  }
  imageUrl(badgeId: string) {
    return `${this.base}/badges/images/${badgeId}.png`;
  }
  frameworkUrl(code: string) {
    return `${this.base}/badges/framework#${code}`;
  }

  profile() {
    return { name: this.config.name, url: this.config.url, ...(this.config.email ? { email: this.config.email } : {}) };
  }

  issuerDocument() {
    return issuerDocument(this.ids, this.key, this.profile());
  }

  /** The signed BitstringStatusList credential, re-signed only when a revocation changed it. */
  async statusListCredential(): Promise<Record<string, unknown>> {
    const revoked = await new BadgesRepository(this.db).revokedIndexes();
    const revision = `${revoked.length}:${Math.max(0, ...revoked.map((r) => r.revokedAt!.getTime()))}`;
    if (this.statusCache?.revision === revision) return this.statusCache.credential;
    const list = await createList({ length: STATUS_LIST_LENGTH });
    for (const r of revoked) if (r.statusIndex >= 0 && r.statusIndex < STATUS_LIST_LENGTH) list.setStatus(r.statusIndex, true);
    const unsigned = await createCredential({ id: this.statusListUrl, list, statusPurpose: 'revocation' });
    const credential = await signCredential({ ...unsigned, issuer: this.ids.issuerId, validFrom: `${this.clock.now().toISOString().slice(0, 19)}Z` }, this.key, this.ids);
    this.statusCache = { revision, credential };
    return credential;
  }

  /** The bot's own public documents, for verifying in-process exactly what a verifier would fetch. */
  resolve = async (url: string): Promise<unknown | null> => {
    if (url === this.ids.issuerId) return this.issuerDocument();
    if (url === this.ids.verificationMethod) return verificationMethodDocument(this.ids, this.key);
    if (url === this.statusListUrl) return this.statusListCredential();
    return null;
  };

  verify(credential: object): Promise<Verification> {
    return verifyCredential(credential, this.resolve, this.clock.now());
  }

  /** The Achievement as published at its id. */
  achievement(b: BadgeClassRow, lang: string, areaName?: string, levelName?: string) {
    return {
      id: this.achievementUrl(b.id),
      name: localised(b.content.name, lang),
      description: localised(b.content.description, lang),
      criteria: localised(b.content.criteria, lang),
      image: this.imageUrl(b.id),
      ...(b.areaId && b.level
        ? { alignment: { targetName: `${areaName ?? b.areaId} — ${levelName ?? b.level}`, targetUrl: this.frameworkUrl(`${b.areaId}-${b.level}`), targetFramework: 'REX VET international competence framework', targetCode: `${b.areaId}-${b.level}` } }
        : {}),
    };
  }

  /** The picture's design for a badge class: area code (or the ladder's word), level stars, name. */
  imageSpec(b: BadgeClassRow, name: string) {
    const stars = b.kind === 'meta' ? 5 : { L2: 1, L3: 2, L4: 3 }[b.level as 'L2' | 'L3' | 'L4'] ?? 1;
    return { code: b.areaId ?? (b.id === 'META-EXPERT' ? 'EXPERT' : 'INT'), name, colour: b.content.colour, stars, footer: 'REX VET' };
  }

  image(b: BadgeClassRow, lang: string): Buffer {
    return badgePng(this.imageSpec(b, localised(b.content.name, lang)));
  }

  /**
   * Signs a new credential and verifies it (signature, issuer, status) before it is stored: nothing unverifiable is
   * ever handed out. The status-list index is random (a position says nothing about when or to whom it was issued).
   */
  async issue(input: { personId: string; badge: BadgeClassRow; achievement: ReturnType<BadgeIssuer['achievement']>; email: string; evidence: { name: string; narrative: string; id?: string }[]; awardedBy: string }): Promise<{ award: AwardRow; created: boolean }> {
    const repo = new BadgesRepository(this.db);
    const standing = await repo.standing(input.personId, input.badge.id);
    if (standing) return { award: standing, created: false };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const id = crypto.randomUUID();
      const statusIndex = crypto.randomInt(STATUS_LIST_LENGTH);
      const issuedAt = this.clock.now();
      const credential = await signCredential(
        buildCredential({
          id: this.credentialUrl(id),
          validFrom: issuedAt,
          issuer: { id: this.ids.issuerId, ...this.profile() },
          achievement: input.achievement,
          recipientEmail: input.email,
          evidence: input.evidence,
          status: { listUrl: this.statusListUrl, index: statusIndex },
        }),
        this.key,
        this.ids,
      );
      const check = await this.verify(credential);
      if (!check.verified || check.revoked !== false) throw new Error(`issued credential did not verify: ${check.problems.join('; ') || 'status'}`);
      try {
        return { award: await repo.create({ id, personId: input.personId, badgeClassId: input.badge.id, statusIndex, credential, awardedBy: input.awardedBy, issuedAt }), created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const raced = await repo.standing(input.personId, input.badge.id);
        if (raced) return { award: raced, created: false };
        // The random status index was taken: draw again.
      }
    }
    throw new Error('could not allocate a status list index');
  }
}
