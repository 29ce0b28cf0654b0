/** Permission grants. A job role (teacher, manager, …) is something else: it only selects a target profile. */
export const GRANT_ROLES = ['coordinator', 'manager', 'mentor', 'admin'] as const;
export type GrantRole = (typeof GRANT_ROLES)[number];

/** The scope of a grant: one organisation id, or the whole partnership. */
export const PARTNERSHIP = 'partnership';

/** Job roles whose choice asks an admin for the matching grant. */
export const JOB_ROLE_GRANT_REQUESTS: Record<string, GrantRole> = { manager: 'manager', coordinator: 'coordinator' };

export type GrantRef = { role: string; scope: string };

export function isGrantRole(value: string): value is GrantRole {
  return (GRANT_ROLES as readonly string[]).includes(value);
}
