import { describe, expect, it } from '@jest/globals';
import { markQuiz, type QuizQuestion } from '../../src/features/learning/quiz.js';

const qs: QuizQuestion[] = [
  { id: 'q1', type: 'single', options: [{ id: 'a', correct: true }, { id: 'b', correct: false }, { id: 'c', correct: false }] },
  { id: 'q2', type: 'multi', options: [{ id: 'a', correct: true }, { id: 'b', correct: true }, { id: 'c', correct: false }] },
  { id: 'q3', type: 'single', options: [{ id: 'a', correct: false }, { id: 'b', correct: true }] },
  { id: 'q4', type: 'single', options: [{ id: 'a', correct: false }, { id: 'b', correct: true }] },
  { id: 'q5', type: 'single', options: [{ id: 'a', correct: false }, { id: 'b', correct: true }] },
];
const right = { q1: ['a'], q2: ['b', 'a'], q3: ['b'], q4: ['b'], q5: ['b'] };

describe('markQuiz (pass mark 70 %)', () => {
  it.each<[string, Record<string, string[]>, number, boolean]>([
    ['all right', right, 1, true],
    ['4 of 5 = 80 %', { ...right, q5: ['a'] }, 0.8, true],
    ['3 of 5 = 60 %', { ...right, q4: ['a'], q5: ['a'] }, 0.6, false],
    ['a multi-select with one right option missing is wrong', { ...right, q2: ['a'] }, 0.8, true],
    ['a multi-select with an extra wrong option is wrong', { ...right, q2: ['a', 'b', 'c'], q1: ['b'] }, 0.6, false],
    ['nothing answered', {}, 0, false],
  ])('%s', (_name, answers, score, passed) => {
    const r = markQuiz(qs, answers, 0.7);
    expect(r.score).toBeCloseTo(score, 10);
    expect(r.passed).toBe(passed);
    expect(r.total).toBe(5);
  });

  it('passes exactly at the pass mark', () => {
    const seven = Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, type: 'single' as const, options: [{ id: 'a', correct: true }, { id: 'b', correct: false }] }));
    const answers = Object.fromEntries(seven.map((q, i) => [q.id, [i < 7 ? 'a' : 'b']]));
    expect(markQuiz(seven, answers, 0.7)).toMatchObject({ score: 0.7, passed: true, correctCount: 7 });
  });
});
