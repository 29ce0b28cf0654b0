import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { hashLinkToken, newLinkToken } from '../../lib/link-token.js';
import { PersonalDataRepository } from './personal-data.repository.js';
import { IdentityMatcher } from './pseudonym.js';

const VALID_MS = 15 * 60_000;

/** Everything stored about one person (Art. 15/20), as stored: the JSON file of `my data`. */
export type PersonalData = NonNullable<Awaited<ReturnType<typeof personalData>>>;

type StoredRows = { kind?: string; rows?: unknown[][] };

export async function personalData(db: Db, personId: string, at: Date) {
  const repo = new PersonalDataRepository(db);
  const all = await repo.everything(personId);
  if (!all) return null;
  const { person, ...rest } = all;
  const { reminderPrefs, digestPrefs, ...profile } = person;
  const match = new IdentityMatcher(person);
  // Where they appear in other rows: the same finder as the erasure, shown with what names them (not other people's ids).
  const found = await repo.appearances(person);
  return {
    about: 'Everything REX VET Mentor stores about you, as stored. Times are UTC. Your own chats and the jobs addressed to you are listed by kind and status only; messages to other people about you, team chats and download links that name you are shown with what they hold about you.',
    exportedAt: at.toISOString(),
    profile,
    preferences: { reminders: reminderPrefs, digest: digestPrefs },
    ...rest,
    announcements: found.announcements,
    eventsCreated: found.eventsCreated,
    sharedChats: found.sharedChats.map(({ kind, teamName, channelName, reference }) => ({ kind, teamName, channelName, reference })),
    messagesAboutYou: found.messagesToOthers.map(({ kind, status, createdAt, finishedAt, payload }) => {
      const { to: _recipient, ...content } = (payload ?? {}) as Record<string, unknown>;
      return { kind, status, createdAt, finishedAt, content };
    }),
    downloadLinks: found.exportLinks.map((l) => {
      const rows = ((l.data ?? {}) as StoredRows).kind === 'rows' ? ((l.data as StoredRows).rows ?? []) : [];
      return { organisationId: l.organisationId, format: l.format, expiresAt: l.expiresAt, madeByYou: l.createdBy === `person:${personId}`, rowsNamingYou: rows.filter((r, i) => i === 0 || match.mentions(r)) };
    }),
    auditLog: found.auditLog,
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
