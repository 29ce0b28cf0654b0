import { z } from 'zod';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const statementKey = /^(score|evidence):([A-Z]+\.\d+)$/;

/**
 * One area card as submitted: the assessment and step it was shown for, where to go, and the inputs, whose ids are
 * `score:<statementId>` (a ChoiceSet, "0".."4") and `evidence:<statementId>` (optional text).
 */
export const areaSubmission = z
  .object({
    assessmentId: id,
    step: z.coerce.number().int().min(0).max(50),
    move: z.enum(['next', 'back', 'pause']),
  })
  .catchall(z.unknown())
  .transform((raw, ctx) => {
    const scores: Record<string, number> = {};
    const evidence: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'assessmentId' || key === 'step' || key === 'move') continue;
      const m = key.match(statementKey);
      if (!m) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'unknown field' });
        continue;
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'must be text' });
        continue;
      }
      const text = String(value).trim();
      if (m[1] === 'score') {
        if (text === '') continue;
        if (!/^[0-4]$/.test(text)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'score must be 0–4' });
        else scores[m[2]!] = Number(text);
      } else if (text !== '') {
        if (text.length > 500) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'at most 500 characters' });
        else evidence[m[2]!] = text;
      }
    }
    return { assessmentId: raw.assessmentId, step: raw.step, move: raw.move, scores, evidence };
  });
export type AreaSubmission = z.output<typeof areaSubmission>;

export const CEFR_LANGUAGES = ['en', 'fi', 'sv', 'et', 'it', 'nl', 'es', 'de', 'fr', 'ru', 'other'] as const;

export const languageSubmission = z
  .object({
    assessmentId: id,
    step: z.coerce.number().int().min(0).max(50),
    move: z.enum(['add', 'finish', 'back']),
    language: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CEFR_LANGUAGES).optional()),
  })
  .catchall(z.unknown())
  .transform((raw, ctx) => {
    const levels: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (['assessmentId', 'step', 'move', 'language'].includes(key)) continue;
      const m = key.match(/^cefr:([a-z_]+)$/);
      if (!m || (value !== '' && !(typeof value === 'string' && /^(A1|A2|B1|B2|C1|C2)$/.test(value)))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'unknown field or level' });
        continue;
      }
      if (value) levels[m[1]!] = value as string;
    }
    return { assessmentId: raw.assessmentId, step: raw.step, move: raw.move, language: raw.language, levels };
  });
export type LanguageSubmission = z.output<typeof languageSubmission>;

export const assessmentRef = z.object({ assessmentId: id });
