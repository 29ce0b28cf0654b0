import type { Db } from '../../db/client.js';
import { localised } from '../../lib/i18n.js';
import type { FrameworkFile } from '../content/content.schemas.js';
import type { Level } from './scoring.js';

type Localised = Record<string, string>;
type Meta = Omit<FrameworkFile, 'areas' | 'version' | 'id'>;

export type FrameworkArea = {
  id: string;
  position: number;
  name: Localised;
  summary: Localised;
  levels: Record<Level, Localised>;
  levelUpTips: Record<Level, Localised>;
  nextSteps: { transition: string; type: 'experience' | 'social' | 'formal'; text: Localised }[];
  statements: { id: string; text: Localised }[];
};

export type Framework = Meta & { id: string; version: string; areas: FrameworkArea[] };

/** The competence framework as loaded from content: areas in order, each with its statements in order. */
export async function loadFramework(db: Db): Promise<Framework> {
  const [framework, areas] = await Promise.all([
    db.framework.findFirst({ select: { id: true, version: true, meta: true } }),
    db.area.findMany({
      orderBy: { position: 'asc' },
      select: { id: true, position: true, content: true, statements: { orderBy: { position: 'asc' }, select: { id: true, text: true } } },
    }),
  ]);
  if (!framework || areas.length === 0) throw new Error('The competence framework is not loaded: run `npm run cli -- load-content`');
  return {
    ...(framework.meta as Meta),
    id: framework.id,
    version: framework.version,
    areas: areas.map((a) => {
      const content = a.content as Omit<FrameworkArea, 'id' | 'position' | 'statements'>;
      return { id: a.id, position: a.position, name: content.name, summary: content.summary, levels: content.levels, levelUpTips: content.levelUpTips, nextSteps: content.nextSteps ?? [], statements: a.statements.map((s) => ({ id: s.id, text: s.text as Localised })) };
    }),
  };
}

/** An area's name in a language (the id when the area is unknown). */
export function areaName(framework: Framework, areaId: string, lang: string): string {
  const area = framework.areas.find((a) => a.id === areaId);
  return area ? localised(area.name, lang) : areaId;
}

/** A level's name in a language: Rookie, Explorer, Practitioner, Expert. */
export function levelName(framework: Pick<Framework, 'levels'>, levelId: string, lang: string): string {
  return localised(framework.levels.find((l) => l.id === levelId)?.name, lang) || levelId;
}
