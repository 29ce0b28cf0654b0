import crypto from 'node:crypto';
import { renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { button, noticeCard } from '../people/people.cards.js';
import type { ModuleListItem, ModuleView } from './learning.service.js';
import { areaName, levelName, type Framework } from '../assessment/framework.repository.js';

type Ctx = { t: Translate; lang: string; framework: Framework };

/** A stable shuffle: the same seed gives the same order (a re-rendered card does not reshuffle). */
function shuffled<T>(items: T[], seed: string): T[] {
  const weight = (i: number) => crypto.createHash('sha256').update(`${seed}:${i}`).digest().readUInt32BE(0);
  return items.map((item, i) => ({ item, w: weight(i) })).sort((a, b) => a.w - b.w).map((x) => x.item);
}

const pct = (score: number | null | undefined) => `${Math.round((score ?? 0) * 100)} %`;

function transitionText(ctx: Ctx, transition: string) {
  const [from, to] = transition.split('->');
  return `${levelName(ctx.framework, from!, ctx.lang)} → ${levelName(ctx.framework, to!, ctx.lang)}`;
}

export function learnListCard(ctx: Ctx, items: ModuleListItem[]): Card {
  const { t, lang } = ctx;
  return renderCard('learn-list', {
    title: t('learning.list.title'),
    intro: t('learning.list.intro'),
    modules: items.map(({ module, progress }) => {
      const c = module.content;
      const status = !progress
        ? t('learning.status.new')
        : progress.stage === 'completed'
          ? t('learning.status.completed', { score: pct(progress.bestScore) })
          : progress.stage === 'lesson'
            ? t('learning.status.lesson', { lesson: progress.lessonIndex + 1, total: c.lessons.length })
            : t(`learning.status.${progress.stage}`);
      const verbTitle = !progress ? t('learning.start') : progress.stage === 'completed' ? t('learning.review') : t('learning.continue');
      return {
        title: localised(c.title, lang),
        meta: `${areaName(ctx.framework, module.areaId, lang)} · ${transitionText(ctx, module.transition)} · ${t('learning.minutes', { count: c.minutes })}`,
        status,
        statusColor: progress?.stage === 'completed' ? 'Good' : 'Default',
        action: { title: verbTitle, verb: 'learning.open', data: { verb: 'learning.open', moduleId: module.id } },
      };
    }),
    buttons: [],
  });
}

export function moduleCard(ctx: Ctx, view: ModuleView): Card {
  const { t, lang } = ctx;
  const c = view.module.content;
  const moduleId = view.module.id;
  const title = localised(c.title, lang);
  switch (view.kind) {
    case 'lesson': {
      const i = view.index;
      const lesson = c.lessons[i]!;
      const move = (to: 'next' | 'back') => (view.review ? { moduleId, lesson: String(to === 'next' ? i + 1 : i - 1), move: 'review' } : { moduleId, lesson: String(i), move: to });
      return renderCard('module-lesson', {
        progress: t('learning.lessonProgress', { lesson: i + 1, total: c.lessons.length, module: title }),
        title: localised(lesson.title, lang),
        message: t('learning.stale'),
        hasMessage: view.stale,
        body: localised(lesson.body, lang),
        hasLink: !!lesson.link,
        linkTitle: lesson.link ? t('learning.readMore', { label: localised(lesson.link.label, lang) }) : '',
        linkUrl: lesson.link?.url ?? '',
        buttons: view.review
          ? [
              ...(i < c.lessons.length - 1 ? [button(t('learning.next'), 'learning.lesson', move('next'))] : []),
              ...(i > 0 ? [button(t('learning.back'), 'learning.lesson', move('back'))] : []),
              button(t('learning.backToModule'), 'learning.open', { moduleId }, 'positive'),
            ]
          : [
              button(i === c.lessons.length - 1 ? t('learning.toQuiz') : t('learning.next'), 'learning.lesson', move('next'), 'positive'),
              ...(i > 0 ? [button(t('learning.back'), 'learning.lesson', move('back'))] : []),
            ],
      });
    }
    case 'quiz':
      return renderCard('module-quiz', {
        progress: title,
        title: t('learning.quiz.title'),
        intro: t('learning.quiz.intro', { count: c.quiz.questions.length, pass: pct(c.quiz.passMark) }),
        message: view.stale ? t('learning.stale') : t('learning.quiz.unanswered', { count: view.unanswered.length }),
        hasMessage: view.stale || view.unanswered.length > 0,
        questions: c.quiz.questions.map((q, n) => ({
          value: (view.given?.[q.id] ?? []).join(','),
          id: `q:${q.id}`,
          label: `${n + 1}. ${localised(q.prompt, lang)}${q.type === 'multi' ? ` ${t('learning.quiz.multi')}` : ''}`,
          multi: q.type === 'multi',
          missing: view.unanswered.includes(q.id),
          missingText: t('learning.quiz.missingOne'),
          // Options in an order of their own per person and attempt, so the right answer's position teaches nothing.
          choices: shuffled(q.options, `${view.progress.personId}:${moduleId}:${view.progress.attempts}:${q.id}`).map((o) => ({ title: localised(o.text, lang), value: o.id })),
        })),
        buttons: [button(t('learning.quiz.check'), 'learning.quiz', { moduleId, attempt: String(view.progress.attempts) }, 'positive')],
      });
    case 'feedback': {
      const r = view.result;
      return renderCard('module-feedback', {
        progress: title,
        title: r.passed ? t('learning.feedback.passed') : t('learning.feedback.failed'),
        tone: r.passed ? 'Good' : 'Attention',
        summary: t(r.passed ? 'learning.feedback.passedText' : 'learning.feedback.failedText', { correct: r.correctCount, total: r.total, score: pct(r.score), pass: pct(c.quiz.passMark) }),
        questions: r.questions.map((qr) => {
          const q = c.quiz.questions.find((x) => x.id === qr.questionId)!;
          const chosen = q.options.filter((o) => qr.chosen.includes(o.id));
          // Feedback on every option chosen, and on the right ones missed.
          const missed = qr.correct ? [] : q.options.filter((o) => o.correct && !qr.chosen.includes(o.id));
          return {
            prompt: localised(q.prompt, lang),
            verdict: qr.correct ? t('learning.feedback.right') : t('learning.feedback.wrong'),
            verdictColor: qr.correct ? 'Good' : 'Attention',
            feedback: [...chosen.map((o) => `«${localised(o.text, lang)}» – ${localised(o.feedback, lang)}`), ...missed.map((o) => t('learning.feedback.missed', { option: localised(o.text, lang), feedback: localised(o.feedback, lang) }))],
          };
        }),
        buttons: r.passed
          ? [button(t('learning.feedback.continue'), 'learning.open', { moduleId }, 'positive')]
          : [button(t('learning.feedback.retry'), 'learning.retry', { moduleId }, 'positive'), button(t('learning.feedback.reread'), 'learning.lesson', { moduleId, lesson: '0', move: 'review' })],
      });
    }
    case 'reflection':
      return renderCard('module-reflection', {
        progress: title,
        title: t('learning.reflection.title'),
        message: t('learning.stale'),
        hasMessage: view.stale,
        intro: t('learning.reflection.intro'),
        question: localised(c.reflection, lang),
        placeholder: t('learning.reflection.placeholder'),
        buttons: [button(t('learning.reflection.complete'), 'learning.reflect', { moduleId }, 'positive')],
      });
    case 'completed':
      return noticeCard({
        title: view.stale ? t('learning.completed.already') : t('learning.completed.title'),
        text: t('learning.completed.text', { module: title, score: pct(view.progress.bestScore), sources: c.sources.map((s) => `[${s.title}](${s.url})`).join(', ') }),
        tone: 'good',
        buttons: [button(t('learning.list.button'), 'learning.list'), button(t('learning.completed.review'), 'learning.lesson', { moduleId, lesson: '0', move: 'review' })],
      });
  }
}
