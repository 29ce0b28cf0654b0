import type { Db } from '../../db/client.js';
import { localised, translator } from '../../lib/i18n.js';
import { areaName, levelName, loadFramework, type Framework } from '../assessment/framework.repository.js';
import type { BadgeClassContent } from '../badges/badges.repository.js';
import { LearningRepository, type ModuleRow } from '../learning/learning.repository.js';
import { activityTitle } from '../path/catalogue.js';
import { PARTNERSHIP } from '../people/roles.js';
import type { PersonalData } from './export.service.js';

/** The readable summary of `my data`, in the person's language: sections of facts and items, plain text only. */
export type SummaryItem = { title: string; lines: string[] };
export type SummarySection = { heading: string; facts: { label: string; value: string }[]; items: SummaryItem[] };
export type SummaryView = { lang: string; title: string; intro: string; note: string; sections: SummarySection[] };

/** Names for the ids in a person's data (areas, statements, modules, badges, events, job roles, organisations) in their language. */
export type SummaryNames = {
  framework: Framework;
  modules: ModuleRow[];
  badges: Map<string, BadgeClassContent>;
  events: Map<string, unknown>;
  jobRoles: Map<string, unknown>;
  organisations: Map<string, string>;
};

export async function summaryNames(db: Db): Promise<SummaryNames> {
  const [framework, modules, badges, events, jobRoles, organisations] = await Promise.all([
    loadFramework(db),
    new LearningRepository(db).modules(),
    db.badgeClass.findMany({ select: { id: true, content: true } }),
    db.event.findMany({ select: { id: true, title: true } }),
    db.jobRole.findMany({ select: { id: true, name: true } }),
    db.organisation.findMany({ select: { id: true, name: true } }),
  ]);
  return {
    framework,
    modules,
    badges: new Map(badges.map((b) => [b.id, b.content as BadgeClassContent])),
    events: new Map(events.map((e) => [e.id, e.title])),
    jobRoles: new Map(jobRoles.map((r) => [r.id, r.name])),
    organisations: new Map(organisations.map((o) => [o.id, o.name])),
  };
}

const day = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : '');
const minute = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') : '');

export function personalSummary(data: PersonalData, names: SummaryNames, lang: string): SummaryView {
  const t = translator(lang);
  const s = (key: string, params?: Record<string, unknown>) => t(`privacy.summary.${key}`, params ?? {});
  const status = (code: string) => t(`privacy.summary.status.${code}`, { defaultValue: code });
  const area = (id: string) => areaName(names.framework, id, lang);
  const level = (id: string) => levelName(names.framework, id, lang);
  const statement = (id: string) => localised(names.framework.areas.flatMap((a) => a.statements).find((x) => x.id === id)?.text, lang) || id;
  const badge = (id: string) => localised(names.badges.get(id)?.name, lang) || id;
  const skill = (id: string) => localised(names.framework.cefr.skills.find((x) => x.id === id)?.name, lang) || id;
  const organisation = (id: string) => (id === PARTNERSHIP ? t('grants.partnership') : (names.organisations.get(id) ?? id));
  // An action without its own words (one added later) still reads as words, not as a code.
  const action = (code: string) => t(`privacy.summary.actions.${code.replace(/\./g, '_')}`, { defaultValue: s('lines.otherAction', { action: code.replace(/[._]/g, ' ') }) });
  const p = data.profile;
  const fact = (label: string, value: string | null | undefined) => ({ label: s(`labels.${label}`), value: value || '—' });
  const prefValue = (key: string, v: unknown): string => {
    if (typeof v === 'boolean') return s(v ? 'yes' : 'no');
    if (key === 'off' && Array.isArray(v)) return v.map((kind) => t(`reminders.kinds.${String(kind)}`, { defaultValue: String(kind) })).join(', ') || '—';
    if (key === 'weekday') return t(`digest.settings.days.${String(v)}`, { defaultValue: String(v) });
    if (key === 'weeklyCap' && v === 0) return s('prefs.noLimit');
    if (Array.isArray(v)) return v.join(', ') || '—';
    return v === null || v === undefined ? '—' : String(v);
  };
  const prefFacts = (prefs: unknown) =>
    Object.entries((prefs ?? {}) as Record<string, unknown>).map(([k, v]) => ({ label: t(`privacy.summary.prefs.${k}`, { defaultValue: k }), value: prefValue(k, v) }));
  const messageLines = (content: Record<string, unknown>) => [
    ...(typeof content.summary === 'string' ? [content.summary] : []),
    ...(Array.isArray(content.changes) ? (content.changes as { from?: unknown; to?: unknown }[]).map((c) => `${String(c.from ?? '')} → ${String(c.to ?? '')}`) : []),
  ];

  const sections: SummarySection[] = [
    {
      heading: s('sections.profile'),
      facts: [
        fact('name', p.name),
        fact('email', p.email),
        fact('upn', p.upn),
        fact('organisation', data.profile.organisation?.name),
        fact('unit', p.unit ? localised(p.unit.name, lang) : null),
        fact('jobRole', p.jobRole ? localised(names.jobRoles.get(p.jobRole), lang) || p.jobRole : null),
        fact('language', p.language ? translator(p.language)('meta.languageName') : null),
        fact('clientLocale', p.clientLocale),
        fact('timeZone', p.timeZone),
        fact('teamsId', p.teamsUserId),
        fact('aadId', p.aadObjectId),
        fact('tenant', p.tenantId),
        fact('firstContact', minute(p.createdAt)),
        fact('onboarded', minute(p.onboardedAt)),
        fact('lastSeen', minute(p.lastSeenAt)),
      ],
      items: [],
    },
    {
      heading: s('sections.access'),
      facts: [],
      items: [
        ...data.grants.map((g) => ({ title: s('lines.grant', { role: t(`grants.${g.role}`), scope: organisation(g.scope), date: day(g.createdAt) }), lines: [] })),
        ...data.accessRequests.map((r) => ({
          title: s('lines.request', { what: r.role ? t(`grants.${r.role}`) : s('lines.organisation'), organisation: organisation(r.organisationId), status: status(r.status), date: day(r.createdAt) }),
          lines: [],
        })),
      ],
    },
    {
      heading: s('sections.assessments'),
      facts: [],
      items: data.assessments.map((a) => {
        const results = (a.results ?? null) as { areas?: Record<string, { level: string; mean: number }> } | null;
        return {
          title: s('lines.assessment', { date: day(a.startedAt), status: status(a.status) }),
          lines: [
            ...Object.entries(results?.areas ?? {}).map(([id, r]) => s('lines.areaLevel', { area: area(id), level: level(r.level) })),
            ...a.answers.map((x) => s('lines.answer', { statement: statement(x.statementId), score: x.score }) + (x.evidence ? ` · ${s('lines.evidence', { text: x.evidence })}` : '')),
            ...a.languages.map((l) => s('lines.languageRating', { language: t(`languages.${l.language}`, { defaultValue: l.language }), skill: skill(l.skill), level: l.level })),
          ],
        };
      }),
    },
    {
      heading: s('sections.plans'),
      facts: [
        { label: s('labels.interests'), value: data.interests.map((i) => area(i.areaId)).join(', ') || '—' },
        ...data.targetOverrides.map((o) => ({ label: s('labels.target', { area: area(o.areaId) }), value: level(o.level) })),
      ],
      items: data.plans.map((plan) => ({
        title: s('lines.plan', { date: day(plan.createdAt), status: status(plan.status), areas: ((plan.focusAreas ?? []) as string[]).map(area).join(', ') }),
        lines: plan.steps.map((st) =>
          [
            `${activityTitle(st.activityId, names.framework, names.modules, lang)} — ${status(st.status)}`,
            st.goalWhat ? s('lines.goal', { what: st.goalWhat, by: day(st.goalBy) }) : '',
            st.goalEvidence ? s('lines.goalEvidence', { text: st.goalEvidence }) : '',
            st.reflection ? s('lines.reflection', { text: st.reflection }) : '',
          ].filter(Boolean).join(' · '),
        ),
      })),
    },
    {
      heading: s('sections.sharing'),
      facts: [],
      items: [
        ...data.plans.flatMap((plan) => plan.shares.map((sh) => ({ title: s('lines.sharedWith', { name: sh.viewer.name ?? '?', date: day(sh.createdAt) }) + (sh.revokedAt ? ` — ${s('lines.stopped', { date: day(sh.revokedAt) })}` : ''), lines: [] }))),
        ...data.sharesReceived.map((sh) => ({ title: s('lines.sharedWithYou', { name: sh.plan.person.name ?? '?', date: day(sh.createdAt) }) + (sh.revokedAt ? ` — ${s('lines.stopped', { date: day(sh.revokedAt) })}` : ''), lines: [] })),
      ],
    },
    {
      heading: s('sections.learning'),
      facts: [],
      items: data.moduleProgress.map((m) => ({
        title: `${localised(names.modules.find((x) => x.id === m.moduleId)?.content.title, lang) || m.moduleId} — ${status(m.completedAt ? 'completed' : m.stage)}`,
        lines: [m.bestScore !== null ? s('lines.bestScore', { score: Math.round(m.bestScore * 100) }) : '', m.reflection ? s('lines.reflection', { text: m.reflection }) : ''].filter(Boolean),
      })),
    },
    {
      heading: s('sections.events'),
      facts: [],
      items: data.rsvps.map((r) => ({ title: `${localised(names.events.get(r.eventId), lang) || r.eventId} — ${status(r.status)}`, lines: [] })),
    },
    {
      heading: s('sections.badges'),
      facts: [],
      items: [
        ...data.badges.map((b) => ({
          title: `${badge(b.badgeClassId)} — ${s('lines.issued', { date: day(b.issuedAt) })}${b.revokedAt ? ` — ${status('revoked')}` : ''}`,
          lines: [s(b.showName ? 'lines.nameShown' : 'lines.nameHidden')],
        })),
        ...data.badgeApplications.map((a) => ({ title: `${s('lines.application', { badge: badge(a.badgeClassId), date: day(a.createdAt) })} — ${status(a.status)}`, lines: [a.evidence, a.link ?? ''].filter(Boolean) })),
      ],
    },
    { heading: s('sections.reminders'), facts: prefFacts(data.preferences.reminders), items: [] },
    { heading: s('sections.digest'), facts: prefFacts(data.preferences.digest), items: [] },
    {
      heading: s('sections.announcements'),
      facts: [],
      items: [
        ...data.announcements.map((a) => ({ title: `${a.title} — ${status(a.status)} (${day(a.createdAt)})`, lines: [] })),
        ...data.eventsCreated.map((e) => ({ title: `${localised(e.title, lang)} — ${day(e.startsAt)}${e.cancelledAt ? ` — ${status('cancelled')}` : ''}`, lines: [] })),
      ],
    },
    {
      heading: s('sections.technical'),
      facts: [
        { label: s('labels.conversations'), value: String(data.conversations.length) },
        { label: s('labels.jobs'), value: String(data.jobs.length) },
        { label: s('labels.sharedChats'), value: String(data.sharedChats.length) },
        { label: s('labels.messagesAboutYou'), value: String(data.messagesAboutYou.length) },
        { label: s('labels.downloadLinks'), value: String(data.downloadLinks.length) },
      ],
      items: [
        ...data.sharedChats.map((c) => ({ title: c.teamName || c.channelName ? [c.teamName, c.channelName].filter(Boolean).join(' › ') : s('lines.groupChat'), lines: [] })),
        ...data.messagesAboutYou.map((m) => ({ title: s('lines.message', { date: day(m.createdAt), status: status(m.status) }), lines: messageLines(m.content) })),
        ...data.downloadLinks.map((l) => ({ title: s('lines.downloadLink', { format: l.format.toUpperCase(), time: minute(l.expiresAt) }), lines: l.rowsNamingYou.slice(1).map((r) => r.join(' · ')) })),
      ],
    },
    {
      heading: s('sections.audit'),
      facts: [],
      items: data.auditLog.map((e) => ({ title: `${minute(e.at)} — ${action(e.action)}`, lines: [] })),
    },
  ];
  return { lang, title: s('title'), intro: s('intro', { date: minute(data.exportedAt) }), note: s('note'), sections };
}
