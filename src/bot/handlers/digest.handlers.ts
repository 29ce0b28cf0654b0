import { z } from 'zod';
import { areaName, levelName, loadFramework } from '../../features/assessment/framework.repository.js';
import { digestCard, digestSettingsCard, mappingCard, strategyCard } from '../../features/mapping/digest.cards.js';
import { organisationMapping, partnershipMapping } from '../../features/mapping/mapping.service.js';
import { PARTNERSHIP } from '../../features/people/roles.js';
import { saveStrategy, strategyOf } from '../../features/mapping/strategy.service.js';
import { authorise } from '../../features/people/authorise.js';
import { AppError } from '../../lib/errors.js';
import { localised } from '../../lib/i18n.js';
import { clockTimeIn } from '../../lib/time.js';
import { buildDigest, managedOrganisations, readDigestPrefs, saveDigestPrefs } from '../../features/mapping/digest.service.js';
import type { MappingDeps } from '../../features/mapping/mapping.service.js';
import { button, noticeCard } from '../../features/people/people.cards.js';
import { createExport } from '../../features/mapping/export.service.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();
const orgId = z.string().trim().regex(/^[a-z0-9-]{1,64}$/);
const orgRef = z.object({ organisationId: orgId });
/** The strategy card: `weight:<AREA>` → 0..3 for each area. */
const strategyInput = z
  .record(z.string(), z.unknown())
  .transform((raw, ctx) => {
    const weights: Record<string, number> = {};
    for (const [key, value] of Object.entries(raw)) {
      const m = /^weight:([A-Z]+)$/.exec(key);
      if (!m) continue;
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || n > 3) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${key} must be 0..3` });
      weights[m[1]!] = Math.round(n * 10) / 10;
    }
    const organisationId = orgId.safeParse(raw.organisationId);
    if (!organisationId.success) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'organisationId' });
    return { organisationId: organisationId.success ? organisationId.data : '', weights };
  });
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
    return noticeCard({ title: turn.t('digest.exportTitle'), text: turn.t('digest.exportText', { url, time: clockTimeIn(expiresAt, turn.timeZone) }), buttons: [button(turn.t('digest.open'), 'digest.open')] });
  });
  kit.verb('mapping.open', 'mapping.view', orgRef, async (_context, turn, input) => {
    if (!authorise(turn.actor, 'mapping.view', { organisationId: input.organisationId }).allowed) throw new AppError('forbidden');
    const org = await deps.db.organisation.findUnique({ where: { id: input.organisationId }, select: { name: true, units: { select: { id: true, name: true } } } });
    if (!org) throw new AppError('not_found');
    const m = await organisationMapping(deps, input.organisationId);
    const roles = await deps.db.jobRole.findMany({ select: { id: true, name: true } });
    return mappingCard(turn.t, { organisationName: org.name, organisationId: input.organisationId, k: m.k, asOf: m.asOf, byUnit: m.byUnit, byRole: m.byRole }, {
      units: Object.fromEntries(org.units.map((u) => [u.id, localised(u.name, turn.lang)])),
      roles: Object.fromEntries(roles.map((r) => [r.id, localised(r.name, turn.lang)])),
    });
  });
  // Coordinators of the whole partnership: every organisation side by side, aggregated.
  const partnership = async (turn: Turn) => {
    if (!turn.actor.grants.some((g) => g.role === 'coordinator' && g.scope === PARTNERSHIP)) throw new AppError('forbidden');
    const m = await partnershipMapping(deps);
    const orgs = await deps.db.organisation.findMany({ select: { id: true, name: true } });
    return mappingCard(
      turn.t,
      { organisationName: turn.t('digest.mapping.partnership'), organisationId: '', k: m.k, asOf: m.asOf, byUnit: m.byOrganisation, byRole: [] },
      { units: Object.fromEntries(orgs.map((o) => [o.id, o.name])), roles: {} },
      { byUnit: turn.t('digest.mapping.byOrganisation'), partnership: true },
    );
  };
  kit.command('partnership', 'mapping.partnership', async (_context, turn) => partnership(turn));
  kit.verb('mapping.partnership', 'mapping.partnership', noInput, async (_context, turn) => partnership(turn));
  const strategyView = async (turn: Turn, organisationId: string, message?: string) => {
    const weights = await strategyOf(deps.db, turn.actor, organisationId);
    const org = await deps.db.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } });
    const framework = await loadFramework(deps.db);
    return strategyCard(turn.t, org.name, organisationId, framework.areas.map((a) => ({ id: a.id, name: areaName(framework, a.id, turn.lang) })), weights, message);
  };
  kit.verb('mapping.strategy', 'strategy.edit', orgRef, async (_context, turn, input) => strategyView(turn, input.organisationId));
  kit.verb('mapping.saveStrategy', 'strategy.edit', strategyInput, async (_context, turn, input) => {
    await saveStrategy(deps.db, turn.actor, input.organisationId, input.weights);
    return strategyView(turn, input.organisationId, turn.t('digest.strategy.saved'));
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
