import type { Db } from '../../db/client.js';
import { resolveLanguage, translator, type Translate } from '../../lib/i18n.js';
import { systemClock } from '../../lib/clock.js';
import { AssessmentRepository } from './assessment.repository.js';
import { currentView, type ResultsView } from './assessment.service.js';
import { renderPng } from './chart.js';

/** The chart of a completed assessment, found by its unguessable token, in its owner's language; null if none. */
export async function chartImage(db: Db, token: string, toSvg: (v: ResultsView, t: Translate, lang: string) => string): Promise<Buffer | null> {
  const a = await new AssessmentRepository(db).findByChartToken(token);
  if (!a || a.status !== 'completed') return null;
  const view = await currentView({ db, clock: systemClock }, a);
  if (view.kind !== 'results') return null;
  const lang = resolveLanguage([a.person.language, a.person.clientLocale]);
  return renderPng(toSvg(view, translator(lang), lang));
}
