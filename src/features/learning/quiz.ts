/** Pure marking of a knowledge check. A multi-select question counts only when exactly the correct set is chosen. */
export type QuizQuestion = { id: string; type: 'single' | 'multi'; options: { id: string; correct: boolean }[] };
export type QuizAnswers = Record<string, string[]>;
export type QuestionResult = { questionId: string; correct: boolean; chosen: string[]; answered: boolean };
export type QuizResult = { score: number; correctCount: number; total: number; passed: boolean; questions: QuestionResult[] };

export function markQuiz(questions: QuizQuestion[], answers: QuizAnswers, passMark: number): QuizResult {
  const results = questions.map((q) => {
    const chosen = [...new Set(answers[q.id] ?? [])].sort();
    const correct = q.options.filter((o) => o.correct).map((o) => o.id).sort();
    return { questionId: q.id, chosen, answered: chosen.length > 0, correct: chosen.length === correct.length && chosen.every((c, i) => c === correct[i]) };
  });
  const correctCount = results.filter((r) => r.correct).length;
  const score = questions.length ? correctCount / questions.length : 0;
  return { score, correctCount, total: questions.length, passed: score >= passMark - 1e-9, questions: results };
}
