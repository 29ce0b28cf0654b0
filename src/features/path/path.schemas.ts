import { z } from 'zod';
import { isCalendarDate } from '../../lib/time.js';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const text = (max: number) => z.string().trim().min(1).max(max);

export const stepRef = z.object({ stepId: id });
export const goalInput = z.object({
  stepId: id,
  what: text(300),
  by: z.string().refine(isCalendarDate, 'not a date'),
  evidence: text(500),
  support: z.string().trim().max(500).optional().default(''),
});
export const doneInput = z.object({
  stepId: id,
  reflection: text(2000),
  link: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().url().max(500).regex(/^https?:\/\//).optional()),
});
/** A multi-select ChoiceSet sends "ICC,CURR" (or nothing when none is chosen). */
export const interestsInput = z.object({
  areas: z.preprocess((v) => (v === undefined || v === '' ? [] : typeof v === 'string' ? v.split(',') : v), z.array(z.string().regex(/^[A-Z]+$/)).max(8)),
});
export const shareInput = z.object({ viewerId: id });
export const shareRef = z.object({ shareId: id });
export const planRef = z.object({ planId: id });
export const rsvpInput = z.object({ stepId: id, status: z.enum(['going', 'maybe', 'no']) });
const level = z.enum(['L1', 'L2', 'L3', 'L4']);
/** The targets card: `target:<AREA>` → L1..L4 for each area. */
export const targetsInput = z
  .record(z.string(), z.unknown())
  .transform((raw, ctx) => {
    const targets: Record<string, 'L1' | 'L2' | 'L3' | 'L4'> = {};
    for (const [key, value] of Object.entries(raw)) {
      const m = /^target:([A-Z]+)$/.exec(key);
      const parsed = level.safeParse(value);
      if (!m || !parsed.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'unknown field or level' });
      else targets[m[1]!] = parsed.data;
    }
    return targets;
  });
