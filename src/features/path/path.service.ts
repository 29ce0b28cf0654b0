import { isUniqueViolation, type Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { AssessmentRepository } from '../assessment/assessment.repository.js';
import { roleProfile, type Results } from '../assessment/assessment.service.js';
import { loadFramework, type Framework } from '../assessment/framework.repository.js';
import { higher, LEVELS, targetLevel, type Level } from '../assessment/scoring.js';
import { LearningRepository, type ModuleRow } from '../learning/learning.repository.js';
import { PARTNERSHIP } from '../people/roles.js';
import { activityTitle, buildCatalogue } from './catalogue.js';
import { PathRepository, type PlanRow } from './path.repository.js';
import { EventsRepository, type EventRow } from '../events/events.repository.js';
import { answerRsvp, rsvpsOf, upcomingEvents, type RsvpStatus } from '../events/events.service.js';
import { recommend, type AreaInput } from './recommend.js';

export type PathDeps = { db: Db; clock: Clock };

const DAY = 86_400_000;
export const CHECKIN_WEEKS = [4, 8, 12];
export const REASSESS_MONTHS = 6;
const DECLINE_MEMORY_DAYS = 90;

export type AreaStatus = { areaId: string; current: Level; target: Level };
export type PathContext = { framework: Framework; modules: ModuleRow[]; areas: Record<string, AreaStatus>; events: EventRow[]; rsvps: Record<string, RsvpStatus> };
export type PathView =
  | { kind: 'needsAssessment' }
  | { kind: 'interests'; framework: Framework; selected: string[] }
  | { kind: 'plan'; plan: PlanRow; ctx: PathContext; assessedAt: Date; now: Date; message?: string; ownerName?: string | null };

/** Levels defined once: current = the higher of the assessed level and the recognised (badge) level. */
async function areaStatuses(deps: PathDeps, personId: string, results: Results, framework: Framework): Promise<Record<string, AreaStatus>> {
  const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { jobRole: true } });
  const profile = await roleProfile(deps.db, person.jobRole);
  const overrides = new Map((await new PathRepository(deps.db).targetOverrides(personId)).map((o) => [o.areaId, o.level as Level]));
  // Recognised levels: the highest area badge the person holds (not revoked), e.g. a reviewed Practitioner badge.
  const held = await deps.db.badgeAward.findMany({ where: { personId, revokedAt: null, badgeClass: { kind: 'area' } }, select: { badgeClass: { select: { areaId: true, level: true } } } });
  const recognised = new Map<string, Level>();
  for (const { badgeClass: b } of held) if (b.areaId && b.level) recognised.set(b.areaId, higher(b.level as Level, recognised.get(b.areaId)));
  return Object.fromEntries(
    framework.areas.map((a) => [
      a.id,
      { areaId: a.id, current: higher(results.areas[a.id]?.level ?? 'L1', recognised.get(a.id)), target: overrides.get(a.id) ?? targetLevel(profile, a.id) },
    ]),
  );
}

async function context(deps: PathDeps, personId: string, results: Results, plan?: PlanRow | null): Promise<PathContext> {
  const framework = await loadFramework(deps.db);
  const modules = await new LearningRepository(deps.db).modules();
  const upcoming = await upcomingEvents(deps, personId);
  // Events already in the plan are shown even once they are past or cancelled.
  const referenced = (plan?.steps ?? []).filter((s) => s.activityId.startsWith('event:')).map((s) => s.activityId.slice(6));
  const extra = await Promise.all(referenced.filter((id) => !upcoming.some((e) => e.id === id)).map((id) => new EventsRepository(deps.db).findById(id)));
  const events = [...upcoming, ...extra.filter((e): e is EventRow => !!e)];
  return { framework, modules, areas: await areaStatuses(deps, personId, results, framework), events, rsvps: await rsvpsOf(deps, personId) };
}

/**
 * `path`: the active plan. The first time (and after each new self-assessment) a plan is made by the recommender;
 * the person is asked once which areas matter to them now. Without an assessment there is nothing to plan from.
 */
export async function openPath(deps: PathDeps, personId: string): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  const [latest] = await new AssessmentRepository(deps.db).completed(personId, 1);
  if (!latest) return { kind: 'needsAssessment' };
  const results = latest.results as Results;
  let plan = await repo.activePlan(personId);
  let carried: PlanRow['steps'] = [];
  if (plan && plan.assessmentId !== latest.id) {
    // A new self-assessment starts a new cycle; the old plan stays as history, its open goals come along.
    carried = plan.steps.filter((s) => s.status === 'accepted');
    await repo.closePlan(plan.id, deps.clock.now());
    plan = null;
  }
  if (!plan) {
    const interests = await repo.interests(personId);
    if (interests.length === 0) return { kind: 'interests', framework: await loadFramework(deps.db), selected: [] };
    plan = await createPlan(deps, personId, latest.id, results, interests.map((i) => i.areaId), carried);
  }
  return { kind: 'plan', plan, ctx: await context(deps, personId, results, plan), assessedAt: latest.completedAt ?? latest.updatedAt, now: deps.clock.now() };
}

async function createPlan(deps: PathDeps, personId: string, assessmentId: string, results: Results, interests: string[], carried: PlanRow['steps'] = []): Promise<PlanRow> {
  const repo = new PathRepository(deps.db);
  const ctx = await context(deps, personId, results);
  const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { jobRole: true, organisation: { select: { strategy: true } } } });
  const profile = await roleProfile(deps.db, person.jobRole);
  const strategy = (person.organisation?.strategy as Record<string, number> | null) ?? {};
  const now = deps.clock.now();
  const excluded = await repo.excluded(personId, new Date(now.getTime() - DECLINE_MEMORY_DAYS * DAY));
  for (const m of await repo.completedModuleIds(personId)) excluded.add(`module:${m.moduleId}`);
  for (const [eventId, status] of Object.entries(ctx.rsvps)) if (status === 'no') excluded.add(`event:${eventId}`);
  for (const s of carried) excluded.add(s.activityId);
  const inputs: AreaInput[] = ctx.framework.areas.map((a) => ({
    areaId: a.id,
    current: ctx.areas[a.id]!.current,
    target: ctx.areas[a.id]!.target,
    roleRelevant: !!profile.targets[a.id] && LEVELS.indexOf(profile.targets[a.id]!) > LEVELS.indexOf(profile.default),
    interested: interests.includes(a.id),
    orgWeight: strategy[a.id] ?? 1,
  }));
  const rookie = (results.overall?.level ?? 'L1') === 'L1';
  const r = recommend(inputs, buildCatalogue(ctx.framework, ctx.modules, ctx.events), excluded, { rookie });
  const checkins = [...CHECKIN_WEEKS.map((w) => new Date(now.getTime() + w * 7 * DAY)), new Date(new Date(now).setMonth(now.getMonth() + REASSESS_MONTHS))].map((d) => d.toISOString());
  try {
    return await repo.createPlan({
      personId,
      assessmentId,
      focusAreas: r.focusAreas,
      checkins,
      createdAt: now,
      steps: [
        ...carried.map((s) => ({
          areaId: s.areaId, activityId: s.activityId, type: s.type, reason: s.reason as object, status: 'accepted',
          goalWhat: s.goalWhat, goalBy: s.goalBy, goalEvidence: s.goalEvidence, goalSupport: s.goalSupport, decidedAt: s.decidedAt,
        })),
        ...r.steps.filter((s) => !carried.some((c) => c.activityId === s.activity.id)).map((s) => ({ areaId: s.activity.areaId, activityId: s.activity.id, type: s.activity.type, reason: s.reason })),
      ],
    });
  } catch (error) {
    // Two turns making the first plan at once: the second finds the first one's plan.
    if (!isUniqueViolation(error)) throw error;
    return (await repo.activePlan(personId))!;
  }
}

/** "Which areas matter to you now?" — saved (an empty answer too), then the plan is made. */
export async function saveInterests(deps: PathDeps, personId: string, areaIds: string[]): Promise<PathView> {
  const framework = await loadFramework(deps.db);
  const known = new Set(framework.areas.map((a) => a.id));
  if (areaIds.some((a) => !known.has(a))) throw new AppError('invalid_input');
  await new PathRepository(deps.db).setInterests(personId, [...new Set(areaIds)]);
  return openPath(deps, personId);
}

async function ownStep(repo: PathRepository, personId: string, stepId: string) {
  const step = await repo.step(stepId);
  if (!step || step.plan.personId !== personId) throw new AppError('not_found');
  return step;
}

async function planView(deps: PathDeps, personId: string, message?: string): Promise<PathView> {
  const view = await openPath(deps, personId);
  return view.kind === 'plan' ? { ...view, message } : view;
}

export type GoalInput = { stepId: string; what: string; by: string; evidence: string; support?: string };

/** Accepting a step makes it a SMART goal: what, by when, how I'll show it, support needed. */
export async function acceptStep(deps: PathDeps, personId: string, input: GoalInput): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  const step = await ownStep(repo, personId, input.stepId);
  const by = new Date(`${input.by}T12:00:00Z`);
  const today = deps.clock.now();
  if (Number.isNaN(by.getTime()) || by.getTime() < today.getTime() - DAY || by.getTime() > today.getTime() + 730 * DAY) throw new AppError('invalid_input');
  const ok = step.plan.status === 'active' && (await repo.transition(step.id, ['proposed', 'accepted'], {
    status: 'accepted', goalWhat: input.what, goalBy: by, goalEvidence: input.evidence, goalSupport: input.support || null, decidedAt: today,
  }));
  return planView(deps, personId, ok ? 'path.messages.accepted' : 'path.messages.stale');
}

export async function declineStep(deps: PathDeps, personId: string, stepId: string): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  const step = await ownStep(repo, personId, stepId);
  const ok = step.plan.status === 'active' && (await repo.transition(step.id, ['proposed'], { status: 'declined', decidedAt: deps.clock.now() }));
  return planView(deps, personId, ok ? 'path.messages.declined' : 'path.messages.stale');
}

/** "Show me another": the next best activity for the same area and level transition replaces the step. */
export async function swapStep(deps: PathDeps, personId: string, stepId: string): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  const step = await ownStep(repo, personId, stepId);
  if (step.plan.status !== 'active' || step.status !== 'proposed') return planView(deps, personId, 'path.messages.stale');
  const now = deps.clock.now();
  const [latest] = await new AssessmentRepository(deps.db).completed(personId, 1);
  const ctx = await context(deps, personId, latest!.results as Results);
  const excluded = await repo.excluded(personId, new Date(now.getTime() - DECLINE_MEMORY_DAYS * DAY));
  const plan = await repo.planById(step.planId);
  for (const s of plan?.steps ?? []) excluded.add(s.activityId);
  for (const [eventId, status] of Object.entries(ctx.rsvps)) if (status === 'no') excluded.add(`event:${eventId}`);
  for (const m of await repo.completedModuleIds(personId)) excluded.add(`module:${m.moduleId}`);
  const area = ctx.areas[step.areaId]!;
  const r = recommend([{ areaId: step.areaId, current: area.current, target: area.target, roleRelevant: false, interested: false, orgWeight: 1 }], buildCatalogue(ctx.framework, ctx.modules, ctx.events), excluded, { rookie: false, maxSteps: 3 });
  const replacement = r.steps.find((s) => s.activity.type !== step.type) ?? r.steps[0];
  if (!replacement) return planView(deps, personId, 'path.messages.noAlternative');
  const swapped = await repo.transition(step.id, ['proposed'], { status: 'swapped', decidedAt: now });
  if (!swapped) return planView(deps, personId, 'path.messages.stale');
  await repo.addStep(step.planId, { areaId: step.areaId, activityId: replacement.activity.id, type: replacement.activity.type, reason: step.reason as object, position: step.position });
  return planView(deps, personId, 'path.messages.swapped');
}

/** Done, with a reflection (required) and an optional evidence link. */
export async function completeStep(deps: PathDeps, personId: string, input: { stepId: string; reflection: string; link?: string }): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  const step = await ownStep(repo, personId, input.stepId);
  const ok = step.plan.status === 'active' && (await repo.transition(step.id, ['proposed', 'accepted'], {
    status: 'done', reflection: input.reflection, evidenceLink: input.link || null, doneAt: deps.clock.now(),
  }));
  return planView(deps, personId, ok ? 'path.messages.done' : 'path.messages.stale');
}

/**
 * Answering an event from its path step is the same RSVP as answering an announcement. Going accepts the step,
 * can't go declines it, maybe leaves it proposed.
 */
export async function rsvpFromStep(deps: PathDeps, personId: string, stepId: string, status: RsvpStatus): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  const step = await ownStep(repo, personId, stepId);
  if (!step.activityId.startsWith('event:') || step.plan.status !== 'active') throw new AppError('invalid_input');
  const now = deps.clock.now();
  try {
    await answerRsvp(deps, personId, step.activityId.slice(6), status);
  } catch (error) {
    const code = error instanceof AppError ? error.code : '';
    // Registration closed or the event cancelled: the plan says so, nothing changes.
    if (status !== 'no' && (code === 'rsvp_closed' || code === 'event_cancelled')) return planView(deps, personId, `path.messages.${code}`);
    // A past or cancelled event cannot be answered any more; "can't go" still takes the step off the plan.
    if (!((code === 'stale_card' || code === 'event_cancelled') && status === 'no')) throw error;
  }
  if (status === 'going') await repo.transition(step.id, ['proposed'], { status: 'accepted', decidedAt: now });
  if (status === 'no') await repo.transition(step.id, ['proposed', 'accepted'], { status: 'declined', decidedAt: now });
  return planView(deps, personId, `path.messages.rsvp_${status}`);
}

/** A completed module is evidence: the matching step of the active plan is done. */
export async function recordModuleCompleted(deps: PathDeps, personId: string, moduleId: string): Promise<void> {
  const repo = new PathRepository(deps.db);
  const plan = await repo.activePlan(personId);
  const step = plan?.steps.find((s) => s.activityId === `module:${moduleId}` && ['proposed', 'accepted'].includes(s.status));
  if (step) await repo.transition(step.id, ['proposed', 'accepted'], { status: 'done', doneAt: deps.clock.now() });
}

/** A step the person may open a form for (its plan is theirs and active), with its title in their language. */
export async function stepForForm(deps: PathDeps, personId: string, stepId: string, lang: string) {
  const step = await ownStep(new PathRepository(deps.db), personId, stepId);
  if (step.plan.status !== 'active') throw new AppError('stale_card');
  const events = step.activityId.startsWith('event:') ? [await new EventsRepository(deps.db).findById(step.activityId.slice(6))].filter((e): e is EventRow => !!e) : [];
  const title = activityTitle(step.activityId, await loadFramework(deps.db), await new LearningRepository(deps.db).modules(), lang, events);
  return { step, title };
}

// ---------- sharing: explicit, per person, revocable ----------

/** Who the person may share their plan with: managers and mentors of their organisation (or the partnership). */
export async function shareCandidates(deps: PathDeps, personId: string) {
  const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { organisationId: true } });
  const scopes = person.organisationId ? [person.organisationId, PARTNERSHIP] : [PARTNERSHIP];
  const grants = await deps.db.grant.findMany({
    where: { role: { in: ['manager', 'mentor'] }, scope: { in: scopes }, personId: { not: personId } },
    select: { role: true, person: { select: { id: true, name: true } } },
  });
  const byPerson = new Map<string, { id: string; name: string; roles: string[] }>();
  for (const g of grants) {
    const entry = byPerson.get(g.person.id) ?? { id: g.person.id, name: g.person.name ?? '?', roles: [] };
    entry.roles.push(g.role);
    byPerson.set(g.person.id, entry);
  }
  return [...byPerson.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export async function sharingStatus(deps: PathDeps, personId: string) {
  const repo = new PathRepository(deps.db);
  const plan = await repo.activePlan(personId);
  return { plan, shares: plan ? await repo.activeShares(plan.id) : [], candidates: await shareCandidates(deps, personId) };
}

export async function sharePlan(deps: PathDeps, personId: string, viewerId: string) {
  const repo = new PathRepository(deps.db);
  const plan = await repo.activePlan(personId);
  if (!plan) throw new AppError('not_found');
  if (!(await shareCandidates(deps, personId)).some((c) => c.id === viewerId)) throw new AppError('invalid_input');
  if (!(await repo.shareFor(plan.id, viewerId))) await repo.createShare(plan.id, viewerId, deps.clock.now());
  await deps.db.auditLog.create({ data: { actor: `person:${personId}`, action: 'plan.share', target: `plan:${plan.id}`, details: { viewerId } } });
}

export async function revokeShare(deps: PathDeps, personId: string, shareId: string) {
  const revoked = await new PathRepository(deps.db).revokeShare(shareId, personId, deps.clock.now());
  // Someone else's share (a forged id) is not theirs to stop; their own, already stopped, is simply stopped.
  if (!revoked) throw new AppError('not_found');
  if (revoked.count) await deps.db.auditLog.create({ data: { actor: `person:${personId}`, action: 'plan.unshare', target: `share:${shareId}` } });
}

/** Shares stay visible only while the viewer still holds a manager or mentor grant over the owner. */
async function stillEligible(deps: PathDeps, ownerId: string, viewerId: string) {
  return (await shareCandidates(deps, ownerId)).some((c) => c.id === viewerId);
}

export async function plansSharedWith(deps: PathDeps, viewerId: string) {
  const shares = await new PathRepository(deps.db).sharedWith(viewerId);
  const visible = [];
  for (const s of shares) if (await stillEligible(deps, s.plan.personId, viewerId)) visible.push(s);
  return [...new Map(visible.map((s) => [s.planId, s])).values()];
}

/** A plan shared with the viewer, read-only; anything not (or no longer) shared is "not found". */
export async function viewSharedPlan(deps: PathDeps, viewerId: string, planId: string): Promise<PathView> {
  const repo = new PathRepository(deps.db);
  if (!(await repo.shareFor(planId, viewerId))) throw new AppError('not_found');
  const plan = await repo.planById(planId);
  if (!plan || plan.status !== 'active' || !(await stillEligible(deps, plan.personId, viewerId))) throw new AppError('not_found');
  const assessment = await new AssessmentRepository(deps.db).findById(plan.assessmentId);
  const owner = await deps.db.person.findUnique({ where: { id: plan.personId }, select: { name: true } });
  return { kind: 'plan', plan, ctx: await context(deps, plan.personId, assessment!.results as Results, plan), assessedAt: assessment!.completedAt ?? assessment!.updatedAt, now: deps.clock.now(), ownerName: owner?.name ?? null };
}

// ---------- targets: the job role's default, editable by the person ----------

export async function targetsView(deps: PathDeps, personId: string) {
  const framework = await loadFramework(deps.db);
  const [latest] = await new AssessmentRepository(deps.db).completed(personId, 1);
  const statuses = await areaStatuses(deps, personId, (latest?.results as Results | undefined) ?? { areas: {}, overall: { mean: 0, level: 'L1' } }, framework);
  return { framework, targets: Object.fromEntries(Object.values(statuses).map((s) => [s.areaId, s.target])) as Record<string, Level> };
}

/** Saves the person's own targets: a value equal to the job role's default is stored as "no override". */
export async function saveTargets(deps: PathDeps, personId: string, targets: Record<string, Level>): Promise<void> {
  const framework = await loadFramework(deps.db);
  if (Object.keys(targets).some((a) => !framework.areas.some((x) => x.id === a))) throw new AppError('invalid_input');
  const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { jobRole: true } });
  const profile = await roleProfile(deps.db, person.jobRole);
  await deps.db.$transaction(async (tx) => {
    for (const [areaId, level] of Object.entries(targets)) {
      await tx.targetOverride.deleteMany({ where: { personId, areaId } });
      if (level !== targetLevel(profile, areaId)) await tx.targetOverride.create({ data: { personId, areaId, level } });
    }
  });
}
