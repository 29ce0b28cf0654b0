import crypto from 'node:crypto';
import type { Db, Prisma } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { PersonalDataRepository, type Appearances } from './personal-data.repository.js';
import { IdentityMatcher, pseudonym } from './pseudonym.js';

export type EraseDeps = { db: Db; clock: Clock; pseudonymKey: string };

/** `request`: the person asked (`delete my data`); `retention`: unused for longer than the retention period. */
export type EraseReason = 'request' | 'retention';

export type EraseResult = { erased: false } | { erased: true; pseudonym: string; badgesKept: number };

type Tx = Prisma.TransactionClient;

/** Demo awards (`demo-data`) are no credentials: they go with the person. */
const DEMO_AWARD = 'demo-data';

/**
 * Erases a person (Art. 17) in one transaction, so nothing is ever half erased; a second call finds nobody and does
 * nothing. The Person row is deleted, and with it (cascade) everything that is theirs: grants, requests,
 * assessments with answers, evidence and language ratings, plans and steps, interests, targets, shares both ways,
 * module progress, RSVPs, badge applications, jobs to them, their 1:1 conversations, `my data` links.
 *
 * Kept, without the person: the audit log (their ids, e-mail, UPN and name replaced by a keyed pseudonym, also where
 * they granted, decided or awarded something for others); issued badges, moved to a tombstone row with no personal
 * field so that their status-list entries and public pages keep verifying (the page shows no name); announcements
 * and events they published (drafts are deleted), with their identifiers replaced in what was typed. Messages to
 * others about their requests and applications are emptied, and cancelled while still queued; other messages that
 * name them get the pseudonym; a team or group chat whose stored reference names them keeps no user in it; download
 * links they made or whose table names them are deleted. Where they appear is found by the same finder as `my data`
 * (PersonalDataRepository.appearances).
 *
 * `inactiveBefore` (retention) re-checks inside the transaction that the person has not come back meanwhile.
 */
export async function erasePerson(deps: EraseDeps, personId: string, reason: EraseReason, opts: { inactiveBefore?: Date } = {}): Promise<EraseResult> {
  const now = deps.clock.now();
  return deps.db.$transaction(
    async (tx) => {
      const person = await tx.person.findUnique({
        where: { id: personId },
        select: { id: true, teamsUserId: true, aadObjectId: true, name: true, email: true, upn: true, erasedAt: true, lastSeenAt: true },
      });
      if (!person || person.erasedAt) return { erased: false } as const;
      if (opts.inactiveBefore && person.lastSeenAt >= opts.inactiveBefore) return { erased: false } as const;
      const alias = pseudonym(deps.pseudonymKey, person.id);
      const match = new IdentityMatcher(person);
      const asActor = `person:${person.id}`;

      // Where they appear outside their own rows: the same finder as `my data`.
      const found = await new PersonalDataRepository(tx).appearances(person);
      await pseudonymiseAudit(tx, match, found.auditLog, alias);
      // What they did for others stays, by a pseudonym.
      await tx.grant.updateMany({ where: { grantedBy: asActor }, data: { grantedBy: alias } });
      await tx.accessRequest.updateMany({ where: { decidedBy: asActor }, data: { decidedBy: alias } });
      await tx.badgeApplication.updateMany({ where: { decidedBy: asActor }, data: { decidedBy: alias } });
      await tx.badgeAward.updateMany({ where: { awardedBy: asActor }, data: { awardedBy: alias } });
      await keepPublishedWithoutAuthor(tx, match, found, alias);
      await scrubMessagesToOthers(tx, match, found.messagesToOthers, alias, now);
      await forgetInSharedChats(tx, match, found.sharedChats, person.id);
      await tx.exportLink.deleteMany({ where: { tokenHash: { in: found.exportLinks.map((l) => l.tokenHash) } } });
      const badgesKept = await moveBadgesToTombstone(tx, person.id, now);

      await tx.person.delete({ where: { id: person.id } });
      await tx.auditLog.create({
        data: { at: now, actor: reason === 'request' ? alias : 'system', action: 'privacy.erase', target: alias, details: { reason, badgesKept } },
      });
      return { erased: true, pseudonym: alias, badgesKept } as const;
    },
    // One person's history is a few hundred rows; the synchronous driver is quick, the default 5 s is for a busy file.
    { timeout: 30_000 },
  );
}

async function pseudonymiseAudit(tx: Tx, match: IdentityMatcher, entries: Appearances['auditLog'], alias: string) {
  for (const entry of entries) {
    const details = entry.details === null ? null : match.scrub(entry.details, alias);
    const actor = match.replace(entry.actor, alias);
    const target = entry.target === null ? null : match.replace(entry.target, alias);
    if (actor === entry.actor && target === entry.target && JSON.stringify(details) === JSON.stringify(entry.details)) continue;
    await tx.auditLog.update({ where: { id: entry.id }, data: { actor, target, ...(details === null ? {} : { details: details as Prisma.InputJsonValue }) } });
  }
}

/**
 * Sent announcements and their events are the organisation's: they stay, by a pseudonym, with the person's
 * identifiers replaced wherever they typed them (title, text, description, place; a link naming them is dropped).
 * Drafts (and a draft's hidden event) were the person's own notes.
 */
async function keepPublishedWithoutAuthor(tx: Tx, match: IdentityMatcher, found: Appearances, alias: string) {
  const kept = new Set<string>();
  for (const a of found.announcements) {
    if (a.status === 'draft') {
      await tx.announcement.delete({ where: { id: a.id } });
      continue;
    }
    if (a.eventId) kept.add(a.eventId);
    await tx.announcement.update({
      where: { id: a.id },
      data: {
        createdBy: alias,
        title: match.replace(a.title, alias),
        text: match.replace(a.text, alias),
        imageUrl: match.mentions(a.imageUrl) ? null : a.imageUrl,
        imageAlt: a.imageAlt === null ? null : match.replace(a.imageAlt, alias),
      },
    });
  }
  for (const e of found.eventsCreated) {
    // A scheduled announcement's event is still hidden, but it is the announcement's: it stays with it.
    if (e.draft && !kept.has(e.id)) {
      await tx.event.delete({ where: { id: e.id } });
      continue;
    }
    await tx.event.update({
      where: { id: e.id },
      data: {
        createdBy: alias,
        title: match.scrub(e.title, alias) as Prisma.InputJsonValue,
        ...(e.description === null ? {} : { description: match.scrub(e.description, alias) as Prisma.InputJsonValue }),
        place: e.place === null ? null : match.replace(e.place, alias),
        link: match.mentions(e.link) ? null : e.link,
      },
    });
  }
}

/**
 * Messages to other people. Cards about the person's own requests and applications (to admins and reviewers: their
 * name, e-mail, evidence) lose their subject: the rows stay (other people's delivery history) with an empty
 * payload, and one still queued is cancelled. Any other message that names them (an event change with a place they
 * typed, a decision they made) keeps going, with a pseudonym instead.
 */
async function scrubMessagesToOthers(tx: Tx, match: IdentityMatcher, jobs: Appearances['messagesToOthers'], alias: string, now: Date) {
  const about = jobs.filter((j) => j.about).map((j) => j.id);
  if (about.length) {
    await tx.job.updateMany({ where: { id: { in: about }, status: { in: ['queued', 'leased'] } }, data: { status: 'cancelled', finishedAt: now, leaseOwner: null, lastError: 'the person it was about erased their data' } });
    await tx.job.updateMany({ where: { id: { in: about } }, data: { payload: { erased: true } } });
  }
  for (const j of jobs.filter((x) => !x.about)) await tx.job.update({ where: { id: j.id }, data: { payload: match.scrub(j.payload, alias) as Prisma.InputJsonValue } });
}

/**
 * A team or group chat's stored reference names the person who last wrote there. The bot posts to a channel by its
 * conversation id, so the user is left out; the send log of their own chats goes with them.
 */
async function forgetInSharedChats(tx: Tx, match: IdentityMatcher, chats: Appearances['sharedChats'], personId: string) {
  const own = await tx.conversation.findMany({ where: { personId }, select: { id: true } });
  if (own.length) await tx.sendLog.deleteMany({ where: { conversationId: { in: own.map((c) => c.id) } } });
  for (const c of chats) {
    const { user, ...rest } = (c.reference ?? {}) as Record<string, unknown>;
    const reference = match.scrub(match.mentions(user) ? rest : { ...rest, user }, '') as Prisma.InputJsonValue;
    await tx.conversation.update({ where: { id: c.id }, data: { reference } });
  }
}

/**
 * Issued credentials stay verifiable: their rows (status-list index, signed credential with only a salted hash of
 * the e-mail) move to a tombstone person with no personal field, and the public page stops showing a name. The
 * tombstone has no organisation, onboarding, chat or grant, so no audience, count or digest includes it; person
 * lookups (PeopleRepository) and the notifier skip `erasedAt` rows, so it is never granted, awarded or told anything.
 */
async function moveBadgesToTombstone(tx: Tx, personId: string, now: Date): Promise<number> {
  await tx.badgeAward.deleteMany({ where: { personId, awardedBy: DEMO_AWARD } });
  const awards = await tx.badgeAward.findMany({ where: { personId }, select: { id: true, badgeClassId: true, activeKey: true } });
  if (awards.length === 0) return 0;
  const tombstone = await tx.person.create({ data: { teamsUserId: `erased:${crypto.randomUUID()}`, erasedAt: now, lastSeenAt: now, createdAt: now } });
  for (const a of awards) {
    await tx.badgeAward.update({
      where: { id: a.id },
      data: { personId: tombstone.id, showName: false, activeKey: a.activeKey ? `${tombstone.id}:${a.badgeClassId}` : null },
    });
  }
  return awards.length;
}
