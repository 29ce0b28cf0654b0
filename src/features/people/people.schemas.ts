import { z } from 'zod';
import { GRANT_ROLES } from './roles.js';

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

const grantRole = z.enum(GRANT_ROLES);
const optionalEmail = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().trim().toLowerCase().max(254).email().optional());

/** The `roles` card's grant form: a person from the list or by e-mail (the e-mail wins when both are given). */
export const grantFormInput = z.object({ role: grantRole, scope: shortId, personId: optionalId, email: optionalEmail });
export const revokeInput = z.object({ personId: shortId, role: grantRole, scope: shortId });
