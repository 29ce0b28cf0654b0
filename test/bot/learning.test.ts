import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { makeUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';
import { contentDir } from '../../src/lib/paths.js';

let h: BotHarness;
afterEach(async () => h?.close());

type Q = { id: string; type: string; options: { id: string; correct: boolean }[] };
const moduleFile = (id: string) => JSON.parse(fs.readFileSync(path.join(contentDir, 'modules', `${id}.json`), 'utf8')) as { lessons: unknown[]; quiz: { questions: Q[] } };
const EU = moduleFile('EU-L1-L2');
const answersFor = (questions: Q[], wrong = 0) =>
  Object.fromEntries(questions.map((q, i) => [`q:${q.id}`, (i < wrong ? q.options.filter((o) => !o.correct).slice(0, 1) : q.options.filter((o) => o.correct)).map((o) => o.id).join(',')]));
const button = (card: CardJson, verb: string, title?: string) => cardButtons(card).find((b) => b.verb === verb && (!title || b.title === title))!;

async function onboarded() {
  const tiina = makeUser('Tiina Teacher');
  h = await BotHarness.onboarded([tiina]);
  return tiina;
}

async function readAllLessons(user: ReturnType<typeof makeUser>) {
  let card = await h.execute(user, 'learning.open', { moduleId: 'EU-L1-L2' });
  for (let i = 0; i < EU.lessons.length; i++) {
    expect(cardText(card)).toContain(`Lesson ${i + 1} of ${EU.lessons.length}`);
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    card = await h.execute(user, next.verb, next.data);
  }
  return card;
}

describe('training modules', () => {
  it('learn lists all ten modules with their status', async () => {
    const tiina = await onboarded();
    const [list] = await h.say(tiina, 'learn');
    const text = cardText(list);
    expect(text).toContain('Training modules');
    expect(text.match(/Not started/g)).toHaveLength(10);
    expect(text).toContain('Rookie → Explorer');
    expect(text).toContain('Explorer → Practitioner');
  });

  it('goes through the lessons, passes the knowledge check, reflects, and the module is completed with its score', async () => {
    const tiina = await onboarded();
    const quiz = await readAllLessons(tiina);
    expect(cardText(quiz)).toContain('Knowledge check');
    const check = button(quiz, 'learning.quiz');
    const feedback = await h.execute(tiina, check.verb, { ...check.data, ...answersFor(EU.quiz.questions, 1) });
    expect(cardText(feedback)).toContain('Passed ✓');
    expect(cardText(feedback)).toContain('✗ Not quite');
    expect(cardText(feedback)).toContain('Also right:');
    const reflection = await h.execute(tiina, 'learning.open', { moduleId: 'EU-L1-L2' });
    expect(cardText(reflection)).toContain('One question to take with you');
    const done = await h.execute(tiina, 'learning.reflect', { moduleId: 'EU-L1-L2', reflection: 'I will tell my students about Erasmus+.' });
    expect(cardText(done)).toContain('Module completed ✓');
    const progress = await h.db.moduleProgress.findFirstOrThrow();
    expect(progress).toMatchObject({ stage: 'completed', attempts: 1, reflection: 'I will tell my students about Erasmus+.' });
    expect(progress.bestScore).toBeCloseTo(5 / 6, 5);
    const [list] = await h.say(tiina, 'learn');
    expect(cardText(list)).toContain('✓ Completed (83 %)');
  });

  it('a failed check gives feedback per answer and a retry; the retry can pass', async () => {
    const tiina = await onboarded();
    const quiz = await readAllLessons(tiina);
    const check = button(quiz, 'learning.quiz');
    const failed = await h.execute(tiina, check.verb, { ...check.data, ...answersFor(EU.quiz.questions, 3) });
    expect(cardText(failed)).toContain('Not yet');
    const retry = await h.execute(tiina, 'learning.retry', { moduleId: 'EU-L1-L2' });
    const again = button(retry, 'learning.quiz');
    expect(again.data.attempt).toBe('1');
    const passed = await h.execute(tiina, again.verb, { ...again.data, ...answersFor(EU.quiz.questions) });
    expect(cardText(passed)).toContain('Passed ✓');
    expect(await h.db.moduleProgress.findFirstOrThrow()).toMatchObject({ attempts: 2, bestScore: 1 });
  });

  it('marks a double-clicked or replayed check once', async () => {
    const tiina = await onboarded();
    const quiz = await readAllLessons(tiina);
    const check = button(quiz, 'learning.quiz');
    const payload = { ...check.data, ...answersFor(EU.quiz.questions, 3) };
    await Promise.all([h.execute(tiina, check.verb, payload), h.execute(tiina, check.verb, payload)]);
    expect((await h.db.moduleProgress.findFirstOrThrow()).attempts).toBe(1);
    const before = await snapshotTables(h.db);
    const replay = await h.execute(tiina, check.verb, payload);
    expect(cardText(replay)).toContain('out of date');
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('an unanswered question is pointed out and nothing is counted', async () => {
    const tiina = await onboarded();
    const quiz = await readAllLessons(tiina);
    const check = button(quiz, 'learning.quiz');
    const { [`q:${EU.quiz.questions[0]!.id}`]: _skipped, ...partial } = answersFor(EU.quiz.questions);
    const card = await h.execute(tiina, check.verb, { ...check.data, ...partial });
    expect(cardText(card)).toContain('One question still needs an answer');
    // The answers given are still selected on the returned card.
    const kept = JSON.stringify(card);
    expect(kept).toContain(`"id":"q:${EU.quiz.questions[1]!.id}"`);
    const q2 = (card.body as { items?: { id?: string; value?: string }[] }[]).flatMap((c) => c.items ?? []).find((i) => i.id === `q:${EU.quiz.questions[1]!.id}`);
    expect(q2?.value).toBe(partial[`q:${EU.quiz.questions[1]!.id}`]);
    expect((await h.db.moduleProgress.findFirstOrThrow()).attempts).toBe(0);
  });

  it('resumes at the lesson where the person stopped, after a restart', async () => {
    const tiina = await onboarded();
    let card = await h.execute(tiina, 'learning.open', { moduleId: 'EU-L1-L2' });
    card = await h.execute(tiina, 'learning.lesson', cardButtons(card)[0]!.data);
    await h.execute(tiina, 'learning.lesson', cardButtons(card)[0]!.data);
    const restarted = await BotHarness.create({ testDb: h.testDb, users: [tiina] });
    const resumed = await restarted.execute(tiina, 'learning.open', { moduleId: 'EU-L1-L2' });
    expect(cardText(resumed)).toContain(`Lesson 3 of ${EU.lessons.length}`);
  });

  it('refuses forged answers and unknown modules politely, storing nothing', async () => {
    const tiina = await onboarded();
    const quiz = await readAllLessons(tiina);
    const check = button(quiz, 'learning.quiz');
    const before = await snapshotTables(h.db);
    for (const [verb, data] of [
      [check.verb, { ...check.data, ...answersFor(EU.quiz.questions), 'q:q1': 'z' }],
      [check.verb, { ...check.data, ...answersFor(EU.quiz.questions), 'q:q99': 'a' }],
      [check.verb, { ...check.data, 'q:q1': 'a,b' }],
      [check.verb, { ...check.data, 'q:q1': '<script>' }],
      ['learning.open', { moduleId: 'ZZ-L1-L2' }],
      ['learning.open', { moduleId: '../../etc' }],
    ] as const) {
      const card = await h.execute(tiina, verb, data as Record<string, unknown>);
      expect(cardText(card)).toMatch(/not valid|couldn't find/);
    }
    expect(await snapshotTables(h.db)).toEqual(before);
  });
});
