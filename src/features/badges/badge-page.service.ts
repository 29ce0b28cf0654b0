import type { Db } from '../../db/client.js';
import { localised } from '../../lib/i18n.js';
import { BadgesRepository, type AwardRow, type BadgeClassContent } from './badges.repository.js';
import type { BadgeIssuer } from './issuer.js';
import { bakePng, bakeSvg } from './bake.js';
import { badgePng, badgeSvg } from './badge-image.js';
import type { Verification } from './ob3/signing.js';

export type BadgePageView = {
  award: AwardRow;
  credential: Record<string, unknown>;
  name: string;
  description: string;
  criteria: string;
  recipientName: string | null;
  evidence: { name: string; narrative: string }[];
  alignment: { targetName: string; targetCode: string } | null;
  verification: Verification;
};

/** What the public page shows, checked now: the signature and the revocation list, exactly as a verifier would. */
export async function badgePage(db: Db, issuer: BadgeIssuer, awardId: string, lang: string): Promise<BadgePageView | null> {
  const award = await new BadgesRepository(db).publicAward(awardId);
  if (!award) return null;
  const credential = award.credential as Record<string, unknown>;
  const subject = credential.credentialSubject as { achievement: { alignment?: { targetName: string; targetCode: string }[] } };
  const c = award.badgeClass.content as BadgeClassContent;
  return {
    award,
    credential,
    name: localised(c.name, lang),
    description: localised(c.description, lang),
    criteria: localised(c.criteria, lang),
    recipientName: award.showName ? award.person.name : null,
    evidence: ((credential.evidence ?? []) as { name: string; narrative: string }[]).map((e) => ({ name: e.name, narrative: e.narrative })),
    alignment: subject.achievement.alignment?.[0] ?? null,
    verification: await issuer.verify(credential),
  };
}

/** The badge picture with the credential baked in. */
export async function bakedBadge(db: Db, issuer: BadgeIssuer, awardId: string, format: 'png' | 'svg'): Promise<Buffer | string | null> {
  const award = await new BadgesRepository(db).publicAward(awardId);
  if (!award) return null;
  const badge = await new BadgesRepository(db).badgeClass(award.badgeClassId);
  if (!badge) return null;
  const json = JSON.stringify(award.credential);
  // The picture carries the name as issued (in the recipient's language).
  const name = (award.credential as { credentialSubject: { achievement: { name: string } } }).credentialSubject.achievement.name;
  const spec = issuer.imageSpec(badge, name);
  return format === 'png' ? bakePng(badgePng(spec), json) : bakeSvg(badgeSvg(spec), json);
}
