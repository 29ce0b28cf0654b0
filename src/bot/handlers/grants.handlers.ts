import { z } from 'zod';
import { rolesCard, type RolesMessage } from '../../features/people/grants.cards.js';
import { grantAsAdmin, grantsInScope, revokeAsAdmin, type GrantOutcome, type GrantsDeps } from '../../features/people/grants.service.js';
import { grantFormInput, revokeInput } from '../../features/people/people.schemas.js';
import { PARTNERSHIP } from '../../features/people/roles.js';
import { plainText } from '../../lib/cards.js';
import { AppError } from '../../lib/errors.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();

/** Mistakes an admin can correct on the same card; anything else (a refusal included) goes through the kit. */
const CORRECTABLE = new Set(['person_unknown', 'grant_organisation', 'last_admin', 'invalid_input', 'not_found']);

/** Admins: `roles` lists the grants in their scope, revokes them and grants new ones (the CLI's service, audited). */
export function registerGrantHandlers(kit: BotKit, deps: GrantsDeps) {
  const card = async (turn: Turn, message?: RolesMessage) => rolesCard(turn.t, await grantsInScope(deps.db, turn.actor), message);
  const after = async (turn: Turn, action: () => Promise<GrantOutcome>, params: { role: string; scope: string }) => {
    try {
      const outcome = await action();
      const view = await grantsInScope(deps.db, turn.actor);
      const scope = params.scope === PARTNERSHIP ? turn.t('grants.partnership') : (view.organisations.find((o) => o.id === params.scope)?.name ?? params.scope);
      const text = turn.t(`roles.outcome.${outcome.status}`, { name: plainText(outcome.person.name ?? outcome.person.email ?? '?'), role: turn.t(`grants.${params.role}`), scope });
      return rolesCard(turn.t, view, { text, tone: outcome.status === 'granted' || outcome.status === 'revoked' ? 'good' : 'default' });
    } catch (error) {
      if (error instanceof AppError && CORRECTABLE.has(error.code)) return card(turn, { text: turn.t(`errors.${error.code}`), tone: 'attention' });
      throw error;
    }
  };

  kit.command('roles', 'grants.manage', async (_context, turn) => card(turn));
  kit.verb('grants.open', 'grants.manage', noInput, async (_context, turn) => card(turn));
  kit.verb('grants.grant', 'grants.manage', grantFormInput, async (_context, turn, input) => {
    if (!input.personId && !input.email) return card(turn, { text: turn.t('roles.choosePerson'), tone: 'attention' });
    return after(turn, () => grantAsAdmin(deps, turn.actor, input), input);
  });
  kit.verb('grants.revoke', 'grants.manage', revokeInput, async (_context, turn, input) => after(turn, () => revokeAsAdmin(deps, turn.actor, input), input));
}
