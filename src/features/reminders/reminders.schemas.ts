import { z } from 'zod';
import { REMINDER_KINDS } from './preferences.js';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const reminderRef = z.object({ jobId: id });

const hhmm = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** Input.Toggle sends "true"/"false" (Action.Submit may send booleans). */
const toggle = z.preprocess((v) => v === true || v === 'true', z.boolean());

/** The reminder settings card: one toggle per kind (`kind_<kind>`), cap, time, quiet hours, time zone. */
export const reminderSettingsInput = z
  .object({
    weeklyCap: z.coerce.number().int().min(0).max(14),
    time: hhmm,
    quietStart: hhmm,
    quietEnd: hhmm,
    timeZone: z.string().trim().min(1).max(64),
    ...Object.fromEntries(REMINDER_KINDS.map((k) => [`kind_${k}`, toggle.optional()])),
  })
  .transform((v) => ({
    on: REMINDER_KINDS.filter((k) => (v as Record<string, unknown>)[`kind_${k}`] === true),
    weeklyCap: v.weeklyCap,
    time: v.time,
    quietStart: v.quietStart,
    quietEnd: v.quietEnd,
    timeZone: v.timeZone,
  }));
