import crypto from 'node:crypto';

/**
 * The secret of a short-lived download link (`/exports/…`, `/privacy/…`): 24 random bytes in the URL, and only
 * their SHA-256 in the database, so a copy of the database opens no link.
 */
export const hashLinkToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = crypto.randomBytes(24).toString('base64url');
  return { token, tokenHash: hashLinkToken(token) };
}
