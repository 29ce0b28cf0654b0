import { z } from 'zod';
import { loadFramework } from '../../features/assessment/framework.repository.js';
import { learnListCard, moduleCard } from '../../features/learning/learning.cards.js';
import { lessonMove, moduleRef, quizSubmission, reflectionInput } from '../../features/learning/learning.schemas.js';
import { listModules, moveLesson, openModule, reflect, retryQuiz, submitQuiz, type LearningDeps } from '../../features/learning/learning.service.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();

/** Training modules inside Teams: `learn` lists them; lessons, the knowledge check and the reflection update in place. */
export function registerLearningHandlers(kit: BotKit, deps: LearningDeps) {
  const ctx = async (turn: Turn) => ({ t: turn.t, lang: turn.lang, framework: await loadFramework(deps.db) });
  const list = async (turn: Turn) => learnListCard(await ctx(turn), await listModules(deps, turn.person.id));

  kit.command('learn', 'learning.use', async (_context, turn) => list(turn));
  kit.verb('learning.list', 'learning.use', noInput, async (_context, turn) => list(turn));
  kit.verb('learning.open', 'learning.use', moduleRef, async (_context, turn, input) => moduleCard(await ctx(turn), await openModule(deps, turn.person.id, input.moduleId)));
  kit.verb('learning.lesson', 'learning.use', lessonMove, async (_context, turn, input) => moduleCard(await ctx(turn), await moveLesson(deps, turn.person.id, input)));
  kit.verb('learning.quiz', 'learning.use', quizSubmission, async (_context, turn, input) => moduleCard(await ctx(turn), await submitQuiz(deps, turn.person.id, input)));
  kit.verb('learning.retry', 'learning.use', moduleRef, async (_context, turn, input) => moduleCard(await ctx(turn), await retryQuiz(deps, turn.person.id, input.moduleId)));
  kit.verb('learning.reflect', 'learning.use', reflectionInput, async (_context, turn, input) =>
    moduleCard(await ctx(turn), await reflect(deps, turn.person.id, { moduleId: input.moduleId, reflection: input.reflection })),
  );
}
