/** What the privacy notice promises, from the deployment's configuration: the smallest group managers see, how long an unused profile is kept. */
export type PrivacyTerms = { minGroup: number; retentionMonths: number };

export function privacyTerms(env: { PRIVACY_MIN_GROUP: number; RETENTION_INACTIVE_MONTHS: number }): PrivacyTerms {
  return { minGroup: env.PRIVACY_MIN_GROUP, retentionMonths: env.RETENTION_INACTIVE_MONTHS };
}
