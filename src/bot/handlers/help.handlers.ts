import { z } from 'zod';
import type { BotKit } from '../kit.js';
import { helpCard, privacyCard } from '../common.cards.js';
import type { Registry } from '../registry.js';

const noInput = z.object({}).passthrough();

export function registerHelpHandlers(kit: BotKit, registry: Registry) {
  kit.command('help', 'help.show', async (_context, turn) => helpCard(turn, registry));
  kit.command('privacy', 'privacy.show', async (_context, turn) => privacyCard(turn));
  kit.verb('help.show', 'help.show', noInput, async (_context, turn) => helpCard(turn, registry));
  kit.verb('privacy.show', 'privacy.show', noInput, async (_context, turn) => privacyCard(turn));
}
