import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { formatInZone } from '../../lib/time.js';
import { localised, translator, type Translate } from '../../lib/i18n.js';
import { areaName, levelName, loadFramework } from '../assessment/framework.repository.js';
import { renderPng } from '../assessment/chart.js';
import { EventsRepository } from '../events/events.repository.js';
import { authorise, type Actor } from '../people/authorise.js';
import { BadgesRepository } from '../badges/badges.repository.js';
import { badgesThisWeek, organisationMapping, type MappingDeps, type OrgMapping } from './mapping.service.js';
import { mappingChartSvg } from './mapping-chart.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const digestPrefsSchema = z.object({ weekday: z.number().int().min(1).max(7).default(1), time: hhmm.default('08:00'), paused: z.boolean().default(false) });
export type DigestPrefs = z.infer<typeof digestPrefsSchema>;

export function readDigestPrefs(stored: unknown): DigestPrefs {
  const parsed = digestPrefsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : digestPrefsSchema.parse({});
}

/** The weekly digest's cron in the manager's zone (weekday 1 = Monday … 7 = Sunday). */
export function digestCron(prefs: DigestPrefs): string {
  const [h, m] = prefs.time.split(':').map(Number) as [number, number];
  return `${m} ${h} * * ${prefs.weekday % 7}`;
}

/** Organisations a person manages (manager grants for one organisation). */
export async function managedOrganisations(db: Db, personId: string): Promise<string[]> {
  const grants = await db.grant.findMany({ where: { personId, role: 'manager', scope: { not: 'partnership' } }, select: { scope: true } });
  return grants.map((g) => g.scope).sort();
}

export type DigestView = {
  organisationId: string;
  organisationName: string;
  mapping: OrgMapping;
  chartToken: string;
  badges: { counts: { name: string; count: number }[]; celebrated: { name: string; badge: string }[] };
  events: { title: string; when: string }[];
  areaNames: Record<string, string>;
};

/**
 * The digest for one organisation, as its manager may see it (authorised on the organisation); the published
 * mapping is stored under a random token so the chart image can be fetched by Teams.
 */
export async function buildDigest(deps: MappingDeps, actor: Actor | null, organisationId: string, lang: string, t: Translate = translator(lang)): Promise<DigestView> {
  if (actor && !authorise(actor, 'mapping.view', { organisationId }).allowed) throw new AppError('forbidden');
  const org = await deps.db.organisation.findUnique({ where: { id: organisationId }, select: { name: true } });
  if (!org) throw new AppError('not_found');
  const mapping = await organisationMapping(deps, organisationId);
  const framework = await loadFramework(deps.db);
  const areaNames = Object.fromEntries(framework.areas.map((a) => [a.id, areaName(framework, a.id, lang)]));
  const chartToken = crypto.randomBytes(24).toString('base64url');
  const text = { title: t('digest.chartTitle', { name: org.name }), levels: Object.fromEntries(['L1', 'L2', 'L3', 'L4'].map((l) => [l, levelName(framework, l, lang)])), hidden: t('digest.hidden', { k: deps.k }), areas: areaNames };
  await deps.db.mappingSnapshot.create({ data: { token: chartToken, organisationId, data: { overall: mapping.overall, areaIds: framework.areas.map((a) => a.id), text }, createdAt: deps.clock.now() } });
  const badges = await badgesThisWeek(deps, organisationId);
  const classes = new Map((await new BadgesRepository(deps.db).classes()).map((c) => [c.id, localised(c.content.name, lang)]));
  const events = (await new EventsRepository(deps.db).upcoming(deps.clock.now(), organisationId)).slice(0, 3);
  return {
    organisationId,
    organisationName: org.name,
    mapping,
    chartToken,
    badges: {
      counts: badges.counts.map((c) => ({ name: classes.get(c.badgeId) ?? c.badgeId, count: c.count })),
      celebrated: badges.celebrated.map((c) => ({ name: c.name, badge: classes.get(c.badgeId) ?? c.badgeId })),
    },
    events: events.map((e) => ({ title: localised(e.title, lang), when: `${formatInZone(e.startsAt, e.timeZone)} (${e.timeZone})` })),
    areaNames,
  };
}

/** The chart for a stored, already-published mapping. */
export async function mappingChartPng(db: Db, token: string): Promise<Buffer | null> {
  const snap = await db.mappingSnapshot.findUnique({ where: { token } });
  if (!snap) return null;
  const data = snap.data as { overall: OrgMapping['overall']; areaIds: string[]; text: Parameters<typeof mappingChartSvg>[2] };
  return renderPng(mappingChartSvg(data.overall, data.areaIds, data.text));
}

export async function saveDigestPrefs(db: Db, personId: string, prefs: DigestPrefs) {
  await db.person.update({ where: { id: personId }, data: { digestPrefs: prefs } });
}
