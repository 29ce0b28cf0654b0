import type { Env } from '../config/env.js';
import type { Db } from '../db/client.js';
import { PeopleRepository } from '../features/people/people.repository.js';
import { erasePerson } from '../features/privacy/erase.service.js';
import { systemClock } from '../lib/clock.js';

type Out = (line: string) => void;

/**
 * `erase-person`: an erasure request that reaches an operator instead of the bot (by e-mail, or from someone who has
 * left Teams) goes through the same use case as `delete my data`. Without --yes it only says who would be erased.
 */
export async function eraseFromCli(deps: { env: Env; db: Db }, opts: { email: string; yes: boolean }, out: Out): Promise<number> {
  const people = await new PeopleRepository(deps.db).findByEmail(opts.email.trim().toLowerCase());
  if (people.length !== 1) {
    out(people.length === 0 ? `No one with the e-mail ${opts.email} is stored; nothing to erase.` : `Several people have the e-mail ${opts.email}; nothing was erased.`);
    return 1;
  }
  const person = people[0]!;
  if (!opts.yes) {
    out(`This would erase ${person.name ?? '?'} <${opts.email}> and everything stored about them (see README, Data rights). Run again with --yes to erase.`);
    return 1;
  }
  const result = await erasePerson({ db: deps.db, clock: systemClock, pseudonymKey: deps.env.PRIVACY_PSEUDONYM_KEY }, person.id, 'request');
  out(result.erased ? `Erased; the audit log now names them ${result.pseudonym}; ${result.badgesKept} issued badge(s) keep verifying without a name.` : 'Nothing to erase (already erased).');
  return 0;
}
