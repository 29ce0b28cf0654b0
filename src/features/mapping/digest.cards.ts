import { plainText, renderCard, type Card } from '../../lib/cards.js';
import type { Translate } from '../../lib/i18n.js';
import { button } from '../people/people.cards.js';
import type { SafeCount } from './mapping.service.js';
import type { DigestView } from './digest.service.js';
import { LEVEL_IDS } from './anonymise.js';

const show = (t: Translate, c: SafeCount) => ('value' in c ? String(c.value) : t('digest.fewerThan', { k: c.fewerThan }));

/** When the published numbers are from (they change only after k people's results have). */
export const asOfText = (t: Translate, asOf: string | null, k: number) => (asOf ? t('digest.asOf', { date: asOf.slice(0, 10), k }) : t('digest.notYet', { k }));

/** The weekly digest: participation, the level distribution chart, changes, needs, badges and events — aggregates only. */
export function digestCard(t: Translate, levelNames: Record<string, string>, view: DigestView, publicBaseUrl: string): Card {
  const m = view.mapping;
  const changes = Object.entries(m.changeWeek).flatMap(([area, byLevel]) =>
    LEVEL_IDS.filter((l) => (byLevel[l] ?? 0) !== 0).map((l) => ({
      text: t('digest.changeLine', { area: view.areaNames[area] ?? area, level: levelNames[l], week: signed(byLevel[l]!), quarter: m.changeQuarter[area]?.[l] == null ? '–' : signed(m.changeQuarter[area]![l]!) }),
    })),
  );
  return renderCard('digest', {
    title: t('digest.title', { name: plainText(view.organisationName) }),
    intro: `${t('digest.intro', { k: m.k })} ${asOfText(t, m.asOf, m.k)}`,
    participation: [
      { title: t('digest.staff'), value: show(t, m.participation.staff) },
      { title: t('digest.assessed'), value: show(t, m.participation.assessed) },
      { title: t('digest.withPlan'), value: show(t, m.participation.withPlan) },
    ],
    chart: `${publicBaseUrl.replace(/\/$/, '')}/charts/mapping/${view.chartToken}.png`,
    chartAlt: t('digest.chartAlt'),
    changesTitle: t('digest.changesTitle'),
    changes: changes.length ? changes : [{ text: t('digest.noChanges', { k: m.k }) }],
    needsTitle: t('digest.needsTitle'),
    needs: m.needs.length ? m.needs.map((n, i) => ({ text: t('digest.needLine', { n: i + 1, area: view.areaNames[n.areaId] ?? n.areaId, share: Math.round(n.share * 100), weight: n.weight }) })) : [{ text: t('digest.noNeeds') }],
    badgesTitle: t('digest.badgesTitle'),
    badges: [
      ...view.badges.counts.map((b) => ({ text: t('digest.badgeLine', { name: plainText(b.name), count: b.count }) })),
      ...view.badges.celebrated.map((b) => ({ text: t('digest.celebratedLine', { name: plainText(b.name), badge: plainText(b.badge) }) })),
      ...(view.badges.counts.length + view.badges.celebrated.length === 0 ? [{ text: t('digest.noBadges', { k: m.k }) }] : []),
    ],
    eventsTitle: t('digest.eventsTitle'),
    events: view.events.length ? view.events.map((e) => ({ text: `• ${plainText(e.title)} — ${e.when}` })) : [{ text: t('digest.noEvents') }],
    privacy: t('digest.privacy', { k: m.k }),
    buttons: [
      button(t('digest.mapping.open'), 'mapping.open', { organisationId: view.organisationId }),
      button(t('digest.exportCsv'), 'digest.export', { organisationId: view.organisationId, format: 'csv' }),
      button(t('digest.exportXlsx'), 'digest.export', { organisationId: view.organisationId, format: 'xlsx' }),
      button(t('digest.settingsButton'), 'digest.settings'),
    ],
  });
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function digestSettingsCard(t: Translate, prefs: { weekday: number; time: string; paused: boolean }, message?: string): Card {
  return renderCard('digest-settings', {
    title: t('digest.settings.title'),
    intro: t('digest.settings.intro'),
    hasMessage: !!message,
    message: message ?? '',
    weekdayLabel: t('digest.settings.weekday'),
    weekday: String(prefs.weekday),
    days: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ title: t(`digest.settings.days.${d}`), value: String(d) })),
    timeLabel: t('digest.settings.time'),
    time: prefs.time,
    pausedLabel: t('digest.settings.paused'),
    paused: String(prefs.paused),
    saveTitle: t('digest.settings.save'),
  });
}

type GroupLine = { key: string; n: number | null; counts: Record<string, Record<string, number | null>> };

/** The full mapping: one line per unit and per job role, each area as Rookie·Explorer·Practitioner·Expert, – where hidden. */
export function mappingCard(
  t: Translate,
  view: { organisationName: string; organisationId: string; k: number; asOf: string | null; byUnit: GroupLine[]; byRole: GroupLine[] },
  names: { units: Record<string, string>; roles: Record<string, string> },
  opts: { byUnit?: string; partnership?: boolean } = {},
): Card {
  const line = (g: GroupLine) =>
    Object.entries(g.counts)
      .map(([area, c]) => `${area} ${LEVEL_IDS.map((l) => (c[l] === null ? '–' : String(c[l]))).join('·')}`)
      .join(' · ');
  const rows = (groups: GroupLine[], label: Record<string, string>) =>
    groups.length
      ? groups.map((g) => ({ title: `${plainText(label[g.key] ?? t('digest.mapping.none'))} (${g.n ?? t('digest.fewerThan', { k: view.k })})`, value: g.n === null ? t('digest.mapping.hiddenGroup') : line(g) }))
      : [{ title: '–', value: t('digest.mapping.noData') }];
  return renderCard('mapping', {
    title: t('digest.mapping.title', { name: plainText(view.organisationName) }),
    intro: `${t('digest.mapping.intro', { k: view.k })} ${asOfText(t, view.asOf, view.k)}`,
    sections: [
      { title: opts.byUnit ?? t('digest.mapping.byUnit'), rows: rows(view.byUnit, names.units) },
      ...(opts.partnership ? [] : [{ title: t('digest.mapping.byRole'), rows: rows(view.byRole, names.roles) }]),
    ],
    buttons: opts.partnership ? [] : [button(t('digest.mapping.strategy'), 'mapping.strategy', { organisationId: view.organisationId }), button(t('digest.open'), 'digest.open')],
  });
}

export function strategyCard(t: Translate, organisationName: string, organisationId: string, areas: { id: string; name: string }[], weights: Record<string, number>, message?: string): Card {
  return renderCard('strategy', {
    title: t('digest.strategy.title', { name: plainText(organisationName) }),
    intro: t('digest.strategy.intro'),
    hasMessage: !!message,
    message: message ?? '',
    areas: areas.map((a) => ({ id: `weight:${a.id}`, label: plainText(a.name), value: weights[a.id] ?? 1, error: t('digest.strategy.error') })),
    saveTitle: t('digest.strategy.save'),
    saveData: { organisationId, verb: 'mapping.saveStrategy' },
  });
}
