import { z } from 'zod';
import { getProfileView, saveProfile } from '../../features/people/profile.service.js';
import { profileFormInput } from '../../features/people/people.schemas.js';
import { profileSavedCard } from '../../features/people/people.cards.js';
import type { RequestDeps } from '../../features/people/access-requests.service.js';
import type { BotKit } from '../kit.js';
import { helpCard, settingsCard, welcomeCard } from '../common.cards.js';
import type { Registry } from '../registry.js';
import { replaceTurn, turnFor } from '../turn.js';

const noInput = z.object({}).passthrough();

/** Onboarding (welcome card) and settings: the same form, saved by the same use case. */
export function registerOnboardingHandlers(kit: BotKit, deps: RequestDeps & { registry: Registry; defaultLanguage: string; defaultTimeZone: string }) {
  kit.command('start', 'onboarding.open', async (_context, turn) =>
    turn.person.onboardedAt ? helpCard(turn, deps.registry) : welcomeCard(deps.db, turn, kit.terms),
  );
  kit.command('settings', 'settings.open', async (_context, turn) => settingsCard(deps.db, turn));
  kit.verb('onboarding.open', 'onboarding.open', noInput, async (_context, turn) => welcomeCard(deps.db, turn, kit.terms));
  kit.verb('settings.open', 'settings.open', noInput, async (_context, turn) => settingsCard(deps.db, turn));

  for (const verb of ['onboarding.save', 'settings.save'] as const) {
    kit.verb(verb, verb, profileFormInput, async (context, turn, input) => {
      const firstTime = !turn.person.onboardedAt;
      const { person, notices } = await saveProfile(deps, turn.actor, input);
      const next = turnFor(person, false, { language: deps.defaultLanguage, timeZone: deps.defaultTimeZone });
      replaceTurn(context, next);
      return profileSavedCard(next.t, await getProfileView(deps.db, person.id, next.lang), notices, firstTime);
    });
  }
}
