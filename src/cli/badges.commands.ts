import os from 'node:os';
import type { Env } from '../config/env.js';
import type { Db } from '../db/client.js';
import { BadgesRepository } from '../features/badges/badges.repository.js';
import { awardBadge, revokeBadge } from '../features/badges/badges.service.js';
import { PeopleRepository } from '../features/people/people.repository.js';
import { badgesDeps, openBadgeIssuer } from '../jobs/runtime.js';
import { systemClock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { localised } from '../lib/i18n.js';
import type { Logger } from '../lib/logger.js';

type Out = (line: string) => void;
const actor = () => `cli:${os.userInfo().username}`;

export async function listBadges(db: Db, out: Out): Promise<number> {
  for (const b of await new BadgesRepository(db).classes()) out(`${b.id.padEnd(18)} ${localised(b.content.name, 'en')}`);
  return 0;
}

/** Awards a badge to a person known by e-mail; the last line printed is the credential's public URL. */
export async function awardFromCli(deps: { env: Env; db: Db; logger: Logger }, opts: { email: string; badge: string; note?: string }, out: Out): Promise<number> {
  const repo = new PeopleRepository(deps.db);
  const exact = await repo.findByEmail(opts.email.trim());
  const people = exact.length ? exact : await repo.findByEmail(opts.email.trim().toLowerCase());
  if (people.length !== 1) {
    out(people.length === 0 ? `No one with the e-mail ${opts.email} has talked to the bot yet.` : `Several people have the e-mail ${opts.email}; nothing was awarded.`);
    return 1;
  }
  if (!(await new BadgesRepository(deps.db).badgeClass(opts.badge))) {
    out(`No badge "${opts.badge}". See: npm run cli -- list-badges`);
    return 1;
  }
  const issuer = await openBadgeIssuer(deps.env, deps.db, systemClock);
  try {
    const { award, created, url } = await awardBadge(badgesDeps({ ...deps, clock: systemClock, badges: issuer }), { personId: people[0]!.id, badgeId: opts.badge, awardedBy: actor(), note: opts.note });
    out(created ? `Awarded ${award.badgeClassId} to ${people[0]!.name ?? opts.email}; they are told in Teams.` : `${people[0]!.name ?? opts.email} already holds ${award.badgeClassId}; nothing changed.`);
    out(url);
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'badge_no_email') {
      out('Teams has not told the bot this person\'s e-mail yet; nothing was awarded.');
      return 1;
    }
    throw error;
  }
}

export async function revokeFromCli(deps: { env: Env; db: Db; logger: Logger }, opts: { credential: string; reason: string }, out: Out): Promise<number> {
  const issuer = await openBadgeIssuer(deps.env, deps.db, systemClock);
  try {
    const { award, revoked } = await revokeBadge(badgesDeps({ ...deps, clock: systemClock, badges: issuer }), { ref: opts.credential.trim(), reason: opts.reason.trim(), actor: actor() });
    out(revoked ? `Revoked ${award.badgeClassId} (${issuer.credentialUrl(award.id)}): verifiers now see it as revoked.` : `Already revoked on ${award.revokedAt!.toISOString()}; nothing changed.`);
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      out(`No badge credential "${opts.credential}" was issued here.`);
      return 1;
    }
    throw error;
  }
}
