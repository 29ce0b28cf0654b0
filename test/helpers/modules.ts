import fs from 'node:fs';
import path from 'node:path';
import { contentDir } from '../../src/lib/paths.js';
import { cardButtons, type BotHarness } from './bot.js';
import type { TestUser } from './activities.js';

type Question = { id: string; options: { id: string; correct: boolean }[] };

/** A training module as its content file has it (lessons and the knowledge check with the correct options). */
export const moduleFile = (id: string) => JSON.parse(fs.readFileSync(path.join(contentDir, 'modules', `${id}.json`), 'utf8')) as { lessons: unknown[]; quiz: { questions: Question[] } };

/** Lessons, a passed knowledge check and the reflection through the cards: the module is completed. */
export async function passModule(h: BotHarness, user: TestUser, moduleId: string, reflection = 'What I take with me.') {
  const m = moduleFile(moduleId);
  let card = await h.execute(user, 'learning.open', { moduleId });
  for (let i = 0; i < m.lessons.length; i++) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    card = await h.execute(user, next.verb, next.data);
  }
  const check = cardButtons(card).find((b) => b.verb === 'learning.quiz')!;
  const answers = Object.fromEntries(m.quiz.questions.map((q) => [`q:${q.id}`, q.options.filter((o) => o.correct).map((o) => o.id).join(',')]));
  await h.execute(user, check.verb, { ...check.data, ...answers });
  return h.execute(user, 'learning.reflect', { moduleId, reflection });
}
