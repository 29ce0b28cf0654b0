import { z } from 'zod';

const shortId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/);
const optionalId = z.preprocess((v) => (v === '' || v === null ? undefined : v), shortId.optional());

/** The onboarding / settings form as it arrives from the card (Action.Execute data or Action.Submit value). */
export const profileFormInput = z.object({
  language: z.string().trim().regex(/^[a-z]{2}$/, 'language'),
  jobRole: shortId,
  unitId: optionalId,
  organisationId: optionalId,
});
export type ProfileFormInput = z.infer<typeof profileFormInput>;

export const requestDecisionInput = z.object({ requestId: shortId });
