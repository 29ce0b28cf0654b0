import type { Db } from '../../db/client.js';

const stepSelect = {
  id: true, planId: true, areaId: true, activityId: true, type: true, status: true, position: true, reason: true,
  goalWhat: true, goalBy: true, goalEvidence: true, goalSupport: true, reflection: true, evidenceLink: true, decidedAt: true, doneAt: true,
} as const;
const planSelect = {
  id: true, personId: true, assessmentId: true, status: true, focusAreas: true, checkins: true, createdAt: true, closedAt: true,
  steps: { orderBy: { position: 'asc' as const }, select: stepSelect },
} as const;

/** A step to create: proposed by default; a goal carried over from the previous cycle keeps its fields. */
export type NewStep = {
  areaId: string;
  activityId: string;
  type: string;
  reason: object;
  status?: string;
  goalWhat?: string | null;
  goalBy?: Date | null;
  goalEvidence?: string | null;
  goalSupport?: string | null;
  decidedAt?: Date | null;
};

export type PlanRow = NonNullable<Awaited<ReturnType<PathRepository['activePlan']>>>;
export type StepRow = PlanRow['steps'][number];

export class PathRepository {
  constructor(private readonly db: Db) {}

  activePlan(personId: string) {
    return this.db.plan.findUnique({ where: { openKey: personId }, select: planSelect });
  }

  planById(id: string) {
    return this.db.plan.findUnique({ where: { id }, select: planSelect });
  }

  step(id: string) {
    return this.db.planStep.findUnique({ where: { id }, select: { ...stepSelect, plan: { select: { personId: true, status: true } } } });
  }

  /** Activity ids this person should not be offered again: done or planned in any plan, declined in the last 90 days. */
  async excluded(personId: string, since: Date): Promise<Set<string>> {
    const steps = await this.db.planStep.findMany({
      where: { plan: { personId }, OR: [{ status: { in: ['done', 'accepted'] } }, { status: { in: ['declined', 'swapped'] }, decidedAt: { gte: since } }] },
      select: { activityId: true },
    });
    return new Set(steps.map((s) => s.activityId));
  }

  interests(personId: string) {
    return this.db.areaInterest.findMany({ where: { personId }, select: { areaId: true } });
  }

  async setInterests(personId: string, areaIds: string[]) {
    await this.db.areaInterest.deleteMany({ where: { personId } });
    for (const areaId of areaIds.length ? areaIds : ['_none']) await this.db.areaInterest.create({ data: { personId, areaId } });
  }

  targetOverrides(personId: string) {
    return this.db.targetOverride.findMany({ where: { personId }, select: { areaId: true, level: true } });
  }

  closePlan(id: string, at: Date) {
    return this.db.plan.updateMany({ where: { id, status: 'active' }, data: { status: 'closed', openKey: null, closedAt: at } });
  }

  createPlan(data: { personId: string; assessmentId: string; focusAreas: string[]; checkins: string[]; createdAt: Date; steps: NewStep[] }) {
    const { steps, ...plan } = data;
    return this.db.plan.create({
      data: { ...plan, openKey: plan.personId, steps: { create: steps.map((s, position) => ({ ...s, position })) } },
      select: planSelect,
    });
  }

  addStep(planId: string, step: { areaId: string; activityId: string; type: string; reason: object; position: number }) {
    return this.db.planStep.create({ data: { planId, ...step } });
  }

  /** Changes a step only from the status the card showed (double clicks and stale cards change nothing). */
  async transition(id: string, from: string[], data: Record<string, unknown>): Promise<boolean> {
    const { count } = await this.db.planStep.updateMany({ where: { id, status: { in: from } }, data });
    return count === 1;
  }

  completedModuleIds(personId: string) {
    return this.db.moduleProgress.findMany({ where: { personId, stage: 'completed' }, select: { moduleId: true } });
  }

  activeShares(planId: string) {
    return this.db.planShare.findMany({ where: { planId, revokedAt: null }, select: { id: true, viewerId: true, createdAt: true, viewer: { select: { name: true } } } });
  }

  shareFor(planId: string, viewerId: string) {
    return this.db.planShare.findFirst({ where: { planId, viewerId, revokedAt: null }, select: { id: true } });
  }

  createShare(planId: string, viewerId: string, at: Date) {
    return this.db.planShare.create({ data: { planId, viewerId, createdAt: at } });
  }

  /** Stops sharing with that viewer: every active row (a double-clicked Share may have made two). */
  async revokeShare(id: string, ownerId: string, at: Date) {
    const share = await this.db.planShare.findFirst({ where: { id, plan: { personId: ownerId } }, select: { planId: true, viewerId: true } });
    if (!share) return null;
    return this.db.planShare.updateMany({ where: { planId: share.planId, viewerId: share.viewerId, revokedAt: null }, data: { revokedAt: at } });
  }

  sharedWith(viewerId: string) {
    return this.db.planShare.findMany({
      where: { viewerId, revokedAt: null, plan: { status: 'active' } },
      select: { planId: true, createdAt: true, plan: { select: { personId: true, person: { select: { name: true } } } } },
    });
  }
}
