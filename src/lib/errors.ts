import crypto from 'node:crypto';

/**
 * An error whose `code` maps to an i18n key (`errors.<code>`) that is safe to show to the user.
 * Anything else thrown is shown as the generic "something went wrong" message and logged.
 */
export type AppErrorCode =
  | 'forbidden'
  | 'invalid_input'
  | 'not_found'
  | 'stale_card'
  | 'not_onboarded'
  | 'already_decided'
  | 'unknown_organisation'
  | 'organisation_first'
  | 'badge_no_email'
  | 'event_cancelled'
  | 'rsvp_closed'
  | 'person_unknown'
  | 'grant_organisation'
  | 'last_admin';

/** A short id shown to the user with a generic error and written to the log, so an admin can find the entry. */
export function errorRef(): string {
  return crypto.randomBytes(4).toString('hex');
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message?: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}
