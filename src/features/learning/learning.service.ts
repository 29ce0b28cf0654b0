import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { LearningRepository, type ModuleRow, type ProgressRow } from './learning.repository.js';
import type { QuizSubmission } from './learning.schemas.js';
import { markQuiz, type QuizResult } from './quiz.js';

export type LearningDeps = {
  db: Db;
  clock: Clock;
  /** Called once when a person completes a module (the development path records it as evidence). */
  onModuleCompleted?: (personId: string, moduleId: string) => Promise<void>;
};

export type ModuleView =
  | { kind: 'lesson'; module: ModuleRow; progress: ProgressRow; stale: boolean; index: number; review: boolean }
  | { kind: 'quiz'; module: ModuleRow; progress: ProgressRow; stale: boolean; unanswered: string[]; given?: Record<string, string[]> }
  | { kind: 'feedback'; module: ModuleRow; progress: ProgressRow; result: QuizResult }
  | { kind: 'reflection'; module: ModuleRow; progress: ProgressRow; stale: boolean }
  | { kind: 'completed'; module: ModuleRow; progress: ProgressRow; stale: boolean };

export type ModuleListItem = { module: ModuleRow; progress: ProgressRow | null };

export async function listModules(deps: LearningDeps, personId: string): Promise<ModuleListItem[]> {
  const repo = new LearningRepository(deps.db);
  const [modules, progress] = await Promise.all([repo.modules(), repo.allProgress(personId)]);
  const byModule = new Map(progress.map((p) => [p.moduleId, p]));
  return modules.map((module) => ({ module, progress: byModule.get(module.id) ?? null }));
}

async function load(repo: LearningRepository, moduleId: string): Promise<ModuleRow> {
  const module = await repo.module(moduleId);
  if (!module) throw new AppError('not_found');
  return module;
}

function viewOf(module: ModuleRow, progress: ProgressRow, stale = false): ModuleView {
  switch (progress.stage) {
    case 'quiz':
      return { kind: 'quiz', module, progress, stale, unanswered: [] };
    case 'reflection':
      return { kind: 'reflection', module, progress, stale };
    case 'completed':
      return { kind: 'completed', module, progress, stale };
    default:
      return { kind: 'lesson', module, progress, stale, index: progress.lessonIndex, review: false };
  }
}

/** Opens a module where the person left it (starting it the first time). */
export async function openModule(deps: LearningDeps, personId: string, moduleId: string): Promise<ModuleView> {
  const repo = new LearningRepository(deps.db);
  const module = await load(repo, moduleId);
  const progress = (await repo.progress(personId, moduleId)) ?? (await repo.start(personId, moduleId, deps.clock.now()));
  return viewOf(module, progress);
}

async function current(repo: LearningRepository, personId: string, module: ModuleRow, stale: boolean): Promise<ModuleView> {
  const progress = await repo.progress(personId, module.id);
  if (!progress) throw new AppError('not_found');
  return viewOf(module, progress, stale);
}

/**
 * Next / Back on a lesson card. Progress is saved per lesson; an old lesson card changes nothing.
 * "review" re-reads a lesson (after a failed check, or after completing) without changing progress.
 */
export async function moveLesson(deps: LearningDeps, personId: string, input: { moduleId: string; lesson: number; move: 'next' | 'back' | 'review' }): Promise<ModuleView> {
  const repo = new LearningRepository(deps.db);
  const module = await load(repo, input.moduleId);
  const last = module.content.lessons.length - 1;
  if (input.move === 'review') {
    const progress = await repo.progress(personId, module.id);
    if (!progress) throw new AppError('not_found');
    if (progress.stage === 'lesson') return viewOf(module, progress);
    return { kind: 'lesson', module, progress, stale: false, index: Math.min(Math.max(0, input.lesson), last), review: true };
  }
  const expected = { stage: 'lesson', lessonIndex: input.lesson };
  const data =
    input.move === 'back'
      ? { lessonIndex: Math.max(0, input.lesson - 1) }
      : input.lesson >= last
        ? { stage: 'quiz' }
        : { lessonIndex: input.lesson + 1 };
  const moved = input.lesson <= last && (await repo.advance(personId, module.id, expected, data));
  return current(repo, personId, module, !moved);
}

/**
 * The knowledge check. Every question must be answered (nothing is counted otherwise); a submission for an
 * attempt already marked (double click, replay) changes nothing. Passing leads to the reflection question.
 */
export async function submitQuiz(deps: LearningDeps, personId: string, input: QuizSubmission): Promise<ModuleView> {
  const repo = new LearningRepository(deps.db);
  const module = await load(repo, input.moduleId);
  const progress = await repo.progress(personId, module.id);
  if (!progress) throw new AppError('not_found');
  if (progress.stage !== 'quiz' || progress.attempts !== input.attempt) return viewOf(module, progress, true);
  const { questions, passMark } = module.content.quiz;
  for (const [qid, chosen] of Object.entries(input.answers)) {
    const q = questions.find((x) => x.id === qid);
    if (!q || chosen.some((c) => !q.options.some((o) => o.id === c)) || (q.type === 'single' && chosen.length > 1)) throw new AppError('invalid_input');
  }
  const unanswered = questions.filter((q) => !(input.answers[q.id]?.length)).map((q) => q.id);
  if (unanswered.length) return { kind: 'quiz', module, progress, stale: false, unanswered, given: input.answers };
  const result = markQuiz(questions, input.answers, passMark);
  const now = deps.clock.now();
  const marked = await repo.advance(personId, module.id, { stage: 'quiz', attempts: input.attempt }, {
    attempts: input.attempt + 1,
    lastAttempt: { answers: input.answers, score: result.score },
    bestScore: Math.max(progress.bestScore ?? 0, result.score),
    ...(result.passed ? { stage: 'reflection', passedAt: progress.passedAt ?? now } : {}),
  });
  if (!marked) return current(repo, personId, module, true);
  return { kind: 'feedback', module, progress: (await repo.progress(personId, module.id))!, result };
}

/** The reflection question (an answer is optional); completes the module once and tells the path. */
export async function reflect(deps: LearningDeps, personId: string, input: { moduleId: string; reflection: string }): Promise<ModuleView> {
  const repo = new LearningRepository(deps.db);
  const module = await load(repo, input.moduleId);
  const done = await repo.advance(personId, module.id, { stage: 'reflection' }, {
    stage: 'completed',
    reflection: input.reflection || null,
    completedAt: deps.clock.now(),
  });
  if (done) await deps.onModuleCompleted?.(personId, module.id);
  return current(repo, personId, module, !done);
}

/** Back to the quiz card for another try after a failed attempt (or to wherever the module is now). */
export async function retryQuiz(deps: LearningDeps, personId: string, moduleId: string): Promise<ModuleView> {
  const repo = new LearningRepository(deps.db);
  return current(repo, personId, await load(repo, moduleId), false);
}
