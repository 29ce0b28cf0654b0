import crypto from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { LEVEL_IDS, type LevelId } from './anonymise.js';

const DAY = 86_400_000;

/** A small deterministic random generator, so the same seed gives the same demo organisation. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export type DemoResult = { people: number; assessments: number; plans: number; badges: number; removed: number };

/**
 * Fictitious staff for showing and measuring the mapping: marked `demo`, named "(demo)", e-mails on the reserved
 * `.invalid` domain, assessments spread over the last six months, some plans and badges. Demo badges are never
 * signed: their credential says so, and their public page says it cannot be verified. A re-run replaces the
 * organisation's earlier demo staff.
 */
export async function createDemoData(db: Db, opts: { organisationId: string; staff: number; now: Date; seed?: number }): Promise<DemoResult> {
  const org = await db.organisation.findUnique({ where: { id: opts.organisationId }, include: { units: { select: { id: true } } } });
  if (!org) throw new AppError('unknown_organisation');
  const framework = await db.framework.findFirstOrThrow({ select: { version: true } });
  const areas = (await db.area.findMany({ orderBy: { position: 'asc' }, select: { id: true } })).map((a) => a.id);
  const roles = (await db.jobRole.findMany({ select: { id: true } })).map((r) => r.id);
  const badgeClasses = await db.badgeClass.findMany({ where: { kind: 'area', level: 'L2' }, select: { id: true, areaId: true } });
  const { count: removed } = await db.person.deleteMany({ where: { demo: true, organisationId: opts.organisationId } });
  const rnd = random(opts.seed ?? 1);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const levelFor = (base: number): LevelId => LEVEL_IDS[Math.max(0, Math.min(3, base + Math.floor(rnd() * 3) - 1))]!;
  const result: DemoResult = { people: 0, assessments: 0, plans: 0, badges: 0, removed };
  const tag = `${opts.organisationId}-${Date.now().toString(36)}`;
  for (let start = 0; start < opts.staff; start += 500) {
    const people = [];
    const assessments = [];
    const plans = [];
    const awards = [];
    for (let i = start; i < Math.min(opts.staff, start + 500); i++) {
      const id = `demo-${tag}-${i}`;
      people.push({
        id, teamsUserId: `demo:${tag}:${i}`, name: `Demo person ${i + 1} (demo)`, email: `demo-${i + 1}@${opts.organisationId}.demo.invalid`, organisationId: opts.organisationId,
        unitId: org.units.length ? pick(org.units).id : null, jobRole: roles.length ? pick(roles) : null, language: 'en', demo: true,
        onboardedAt: new Date(opts.now.getTime() - (200 + Math.floor(rnd() * 100)) * DAY), createdAt: opts.now,
      });
      if (rnd() < 0.15) continue; // some staff have not assessed themselves yet
      const base = Math.floor(rnd() * 3);
      const rounds = rnd() < 0.4 ? 2 : 1;
      let lastId = '';
      for (let r = 0; r < rounds; r++) {
        const completedAt = new Date(opts.now.getTime() - Math.floor((r === rounds - 1 ? rnd() * 120 : 130 + rnd() * 50) * DAY));
        const levels = Object.fromEntries(areas.map((a) => [a, levelFor(base + (r === rounds - 1 ? 1 : 0))]));
        lastId = `demo-a-${tag}-${i}-${r}`;
        assessments.push({
          id: lastId, personId: id, status: 'completed', frameworkVersion: framework.version, jobRole: null,
          results: { areas: Object.fromEntries(Object.entries(levels).map(([a, l]) => [a, { mean: LEVEL_IDS.indexOf(l) + 0.5, level: l }])), overall: { mean: base + 0.5, level: LEVEL_IDS[base]! } },
          startedAt: completedAt, completedAt,
        });
      }
      if (rnd() < 0.45) plans.push({ id: `demo-p-${tag}-${i}`, personId: id, assessmentId: lastId, status: 'active', openKey: id, focusAreas: [pick(areas)], checkins: [], createdAt: opts.now });
      if (badgeClasses.length && rnd() < 0.3) {
        const b = pick(badgeClasses);
        awards.push({
          id: crypto.randomUUID(), personId: id, badgeClassId: b.id, activeKey: `${id}:${b.id}`, // Outside the revocation list (demo badges are never published), random so several demo runs never collide.
          statusIndex: 10_000_000 + crypto.randomInt(2_000_000_000),
          credential: { demo: true, note: 'Demo data: not a signed credential.' }, awardedBy: 'demo-data', issuedAt: new Date(opts.now.getTime() - Math.floor(rnd() * 60) * DAY),
        });
      }
    }
    await db.person.createMany({ data: people });
    await db.assessment.createMany({ data: assessments });
    await db.plan.createMany({ data: plans });
    await db.badgeAward.createMany({ data: awards });
    result.people += people.length;
    result.assessments += assessments.length;
    result.plans += plans.length;
    result.badges += awards.length;
  }
  return result;
}
