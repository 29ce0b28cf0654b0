import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Db } from '../db/client.js';
import { actorOf, type Actor } from '../features/people/authorise.js';
import { recordContact, recordMemberDetails } from '../features/people/identity.service.js';
import type { PersonRow } from '../features/people/people.repository.js';
import type { Clock } from '../lib/clock.js';
import { resolveLanguage, translator, type Translate } from '../lib/i18n.js';
import type { Logger } from '../lib/logger.js';
import { isTimeZone } from '../lib/time.js';
import { contactFromActivity } from './activity.js';

/** What every handler gets: the person acting (from the database, this turn), their language and translator. */
/** `timeZone`: the person's own zone when Teams told a valid one, else the installation's default (for times shown). */
export type Turn = { person: PersonRow; actor: Actor; lang: string; t: Translate; timeZone: string; firstContact: boolean };

const TURN_KEY = Symbol('rexvet.turn');

export type TurnDeps = { db: Db; clock: Clock; logger: Logger; bootstrapAdmins: string[]; defaultLanguage: string; defaultTimeZone: string };

export function turnFor(person: PersonRow, firstContact: boolean, defaults: { language: string; timeZone: string }): Turn {
  const lang = resolveLanguage([person.language, person.clientLocale], defaults.language);
  const timeZone = person.timeZone && isTimeZone(person.timeZone) ? person.timeZone : defaults.timeZone;
  return { person, actor: actorOf(person), lang, t: translator(lang), timeZone, firstContact };
}

/**
 * Runs before every routed activity: records the person and conversation (refreshing serviceUrl), fetches
 * e-mail/UPN from Teams on first contact, and keeps the Turn for the handlers. Activities without a sender
 * (some system events) get no Turn.
 */
export async function beginTurn(deps: TurnDeps, context: TurnContext): Promise<Turn | null> {
  const contact = contactFromActivity(context.activity);
  if (!contact) return null;
  const { person: recorded, firstContact, identityConflict } = await recordContact(deps, contact);
  if (identityConflict) deps.logger.warn({ personId: recorded.id }, 'activity carries another person\'s Entra object id; the record was left as it was');
  let person = recorded;
  if (!person.memberFetchedAt && context.activity.conversation?.conversationType !== 'channel') {
    try {
      const member = await TeamsInfo.getMember(context, contact.teamsUserId);
      person = await recordMemberDetails(deps.db, deps.clock, person.id, {
        email: member.email ?? undefined,
        upn: member.userPrincipalName ?? undefined,
      });
    } catch (error) {
      deps.logger.warn({ err: error, personId: person.id }, 'could not fetch member details from Teams; will retry next turn');
    }
  }
  const turn = turnFor(person, firstContact, { language: deps.defaultLanguage, timeZone: deps.defaultTimeZone });
  context.turnState.set(TURN_KEY, turn);
  return turn;
}

export function getTurn(context: TurnContext): Turn | undefined {
  return context.turnState.get(TURN_KEY) as Turn | undefined;
}

/** After a handler changed the person (language, grants…), later replies in the same turn use the new state. */
export function replaceTurn(context: TurnContext, turn: Turn) {
  context.turnState.set(TURN_KEY, turn);
}
