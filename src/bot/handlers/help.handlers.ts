import { z } from 'zod';
import type { BotKit } from '../kit.js';
import { helpCard } from '../common.cards.js';
import type { Registry } from '../registry.js';

const noInput = z.object({}).passthrough();

export function registerHelpHandlers(kit: BotKit, registry: Registry) {
  kit.command('help', 'help.show', async (_context, turn) => helpCard(turn, registry));
  kit.verb('help.show', 'help.show', noInput, async (_context, turn) => helpCard(turn, registry));
}
