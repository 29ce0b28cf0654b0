import { z } from 'zod';
import { levelName, loadFramework } from '../../features/assessment/framework.repository.js';
import { digestCard, digestSettingsCard } from '../../features/mapping/digest.cards.js';
import { buildDigest, managedOrganisations, readDigestPrefs, saveDigestPrefs } from '../../features/mapping/digest.service.js';
import type { MappingDeps } from '../../features/mapping/mapping.service.js';
import { button, noticeCard } from '../../features/people/people.cards.js';
import { createExport } from '../../features/mapping/export.service.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();
const exportInput = z.object({ organisationId: z.string().trim().regex(/^[a-z0-9-]{1,64}$/), format: z.enum(['csv', 'xlsx']) });
const settingsInput = z.object({
  weekday: z.coerce.number().int().min(1).max(7),
  time: z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  paused: z.preprocess((v) => v === true || v === 'true', z.boolean()),
});

/** Managers: `digest` shows this week's digest now; the weekly one comes by itself (src/jobs/recurring/weekly-digest.job.ts). */
export function registerDigestHandlers(kit: BotKit, deps: MappingDeps & { publicBaseUrl: string }) {
  const levelNames = async (lang: string) => {
    const framework = await loadFramework(deps.db);
    return Object.fromEntries(['L1', 'L2', 'L3', 'L4'].map((l) => [l, levelName(framework, l, lang)]));
  };
  const digest = async (turn: Turn) => {
    const orgs = await managedOrganisations(deps.db, turn.person.id);
    if (orgs.length === 0) return noticeCard({ title: turn.t('digest.settingsButton'), text: turn.t('digest.none') });
    // One organisation per card; a manager of several gets the first here and all of them weekly.
    return digestCard(turn.t, await levelNames(turn.lang), await buildDigest(deps, turn.actor, orgs[0]!, turn.lang, turn.t), deps.publicBaseUrl);
  };
  kit.command('digest', 'mapping.view', async (_context, turn) => digest(turn));
  kit.verb('digest.open', 'mapping.view', noInput, async (_context, turn) => digest(turn));
  kit.verb('digest.export', 'mapping.view', exportInput, async (_context, turn, input) => {
    const { token, expiresAt } = await createExport(deps, turn.actor, input.organisationId, input.format);
    const url = `${deps.publicBaseUrl.replace(/\/$/, '')}/exports/${token}.${input.format}`;
    return noticeCard({ title: turn.t('digest.exportTitle'), text: turn.t('digest.exportText', { url, time: expiresAt.toISOString().slice(11, 16) }), buttons: [button(turn.t('digest.open'), 'digest.open')] });
  });
  kit.verb('digest.settings', 'mapping.view', noInput, async (_context, turn) => {
    const person = await deps.db.person.findUniqueOrThrow({ where: { id: turn.person.id }, select: { digestPrefs: true } });
    return digestSettingsCard(turn.t, readDigestPrefs(person.digestPrefs));
  });
  kit.verb('digest.save', 'mapping.view', settingsInput, async (_context, turn, input) => {
    await saveDigestPrefs(deps.db, turn.person.id, input);
    return digestSettingsCard(turn.t, input, turn.t('digest.settings.saved'));
  });
}
