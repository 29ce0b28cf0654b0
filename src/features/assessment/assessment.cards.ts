import crypto from 'node:crypto';
import { renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { button, noticeCard } from '../people/people.cards.js';
import type { AreaStepView, LanguageStepView, PausedView, ResultsView, StepView } from './assessment.service.js';
import { chartSvg, type ChartRow } from './chart.js';
import { gap, LEVELS, type Level } from './scoring.js';
import { levelName as frameworkLevelName, type Framework } from './framework.repository.js';
import { CEFR_LANGUAGES } from './assessment.schemas.js';

type Ctx = { t: Translate; lang: string; publicBaseUrl: string };

const levelName = (view: { framework: Pick<Framework, 'levels'> }, level: string, lang: string) => frameworkLevelName(view.framework, level, lang);

/** CEFR self-ratings as one fact per language: "English — Listening B2 · Writing B1". */
function languageFacts(t: Translate, lang: string, framework: ResultsView['framework'], ratings: { language: string; skill: string; level: string }[]) {
  const byLanguage = new Map<string, string[]>();
  for (const r of ratings) {
    const skill = localised(framework.cefr.skills.find((s) => s.id === r.skill)?.name, lang);
    byLanguage.set(r.language, [...(byLanguage.get(r.language) ?? []), `${skill} ${r.level}`]);
  }
  return [...byLanguage].map(([code, levels]) => ({ title: t(`languages.${code}`), value: levels.join(' · ') }));
}

export function introCard(ctx: Ctx, status: { inProgress: { step: number; total: number } | null; lastCompletedAt: Date | null }): Card {
  const { t } = ctx;
  const resuming = status.inProgress;
  return noticeCard({
    title: t('assessment.intro.title'),
    text: [
      t('assessment.intro.text'),
      t('assessment.intro.private'),
      resuming ? t('assessment.intro.resume', { step: resuming.step + 1, total: resuming.total }) : '',
      status.lastCompletedAt ? t('assessment.intro.last', { date: status.lastCompletedAt.toISOString().slice(0, 10) }) : '',
    ].filter(Boolean).join('\n\n'),
    buttons: [button(resuming ? t('assessment.intro.resumeButton') : t('assessment.intro.start'), 'assessment.start', {}, 'positive')],
  });
}

export function stepCard(ctx: Ctx, view: StepView): Card {
  switch (view.kind) {
    case 'area':
      return areaCard(ctx, view);
    case 'languages':
      return languagesCard(ctx, view);
    case 'results':
      return resultsCard(ctx, view);
    case 'paused':
      return pausedCard(ctx, view);
  }
}

function areaCard({ t, lang }: Ctx, v: AreaStepView): Card {
  const data = (move: string) => ({ assessmentId: v.assessment.id, step: String(v.index), move });
  const choices = v.framework.scale.map((s) => ({ title: localised(s.label, lang), value: String(s.score) }));
  const message = v.stale ? t('assessment.stale') : v.missing.length ? t('assessment.missing', { count: v.missing.length }) : '';
  return renderCard('assessment-area', {
    progress: t('assessment.progress', { step: v.index + 1, total: v.total + 1 }),
    title: localised(v.area.name, lang),
    summary: localised(v.area.summary, lang),
    message,
    hasMessage: !!message,
    statements: v.area.statements.map((s, i) => ({
      scoreId: `score:${s.id}`,
      evidenceId: `evidence:${s.id}`,
      label: `${i + 1}. ${localised(s.text, lang)}`,
      value: v.answers[s.id] ? String(v.answers[s.id]!.score) : '',
      evidence: v.answers[s.id]?.evidence ?? '',
      choices,
      missing: v.missing.includes(s.id),
      missingText: t('assessment.missingOne'),
      evidenceLabel: t('assessment.evidenceLabel'),
      evidencePlaceholder: t('assessment.evidencePlaceholder'),
    })),
    buttons: [
      button(t('assessment.next'), 'assessment.area', data('next'), 'positive'),
      ...(v.index > 0 ? [button(t('assessment.back'), 'assessment.area', data('back'))] : []),
      button(t('assessment.pause'), 'assessment.area', data('pause')),
    ],
  });
}

function languagesCard({ t, lang }: Ctx, v: LanguageStepView): Card {
  const data = (move: string) => ({ assessmentId: v.assessment.id, step: String(v.assessment.step), move });
  const ratings = languageFacts(t, lang, v.framework, v.ratings);
  const message = v.stale ? t('assessment.stale') : v.incomplete ? t('assessment.languages.chooseLanguage') : '';
  return renderCard('assessment-languages', {
    progress: t('assessment.progress', { step: v.assessment.step + 1, total: v.assessment.step + 1 }),
    title: t('assessment.languages.title'),
    text: t('assessment.languages.text'),
    message,
    hasMessage: !!message,
    hasRatings: ratings.length > 0,
    ratings,
    languageLabel: t('assessment.languages.language'),
    languages: CEFR_LANGUAGES.map((code) => ({ title: t(`languages.${code}`), value: code })),
    skills: v.framework.cefr.skills.map((s) => ({
      id: `cefr:${s.id}`,
      label: localised(s.name, lang),
      choices: v.framework.cefr.levels.map((l) => ({ title: l, value: l })),
    })),
    buttons: [
      button(t('assessment.languages.finish'), 'assessment.languages', data('finish'), 'positive'),
      button(t('assessment.languages.add'), 'assessment.languages', data('add')),
      button(t('assessment.back'), 'assessment.languages', data('back')),
    ],
  });
}

/** Areas the assessment has results for (an area added to the framework later has none). */
const scored = (v: ResultsView) => v.framework.areas.filter((a) => v.assessment.results.areas[a.id]);

export function chartRows(v: ResultsView, lang: string): ChartRow[] {
  return scored(v).map((area) => ({
    label: localised(area.name, lang),
    mean: v.assessment.results.areas[area.id]!.mean,
    level: v.assessment.results.areas[area.id]!.level,
    target: v.targets[area.id]!,
  }));
}

export function resultsChartSvg(v: ResultsView, t: Translate, lang: string) {
  const levels = Object.fromEntries(LEVELS.map((l) => [l, levelName(v, l, lang)])) as Record<Level, string>;
  return chartSvg(chartRows(v, lang), { title: t('assessment.chart.title'), levels, you: t('assessment.chart.you'), target: t('assessment.chart.target') });
}

function change(v: ResultsView, areaId: string, t: Translate): string {
  const before = v.previous?.results.areas[areaId]?.level;
  if (!before) return '';
  const diff = LEVELS.indexOf(v.assessment.results.areas[areaId]!.level) - LEVELS.indexOf(before);
  return diff > 0 ? t('assessment.results.up', { count: diff }) : diff < 0 ? t('assessment.results.down', { count: -diff }) : t('assessment.results.same');
}

export function chartVersion(v: ResultsView, lang: string): string {
  return crypto.createHash('sha256').update(JSON.stringify([lang, v.targets])).digest('base64url').slice(0, 10);
}

export function resultsCard({ t, lang, publicBaseUrl }: Ctx, v: ResultsView): Card {
  const r = v.assessment.results;
  const rows = scored(v).map((area) => {
    const level = r.areas[area.id]!.level;
    const target = v.targets[area.id]!;
    return {
      name: localised(area.name, lang),
      level: levelName(v, level, lang),
      target: t(gap(level, target) === 0 ? 'assessment.results.targetReached' : 'assessment.results.target', { level: levelName(v, target, lang) }),
      change: change(v, area.id, t),
      tip: `${t('assessment.results.tip')} ${localised(area.levelUpTips[level], lang)}`,
    };
  });
  const alt = t('assessment.chart.alt', {
    areas: scored(v).map((a) => `${localised(a.name, lang)}: ${levelName(v, r.areas[a.id]!.level, lang)} (${levelName(v, v.targets[a.id]!, lang)})`).join('; '),
  });
  return renderCard('assessment-results', {
    title: t('assessment.results.title'),
    subtitle: t('assessment.results.overall', { level: levelName(v, r.overall.level, lang), date: (v.assessment.completedAt ?? v.assessment.updatedAt).toISOString().slice(0, 10) }),
    message: v.stale ? t('assessment.staleDone') : '',
    hasMessage: v.stale,
    privateNote: t('assessment.results.private'),
    // The picture depends on the targets and the language too: a new version gets a new URL, so nothing stale is shown.
    chartUrl: `${publicBaseUrl.replace(/\/$/, '')}/charts/${v.assessment.chartToken}.png?v=${chartVersion(v, lang)}`,
    chartAlt: alt,
    hasPrevious: !!v.previous,
    previousNote: v.previous ? t('assessment.results.since', { date: (v.previous.completedAt ?? v.previous.updatedAt).toISOString().slice(0, 10) }) : '',
    rows,
    buttons: [
      button(t('assessment.results.path'), 'path.open', {}, 'positive'),
      button(t('assessment.results.answers'), 'assessment.answers', { assessmentId: v.assessment.id }),
      button(t('assessment.results.retake'), 'assessment.retake'),
    ],
  });
}

function pausedCard({ t }: Ctx, v: PausedView): Card {
  return noticeCard({
    title: t('assessment.paused.title'),
    text: t('assessment.paused.text', { step: v.assessment.step + 1, total: v.total }),
    tone: 'good',
    buttons: [button(t('assessment.intro.resumeButton'), 'assessment.start', {}, 'positive')],
  });
}

export function answersCard(
  { t, lang }: Ctx,
  a: { assessment: { id: string; status: string }; framework: ResultsView['framework']; answers: Record<string, { score: number; evidence: string | null }>; languages: { language: string; skill: string; level: string }[] },
): Card {
  const scale = new Map(a.framework.scale.map((s) => [s.score, localised(s.label, lang)]));
  const languages = languageFacts(t, lang, a.framework, a.languages);
  return renderCard('assessment-answers', {
    title: t('assessment.answers.title'),
    hasLanguages: languages.length > 0,
    languagesTitle: t('assessment.languages.title'),
    languages,
    areas: a.framework.areas.map((area) => ({
      name: localised(area.name, lang),
      items: area.statements.map((s) => ({
        text: localised(s.text, lang),
        answer: a.answers[s.id] ? scale.get(a.answers[s.id]!.score) ?? '' : t('assessment.answers.none'),
        evidence: a.answers[s.id]?.evidence ? t('assessment.answers.evidence', { text: a.answers[s.id]!.evidence }) : '',
        hasEvidence: !!a.answers[s.id]?.evidence,
      })),
    })),
    buttons: a.assessment.status === 'completed' ? [button(t('assessment.answers.back'), 'assessment.results', { assessmentId: a.assessment.id })] : [button(t('assessment.intro.resumeButton'), 'assessment.start')],
  });
}

export function noResultsCard({ t }: Ctx): Card {
  return noticeCard({ title: t('assessment.profile.none'), text: t('assessment.profile.noneText'), buttons: [button(t('assessment.intro.start'), 'assessment.start', {}, 'positive')] });
}
