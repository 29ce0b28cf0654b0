import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { erasePerson } from '../../features/privacy/erase.service.js';
import { createPersonalExport } from '../../features/privacy/export.service.js';
import { eraseConfirmCard, erasedCard, eraseStaleCard, exportLinksCard, privacyCard } from '../../features/privacy/privacy.cards.js';
import type { Clock } from '../../lib/clock.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();
const confirmInput = z.object({ profile: z.string().min(1).max(64) });

export type PrivacyHandlerDeps = { db: Db; clock: Clock; publicBaseUrl: string; pseudonymKey: string };

/** The notice (`privacy`) and the data rights: a copy of everything (`my data`) and erasure (`delete my data`). */
export function registerPrivacyHandlers(kit: BotKit, deps: PrivacyHandlerDeps) {
  const notice = async (_context: unknown, turn: Turn) => privacyCard(turn.t, kit.terms);
  kit.command('privacy', 'privacy.show', notice);
  kit.verb('privacy.show', 'privacy.show', noInput, notice);

  const exportLinks = async (_context: unknown, turn: Turn) => {
    const { token, expiresAt } = await createPersonalExport(deps, turn.person.id, turn.lang);
    const base = `${deps.publicBaseUrl.replace(/\/$/, '')}/privacy/${token}`;
    return exportLinksCard(turn.t, { json: `${base}.json`, html: `${base}.html` }, expiresAt, turn.timeZone);
  };
  kit.command('mydata', 'privacy.export', exportLinks);
  kit.verb('privacy.export', 'privacy.export', noInput, exportLinks);

  const ask = async (_context: unknown, turn: Turn) => eraseConfirmCard(turn.t, turn.person.id);
  kit.command('deletedata', 'privacy.erase', ask);
  kit.verb('privacy.eraseAsk', 'privacy.erase', noInput, ask);
  kit.verb('privacy.eraseConfirm', 'privacy.erase', confirmInput, async (_context, turn, input) => {
    // A card shown to an earlier profile (erased, then started afresh) erases nothing.
    if (input.profile !== turn.person.id) return eraseStaleCard(turn.t);
    const result = await erasePerson(deps, turn.person.id, 'request');
    return erasedCard(turn.t, result.erased ? result.badgesKept : 0);
  });
}
