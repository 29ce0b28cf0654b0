import crypto from 'node:crypto';

/**
 * The keyed hash that stands for an erased person where a record must stay (the audit log, who granted or decided
 * something): the same person always gets the same pseudonym, so an audit trail stays readable, but without the key
 * (PRIVACY_PSEUDONYM_KEY) nobody can test a guessed id, e-mail or name against it.
 */
export function pseudonym(key: string, personId: string): string {
  return `pseudonym:${crypto.createHmac('sha256', key).update(`person:${personId}`).digest('hex').slice(0, 32)}`;
}

/** What identifies a person anywhere in the database. */
export type Identity = { id: string; teamsUserId: string; aadObjectId: string | null; name: string | null; email: string | null; upn: string | null };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds and replaces a person's identifiers — `person:<id>`, the id, Teams and Entra ids, e-mail, UPN, name — in
 * stored text and JSON, ignoring case, where they stand on their own (not inside a longer word or number: "Ada" is
 * not found in "Adam"). One alternation, longest first, in one pass: a replacement is never searched again. Values
 * shorter than three characters are left out (they would match everywhere).
 */
export class IdentityMatcher {
  private readonly pattern: RegExp;

  constructor(p: Identity) {
    const values = [`person:${p.id}`, p.id, p.teamsUserId, p.aadObjectId, p.email, p.upn, p.name].filter((v): v is string => !!v && v.trim().length >= 3);
    const unique = [...new Set(values)].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${unique.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  }

  mentions(value: unknown): boolean {
    if (value === null || value === undefined) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(typeof value === 'string' ? value : JSON.stringify(value));
  }

  replace(text: string, replacement: string): string {
    return text.replace(this.pattern, () => replacement);
  }

  /** The same through every string and key of a JSON value. */
  scrub(value: unknown, replacement: string): unknown {
    if (typeof value === 'string') return this.replace(value, replacement);
    if (Array.isArray(value)) return value.map((v) => this.scrub(v, replacement));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.replace(k, replacement), this.scrub(v, replacement)]));
    }
    return value;
  }
}
