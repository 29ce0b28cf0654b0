import type { Db } from '../../db/client.js';
import { JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { localised, resolveLanguage, translator } from '../../lib/i18n.js';
import type { Notifier } from '../../lib/notifier.js';
import { formatInZone } from '../../lib/time.js';
import { areaName, levelName, loadFramework } from '../assessment/framework.repository.js';
import type { Level } from '../assessment/scoring.js';
import { LearningRepository } from '../learning/learning.repository.js';
import { PeopleRepository } from '../people/people.repository.js';
import { badgeStatuses, type AwardFacts, type BadgeStatus } from './award-rules.js';
import { badgeEarnedCard } from './badges.cards.js';
import { BadgesRepository, type AwardRow, type BadgeClassContent } from './badges.repository.js';
import { noticeCard } from '../people/people.cards.js';
import type { BadgeIssuer } from './issuer.js';

export type BadgesDeps = { db: Db; clock: Clock; issuer: BadgeIssuer; notifier: Notifier; defaultLanguage: string };

/** Events the person confirmed they attended (not cancelled), oldest first: evidence for each area the event lists. */
function attendedRows(db: Db, personId: string) {
  return db.rsvp.findMany({
    where: { personId, status: 'attended', event: { cancelledAt: null } },
    orderBy: { event: { startsAt: 'asc' } },
    select: { event: { select: { title: true, startsAt: true, endsAt: true, timeZone: true, areas: true } } },
  });
}

/** Attendance as evidence for one area: what (the event's title) and when (its dates in its own zone) — nothing personal. */
export async function attendedEvents(db: Db, personId: string, areaId: string | null, lang: string): Promise<{ title: string; dates: string }[]> {
  if (!areaId) return [];
  return (await attendedRows(db, personId))
    .filter((r) => (r.event.areas as string[]).includes(areaId))
    .map(({ event: e }) => {
      const [start, end] = [formatInZone(e.startsAt, e.timeZone).slice(0, 10), formatInZone(e.endsAt, e.timeZone).slice(0, 10)];
      return { title: localised(e.title, lang), dates: start === end ? start : `${start} – ${end}` };
    });
}

/** What the award rules need about one person, from the database. */
export async function awardFacts(db: Db, personId: string): Promise<{ facts: AwardFacts; areaIds: string[] }> {
  const [latest, progress, modules, classes, held, framework, attended] = await Promise.all([
    db.assessment.findFirst({ where: { personId, status: 'completed' }, orderBy: { completedAt: 'desc' }, select: { results: true, answers: { select: { statementId: true, score: true, evidence: true } } } }),
    new LearningRepository(db).allProgress(personId),
    new LearningRepository(db).modules(),
    new BadgesRepository(db).classes(),
    db.badgeAward.findMany({ where: { personId, revokedAt: null }, select: { badgeClassId: true } }),
    loadFramework(db),
    attendedRows(db, personId),
  ]);
  const results = (latest?.results ?? { areas: {} }) as { areas: Record<string, { level: Level }> };
  const statementArea = new Map(framework.areas.flatMap((a) => a.statements.map((s) => [s.id, a.id] as const)));
  const evidence: AwardFacts['evidence'] = {};
  for (const a of latest?.answers ?? []) {
    const area = statementArea.get(a.statementId);
    if (area) (evidence[area] ??= []).push({ score: a.score, evidenced: !!a.evidence?.trim() });
  }
  const attendedPerArea: AwardFacts['attended'] = {};
  for (const r of attended) for (const area of r.event.areas as string[]) attendedPerArea[area] = (attendedPerArea[area] ?? 0) + 1;
  const moduleMap: AwardFacts['modules'] = {};
  for (const m of modules) {
    if (m.transition === 'L1->L2') (moduleMap[m.areaId] ??= {}).explorer = m.id;
    if (m.transition === 'L2->L3') (moduleMap[m.areaId] ??= {}).practitioner = m.id;
  }
  return {
    areaIds: framework.areas.map((a) => a.id),
    facts: {
      assessed: Object.fromEntries(Object.entries(results.areas ?? {}).map(([k, v]) => [k, v.level])),
      modulesPassed: new Set(progress.filter((p) => p.passedAt && p.completedAt).map((p) => p.moduleId)),
      modules: moduleMap,
      evidence,
      attended: attendedPerArea,
      held: new Set(held.map((h) => h.badgeClassId)),
      metas: classes.filter((c) => c.kind === 'meta').map((c) => ({ id: c.id, requires: c.content.requires ?? [] })),
    },
  };
}

/**
 * Awards every badge the rules say is earned without review (Explorer, meta-badges), e.g. after a module or an
 * assessment is completed. Idempotent: a badge already held is not issued again.
 */
export async function awardEarnedBadges(deps: BadgesDeps, personId: string): Promise<AwardRow[]> {
  const awarded: AwardRow[] = [];
  for (let round = 0; round < 3; round += 1) {
    const { facts, areaIds } = await awardFacts(deps.db, personId);
    // A badge that was revoked is not issued again by the rules (an admin or coordinator can award it again).
    const revoked = new Set((await deps.db.badgeAward.findMany({ where: { personId, revokedAt: { not: null } }, select: { badgeClassId: true } })).map((r) => r.badgeClassId));
    const earned = badgeStatuses(areaIds, facts).filter((s) => s.status === 'earned' && !revoked.has(s.badgeId));
    if (earned.length === 0) break;
    for (const s of earned) {
      const { award, created } = await awardBadge(deps, { personId, badgeId: s.badgeId, awardedBy: 'rules' });
      if (created) awarded.push(award);
    }
  }
  return awarded;
}

/** Asks the worker to look for badges earned (after a module, an assessment or an event attended), once per reason. */
export async function requestBadgeCheck(db: Db, clock: Clock, personId: string, reason: string): Promise<void> {
  const now = clock.now();
  await new JobQueue(db).enqueue({ kind: 'badge-check', key: `badge-check:${reason}:${personId}`, payload: { personId }, runAt: now, personId }, now);
}

/** Issues one badge (rules, a coordinator, the CLI), tells the person, and returns the award. */
export async function awardBadge(
  deps: BadgesDeps,
  input: { personId: string; badgeId: string; awardedBy: string; note?: string; reviewed?: boolean },
): Promise<{ award: AwardRow; created: boolean; url: string }> {
  const repo = new BadgesRepository(deps.db);
  const badge = await repo.badgeClass(input.badgeId);
  if (!badge) throw new AppError('not_found');
  const person = await new PeopleRepository(deps.db).findById(input.personId);
  if (!person) throw new AppError('not_found');
  const email = person.email ?? person.upn;
  if (!email) throw new AppError('badge_no_email');
  const lang = resolveLanguage([person.language, person.clientLocale], deps.defaultLanguage);
  const framework = await loadFramework(deps.db);
  const achievement = deps.issuer.achievement(badge, lang, badge.areaId ? areaName(framework, badge.areaId, lang) : undefined, badge.level ? levelName(framework, badge.level, lang) : undefined);
  const evidence = await evidenceFor(deps, input.personId, badge.areaId, lang, input.note, input.reviewed);
  const { award, created } = await deps.issuer.issue({ personId: input.personId, badge, achievement, email, evidence, awardedBy: input.awardedBy });
  const url = deps.issuer.credentialUrl(award.id);
  if (created) {
    await new PeopleRepository(deps.db).audit({ actor: input.awardedBy === 'rules' ? 'system' : input.awardedBy, action: 'badge.award', target: `badge:${award.id}`, details: { personId: input.personId, badgeId: badge.id } });
    const t = translator(lang);
    await deps.notifier.sendToPerson(input.personId, badgeEarnedCard(t, lang, deps.issuer, award), t('badges.earned.summary', { name: localised(badge.content.name, lang) }), `badge:${award.id}`);
  }
  return { award, created, url };
}

/** Public, non-private evidence: what was done and when, never the person's own notes. */
async function evidenceFor(deps: BadgesDeps, personId: string, areaId: string | null, lang: string, note?: string, reviewed?: boolean) {
  const t = translator(lang);
  const out: { name: string; narrative: string }[] = [];
  if (note?.trim()) out.push({ name: t('badges.evidence.awardedName'), narrative: note.trim() });
  if (reviewed) out.push({ name: t('badges.evidence.reviewedName'), narrative: t('badges.evidence.reviewed', { date: deps.clock.now().toISOString().slice(0, 10) }) });
  if (!areaId) return out;
  const learning = new LearningRepository(deps.db);
  const modules = (await learning.modules()).filter((m) => m.areaId === areaId);
  for (const p of await learning.allProgress(personId)) {
    const m = modules.find((x) => x.id === p.moduleId);
    if (m && p.passedAt && p.completedAt) {
      out.push({ name: localised(m.content.title, lang), narrative: t('badges.evidence.module', { date: p.completedAt.toISOString().slice(0, 10), score: Math.round((p.bestScore ?? 0) * 100) }) });
    }
  }
  for (const e of await attendedEvents(deps.db, personId, areaId, lang)) out.push({ name: e.title, narrative: t('badges.evidence.event', { dates: e.dates }) });
  const latest = await deps.db.assessment.findFirst({ where: { personId, status: 'completed' }, orderBy: { completedAt: 'desc' }, select: { completedAt: true, results: true } });
  const level = (latest?.results as { areas?: Record<string, { level: string }> } | null)?.areas?.[areaId]?.level;
  if (latest?.completedAt && level) {
    const framework = await loadFramework(deps.db);
    out.push({ name: t('badges.evidence.assessmentName'), narrative: t('badges.evidence.assessment', { date: latest.completedAt.toISOString().slice(0, 10), level: levelName(framework, level, lang) }) });
  }
  return out;
}

/** Finds an award by its id or its public URL. */
export async function findAward(deps: Pick<BadgesDeps, 'db' | 'issuer'>, ref: string): Promise<AwardRow | null> {
  const prefix = deps.issuer.credentialUrl('');
  const id = ref.startsWith(prefix) ? ref.slice(prefix.length).split(/[/?#]/)[0]! : ref.replace(/^urn:uuid:/, '');
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return new BadgesRepository(deps.db).publicAward(id);
}

/** Revokes: the status list says so from now on, the public page shows it, the person is told. Idempotent. */
export async function revokeBadge(deps: BadgesDeps, input: { ref: string; reason: string; actor: string }): Promise<{ award: AwardRow; revoked: boolean }> {
  const found = await findAward(deps, input.ref);
  if (!found) throw new AppError('not_found');
  const revoked = await new BadgesRepository(deps.db).revoke(found.id, input.reason, deps.clock.now());
  if (revoked) {
    await new PeopleRepository(deps.db).audit({ actor: input.actor, action: 'badge.revoke', target: `badge:${found.id}`, details: { reason: input.reason } });
    const lang = resolveLanguage([found.person.language, found.person.clientLocale], deps.defaultLanguage);
    const t = translator(lang);
    const name = localised((found.badgeClass.content as BadgeClassContent).name, lang);
    await deps.notifier.sendToPerson(found.personId, noticeCard({ title: t('badges.revoked.title'), text: t('badges.revoked.text', { name, reason: input.reason }), tone: 'warning' }), t('badges.revoked.title'), `badge-revoked:${found.id}`);
  }
  return { award: (await new BadgesRepository(deps.db).award(found.id))!, revoked };
}

export type MyBadges = { awards: AwardRow[]; statuses: BadgeStatus[] };

export async function myBadges(deps: Pick<BadgesDeps, 'db'>, personId: string): Promise<MyBadges> {
  const { facts, areaIds } = await awardFacts(deps.db, personId);
  return { awards: await new BadgesRepository(deps.db).awardsOf(personId), statuses: badgeStatuses(areaIds, facts) };
}
