import { z } from 'zod';
import { levelName, loadFramework } from '../../features/assessment/framework.repository.js';
import { digestCard } from '../../features/mapping/digest.cards.js';
import { buildDigest, managedOrganisations } from '../../features/mapping/digest.service.js';
import type { MappingDeps } from '../../features/mapping/mapping.service.js';
import { resolveLanguage, translator } from '../../lib/i18n.js';
import type { JobHandler } from '../worker.js';

export const digestPayload = z.object({ organisationId: z.string().min(1) });

/** One manager's weekly digest for one organisation, built when it is sent (fresh numbers) and only if still a manager. */
export function digestJob(deps: MappingDeps & { publicBaseUrl: string; defaultLanguage: string }): JobHandler<z.infer<typeof digestPayload>> {
  return {
    kind: 'digest',
    payload: digestPayload,
    async run(ctx, payload) {
      const personId = ctx.job.personId;
      if (!personId) return { status: 'skipped', reason: 'no person' };
      if (!(await managedOrganisations(deps.db, personId)).includes(payload.organisationId)) return { status: 'skipped', reason: 'no longer a manager of this organisation' };
      const person = await deps.db.person.findUniqueOrThrow({ where: { id: personId }, select: { language: true, clientLocale: true } });
      const lang = resolveLanguage([person.language, person.clientLocale], deps.defaultLanguage);
      const t = translator(lang);
      const framework = await loadFramework(deps.db);
      const levels = Object.fromEntries(['L1', 'L2', 'L3', 'L4'].map((l) => [l, levelName(framework, l, lang)]));
      const view = await buildDigest(deps, null, payload.organisationId, lang, t);
      return { status: 'delivered', outcome: await ctx.deliver({ personId }, digestCard(t, levels, view, deps.publicBaseUrl), t('digest.title', { name: view.organisationName })) };
    },
  };
}
