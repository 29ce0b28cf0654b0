import { isUniqueViolation } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { localised, resolveLanguage, translator } from '../../lib/i18n.js';
import { authorise, type Actor } from '../people/authorise.js';
import { PeopleRepository } from '../people/people.repository.js';
import { PARTNERSHIP } from '../people/roles.js';
import { attendedEvents, awardFacts, awardBadge, type BadgesDeps } from './badges.service.js';
import { badgeStatuses } from './award-rules.js';
import { BadgesRepository } from './badges.repository.js';
import { applicationDecidedCard, reviewCard } from './reviews.cards.js';

export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

function findApplication(deps: Pick<BadgesDeps, 'db'>, id: string) {
  return deps.db.badgeApplication.findUnique({
    where: { id },
    include: { person: { select: { id: true, name: true, organisationId: true, language: true, clientLocale: true } }, badgeClass: true },
  });
}

/** The statement notes behind an application: the person's own evidence for the area's statements rated 3 or 4. */
export async function statementEvidence(deps: Pick<BadgesDeps, 'db'>, personId: string, areaId: string | null, lang: string) {
  if (!areaId) return [];
  const latest = await deps.db.assessment.findFirst({
    where: { personId, status: 'completed' },
    orderBy: { completedAt: 'desc' },
    select: { answers: { where: { score: { gte: 3 }, evidence: { not: null } }, select: { score: true, evidence: true, statementId: true } } },
  });
  const statements = await deps.db.statement.findMany({ where: { areaId }, select: { id: true, text: true } });
  return (latest?.answers ?? [])
    .filter((a) => statements.some((s) => s.id === a.statementId) && a.evidence?.trim())
    .map((a) => ({ statement: localised(statements.find((s) => s.id === a.statementId)!.text, lang), score: a.score, evidence: a.evidence! }));
}

/**
 * The person applies for a badge that needs review, with what shows it. Only badges the rules say they may apply
 * for; one open application per badge (a double click or a replay finds the first one). Reviewers — coordinators
 * and mentors granted for the person's organisation or the partnership — get a review card.
 */
export async function applyForBadge(deps: BadgesDeps, personId: string, input: { badgeId: string; evidence: string; link?: string }) {
  const person = await new PeopleRepository(deps.db).findById(personId);
  if (!person) throw new AppError('not_found');
  const { facts, areaIds } = await awardFacts(deps.db, personId);
  const status = badgeStatuses(areaIds, facts).find((s) => s.badgeId === input.badgeId);
  if (status?.status !== 'apply') throw new AppError('stale_card');
  let application;
  try {
    application = await deps.db.badgeApplication.create({
      data: { personId, badgeClassId: input.badgeId, evidence: input.evidence, link: input.link ?? null, openKey: `${personId}:${input.badgeId}`, createdAt: deps.clock.now() },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const open = await deps.db.badgeApplication.findUniqueOrThrow({ where: { openKey: `${personId}:${input.badgeId}` } });
    return { application: open, created: false, reviewers: 0 };
  }
  const reviewers = await notifyReviewers(deps, application.id);
  await new PeopleRepository(deps.db).audit({ actor: `person:${personId}`, action: 'badge.apply', target: `application:${application.id}`, details: { badgeId: input.badgeId } });
  return { application, created: true, reviewers };
}

async function notifyReviewers(deps: BadgesDeps, applicationId: string): Promise<number> {
  const app = (await findApplication(deps, applicationId))!;
  const people = new PeopleRepository(deps.db);
  const scopes = [PARTNERSHIP, ...(app.person.organisationId ? [app.person.organisationId] : [])];
  const holders = [...(await people.holdersOf('coordinator', scopes)), ...(await people.holdersOf('mentor', scopes))];
  let told = 0;
  for (const reviewerId of new Set(holders.map((h) => h.personId))) {
    if (reviewerId === app.personId) continue;
    const reviewer = await people.findById(reviewerId);
    if (!reviewer) continue;
    const lang = resolveLanguage([reviewer.language, reviewer.clientLocale], deps.defaultLanguage);
    const t = translator(lang);
    const notes = await statementEvidence(deps, app.personId, app.badgeClass.areaId, lang);
    const events = await attendedEvents(deps.db, app.personId, app.badgeClass.areaId, lang);
    const result = await deps.notifier.sendToPerson(reviewerId, reviewCard(t, lang, app, notes, events), t('badges.review.summary', { name: app.person.name ?? '' }), `application:${app.id}`);
    if (result.status !== 'unreachable') told += 1;
  }
  return told;
}

export type ReviewDecision = 'approve' | 'more' | 'decline';

/**
 * A reviewer decides. Authorised against the applicant's organisation as stored (never the card's data); nobody
 * reviews their own application; a double click, a replay or a second reviewer's late click changes nothing.
 */
export async function reviewApplication(deps: BadgesDeps, actor: Actor, input: { applicationId: string; decision: ReviewDecision; comment: string }) {
  const app = await findApplication(deps, input.applicationId);
  if (!app) throw new AppError('not_found');
  if (app.personId === actor.personId) throw new AppError('forbidden');
  if (!authorise(actor, 'badges.review', { organisationId: app.person.organisationId }).allowed) throw new AppError('forbidden');
  if (input.decision !== 'approve' && !input.comment.trim()) throw new AppError('invalid_input');
  const status = { approve: 'approved', more: 'more', decline: 'declined' }[input.decision];
  const { count } = await deps.db.badgeApplication.updateMany({
    where: { id: app.id, status: 'pending' },
    data: { status, openKey: null, decidedBy: `person:${actor.personId}`, decidedAt: deps.clock.now(), comment: input.comment.trim() || null },
  });
  const decided = (await findApplication(deps, app.id))!;
  if (count === 0) return { application: decided, outcome: 'already' as const };
  await new PeopleRepository(deps.db).audit({ actor: `person:${actor.personId}`, action: `badge.review.${status}`, target: `application:${app.id}`, details: { badgeId: app.badgeClassId } });
  if (input.decision === 'approve') {
    // The reviewer's comment is for the applicant, not for the public credential: the badge records only that it was reviewed.
    try {
      await awardBadge(deps, { personId: app.personId, badgeId: app.badgeClassId, awardedBy: `person:${actor.personId}`, reviewed: true });
    } catch (error) {
      // Not issued (e.g. no e-mail known yet): the application waits again instead of looking approved with no badge.
      await deps.db.badgeApplication.updateMany({ where: { id: app.id, status: 'approved' }, data: { status: 'pending', openKey: `${app.personId}:${app.badgeClassId}`, decidedBy: null, decidedAt: null } });
      throw error;
    }
  } else {
    const lang = resolveLanguage([app.person.language, app.person.clientLocale], deps.defaultLanguage);
    const t = translator(lang);
    await deps.notifier.sendToPerson(app.personId, applicationDecidedCard(t, lang, decided), t(`badges.review.decided.${status}.title`), `application:${app.id}:decided`);
  }
  return { application: decided, outcome: 'decided' as const };
}

export async function applicationForReviewer(deps: BadgesDeps, actor: Actor, applicationId: string) {
  const app = await findApplication(deps, applicationId);
  if (!app) throw new AppError('not_found');
  if (!authorise(actor, 'badges.review', { organisationId: app.person.organisationId }).allowed || app.personId === actor.personId) throw new AppError('forbidden');
  return app;
}

export async function badgeClassFor(deps: Pick<BadgesDeps, 'db'>, badgeId: string) {
  return new BadgesRepository(deps.db).badgeClass(badgeId);
}
