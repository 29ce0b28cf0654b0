import { localised } from '../../lib/i18n.js';
import type { Framework } from '../assessment/framework.repository.js';
import type { ModuleRow } from '../learning/learning.repository.js';
import type { EventRow } from '../events/events.repository.js';
import { formatInZone } from '../../lib/time.js';
import type { Activity } from './recommend.js';

/**
 * The activity catalogue: every training module (formal, a quick win) and every next step the framework lists per
 * area and level transition. Ids are stable across content versions: module:<id>, step:<area>:<transition>:<n>.
 */
export function buildCatalogue(framework: Framework, modules: ModuleRow[], events: EventRow[] = []): Activity[] {
  const fromModules = modules.map((m) => ({ id: `module:${m.id}`, areaId: m.areaId, transition: m.transition, type: 'formal' as const, quickWin: true }));
  const moduleKeys = new Set(modules.map((m) => `${m.areaId}:${m.transition}`));
  const fromFramework = framework.areas.flatMap((area) =>
    area.nextSteps
      .map((s, n) => ({ s, n }))
      // The framework's "REX VET module" step is the module itself where one exists.
      .filter(({ s }) => !(s.type === 'formal' && /REX VET/i.test(s.text.en ?? '') && moduleKeys.has(`${area.id}:${s.transition}`)))
      .map(({ s, n }) => ({ id: `step:${area.id}:${s.transition}:${n}`, areaId: area.id, transition: s.transition, type: s.type, quickWin: false })),
  );
  // Upcoming events fit any level transition of the areas they help with.
  const fromEvents = events.flatMap((e) =>
    (e.areas as string[]).flatMap((areaId) => ['L1->L2', 'L2->L3', 'L3->L4'].map((transition) => ({ id: `event:${e.id}`, areaId, transition, type: 'social' as const, quickWin: false }))),
  );
  return [...fromModules, ...fromFramework, ...fromEvents];
}

/** The text of an activity in a language, from the module title or the framework's next step. */
export function activityTitle(activityId: string, framework: Framework, modules: ModuleRow[], lang: string, events: EventRow[] = []): string {
  const [kind, ...rest] = activityId.split(':');
  if (kind === 'event') {
    const e = events.find((x) => x.id === rest[0]);
    return e ? `${localised(e.title, lang)} · ${formatInZone(e.startsAt, e.timeZone)} (${e.timeZone})${e.place ? ` · ${e.place}` : ''}` : activityId;
  }
  if (kind === 'module') {
    const m = modules.find((x) => x.id === rest[0]);
    return m ? localised(m.content.title, lang) : activityId;
  }
  const [areaId, transition, n] = rest;
  const step = framework.areas.find((a) => a.id === areaId)?.nextSteps[Number(n)];
  return step && step.transition === transition ? localised(step.text, lang) : activityId;
}
