import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { hashLinkToken, newLinkToken } from '../../lib/link-token.js';
import { PersonalDataRepository } from './personal-data.repository.js';
import { IdentityMatcher } from './pseudonym.js';

const VALID_MS = 15 * 60_000;

/** Everything stored about one person (Art. 15/20), as stored: the JSON file of `my data`. */
export type PersonalData = NonNullable<Awaited<ReturnType<typeof personalData>>>;

export async function personalData(db: Db, personId: string, at: Date) {
  const repo = new PersonalDataRepository(db);
  const all = await repo.everything(personId);
  if (!all) return null;
  const { person, ...rest } = all;
  const { reminderPrefs, digestPrefs, ...profile } = person;
  const refs = await repo.auditRefs(personId);
  const own = new Set(refs.own);
  const match = new IdentityMatcher(person);
  // Entries about other people's plans shared with them count only where they name them.
  const auditLog = (await repo.auditCandidates(refs)).filter((e) => e.actor === `person:${personId}` || own.has(e.target ?? '') || match.mentions([e.target, e.details]));
  return {
    about: 'Everything REX VET Mentor stores about you, as stored. Times are UTC. Conversations and jobs are listed by id and kind only.',
    exportedAt: at.toISOString(),
    profile,
    preferences: { reminders: reminderPrefs, digest: digestPrefs },
    ...rest,
    auditLog,
  };
}

/** A 15-minute link to the person's own data. The token is random and bound to them; only its hash is stored. */
export async function createPersonalExport(deps: { db: Db; clock: Clock }, personId: string, lang: string): Promise<{ token: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const { token, tokenHash } = newLinkToken();
  const expiresAt = new Date(now.getTime() + VALID_MS);
  await deps.db.privacyExport.deleteMany({ where: { personId, expiresAt: { lte: now } } });
  await deps.db.privacyExport.create({ data: { tokenHash, personId, lang, expiresAt, createdAt: now } });
  return { token, expiresAt };
}

/** The data behind a link while it is valid, made now from what is stored now (an erased person's link finds nothing). */
export async function personalExport(db: Db, clock: Clock, token: string): Promise<{ data: PersonalData; lang: string } | null> {
  const now = clock.now();
  const link = await db.privacyExport.findUnique({ where: { tokenHash: hashLinkToken(token) } });
  if (!link || link.expiresAt <= now) return null;
  const data = await personalData(db, link.personId, now);
  return data ? { data, lang: link.lang } : null;
}
