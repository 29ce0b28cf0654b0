import { z } from 'zod';

const moduleId = z.string().regex(/^[A-Z]+-L[1-3]-L[2-4]$/);

export const moduleRef = z.object({ moduleId });
export const lessonMove = z.object({ moduleId, lesson: z.coerce.number().int().min(0).max(20), move: z.enum(['next', 'back', 'review']) });
export const reflectionInput = z.object({ moduleId, reflection: z.string().trim().max(2000).optional().default('') });

/** The knowledge check card: `q:<questionId>` inputs; a multi-select ChoiceSet sends "a,c". */
export const quizSubmission = z
  .object({ moduleId, attempt: z.coerce.number().int().min(0).max(1000) })
  .catchall(z.unknown())
  .transform((raw, ctx) => {
    const answers: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'moduleId' || key === 'attempt') continue;
      const m = /^q:(q\d+)$/.exec(key);
      if (!m || typeof value !== 'string' || !/^[a-z0-9]*(,[a-z0-9]+)*$/.test(value) || value.length > 40) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'unknown field or answer' });
        continue;
      }
      answers[m[1]!] = value ? value.split(',') : [];
    }
    return { moduleId: raw.moduleId, attempt: raw.attempt, answers };
  });
export type QuizSubmission = z.output<typeof quizSubmission>;
