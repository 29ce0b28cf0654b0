import { isUniqueViolation, type Db } from '../../db/client.js';
import type { ModuleFile } from '../content/content.schemas.js';

export type ModuleContent = Omit<ModuleFile, 'id' | 'area' | 'transition' | 'version'>;
export type ModuleRow = { id: string; areaId: string; transition: string; version: string; content: ModuleContent };

const progressSelect = {
  personId: true, moduleId: true, stage: true, lessonIndex: true, attempts: true, lastAttempt: true,
  bestScore: true, passedAt: true, reflection: true, completedAt: true, startedAt: true, updatedAt: true,
} as const;

export type ProgressRow = NonNullable<Awaited<ReturnType<LearningRepository['progress']>>>;

export class LearningRepository {
  constructor(private readonly db: Db) {}

  async modules(): Promise<ModuleRow[]> {
    const rows = await this.db.module.findMany({ where: { active: true }, orderBy: [{ transition: 'asc' }, { id: 'asc' }], select: { id: true, areaId: true, transition: true, version: true, content: true } });
    return rows.map((r) => ({ ...r, content: r.content as ModuleContent }));
  }

  async module(id: string): Promise<ModuleRow | null> {
    const r = await this.db.module.findFirst({ where: { id, active: true }, select: { id: true, areaId: true, transition: true, version: true, content: true } });
    return r ? { ...r, content: r.content as ModuleContent } : null;
  }

  progress(personId: string, moduleId: string) {
    return this.db.moduleProgress.findUnique({ where: { personId_moduleId: { personId, moduleId } }, select: progressSelect });
  }

  allProgress(personId: string) {
    return this.db.moduleProgress.findMany({ where: { personId }, select: progressSelect });
  }

  /** Creates the progress row once; a concurrent second start finds it. */
  async start(personId: string, moduleId: string, at: Date) {
    try {
      return await this.db.moduleProgress.create({ data: { personId, moduleId, startedAt: at }, select: progressSelect });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.progress(personId, moduleId))!;
    }
  }

  /** Changes progress only if it is still where the card that asked for the change showed it. */
  async advance(personId: string, moduleId: string, expected: { stage: string; lessonIndex?: number; attempts?: number }, data: Record<string, unknown>) {
    const { count } = await this.db.moduleProgress.updateMany({ where: { personId, moduleId, ...expected }, data });
    return count === 1;
  }
}
