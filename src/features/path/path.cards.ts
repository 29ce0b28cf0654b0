import { renderCard, type Card } from '../../lib/cards.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { button, noticeCard } from '../people/people.cards.js';
import { activityTitle } from './catalogue.js';
import { areaName as frameworkAreaName, levelName as frameworkLevelName } from '../assessment/framework.repository.js';
import type { StepRow } from './path.repository.js';
import type { PathView } from './path.service.js';
import type { EventRow } from '../events/events.repository.js';
import { formatInZone } from '../../lib/time.js';

type Ctx = { t: Translate; lang: string };
type PlanView = Extract<PathView, { kind: 'plan' }>;

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

function stepActions(t: Translate, s: StepRow, events: EventRow[], now: Date) {
  const ref = { stepId: s.id };
  const event = s.activityId.startsWith('event:') ? events.find((e) => e.id === s.activityId.slice(6)) : undefined;
  const closed = !!event?.registrationDeadline && event.registrationDeadline <= now;
  if (s.activityId.startsWith('event:') && (!event || event.cancelledAt || event.startsAt <= now || closed) && s.status === 'proposed') {
    return [{ title: t('path.actions.swap'), verb: 'path.swap', data: { verb: 'path.swap', ...ref } }, { title: t('path.actions.decline'), verb: 'path.decline', data: { verb: 'path.decline', ...ref } }];
  }
  if (s.activityId.startsWith('event:')) {
    const rsvp = (title: string, status: string) => ({ title, verb: 'path.rsvp', data: { verb: 'path.rsvp', ...ref, status } });
    if (s.status === 'proposed') return [rsvp(t('path.actions.going'), 'going'), rsvp(t('path.actions.maybe'), 'maybe'), { title: t('path.actions.swap'), verb: 'path.swap', data: { verb: 'path.swap', ...ref } }, rsvp(t('path.actions.notGoing'), 'no')];
    if (s.status === 'accepted') return [{ title: t('path.actions.attended'), verb: 'path.finish', data: { verb: 'path.finish', ...ref } }, rsvp(t('path.actions.notGoing'), 'no')];
    return [];
  }
  const open = s.activityId.startsWith('module:') ? [{ title: t('path.actions.openModule'), verb: 'learning.open', data: { verb: 'learning.open', moduleId: s.activityId.slice(7) } }] : [];
  const a = (title: string, verb: string) => ({ title, verb, data: { verb, ...ref } });
  if (s.status === 'proposed') return [a(t('path.actions.accept'), 'path.accept'), a(t('path.actions.swap'), 'path.swap'), a(t('path.actions.decline'), 'path.decline'), ...open];
  if (s.status === 'accepted') return [...open, a(t('path.actions.done'), 'path.finish'), a(t('path.actions.editGoal'), 'path.accept')];
  return [];
}

export function pathCard({ t, lang }: Ctx, v: PlanView, readOnly = false): Card {
  const { framework, modules, areas, events, rsvps } = v.ctx;
  const areaName = (id: string) => frameworkAreaName(framework, id, lang);
  const levelName = (id: string) => frameworkLevelName(framework, id, lang);
  const visible = v.plan.steps.filter((s) => !['declined', 'swapped'].includes(s.status));
  const focus = (v.plan.focusAreas as string[]).map((id) => {
    const inArea = visible.filter((s) => s.areaId === id);
    const done = inArea.filter((s) => s.status === 'done').length;
    // A viewer of a shared plan sees the plan, never the owner's assessed levels, gaps or interests.
    return {
      title: areaName(id),
      value: readOnly
        ? t('path.focusLineShared', { target: levelName(areas[id]!.target), done, total: inArea.length })
        : t('path.focusLine', { current: levelName(areas[id]!.current), target: levelName(areas[id]!.target), done, total: inArea.length }),
    };
  });
  const checkins = (v.plan.checkins as string[]).map(day);
  return renderCard('path', {
    title: v.ownerName ? t('path.sharedTitle', { name: v.ownerName }) : t('path.title'),
    subtitle: t('path.subtitle', { date: day(v.assessedAt) }),
    message: v.message ? t(v.message) : '',
    hasMessage: !!v.message,
    messageColor: ['path.messages.stale', 'path.messages.noAlternative', 'path.messages.rsvp_closed', 'path.messages.event_cancelled'].includes(v.message ?? '') ? 'Attention' : 'Good',
    focusTitle: t('path.focusTitle'),
    focus,
    empty: visible.length === 0,
    emptyText: t('path.empty'),
    steps: visible.map((s) => {
      const reason = s.reason as { key: string; params: Record<string, string> };
      const event = s.activityId.startsWith('event:') ? events.find((e) => e.id === s.activityId.slice(6)) : undefined;
      const deadline = event?.registrationDeadline && !event.cancelledAt ? ` · ${t('path.registerBy', { deadline: `${formatInZone(event.registrationDeadline, event.timeZone)} (${event.timeZone})` })}` : '';
      return {
        title: activityTitle(s.activityId, framework, modules, lang, events),
        meta: `${t(`path.types.${s.type}`)} · ${areaName(s.areaId)}${!readOnly && rsvps[s.activityId.slice(6)] && s.activityId.startsWith('event:') ? ` · ${t(`path.rsvp.${rsvps[s.activityId.slice(6)]}`)}` : ''}${readOnly ? '' : deadline}`,
        why: readOnly ? '' : t('path.why.prefix', {
          why: t(reason.key, { ...reason.params, area: areaName(reason.params.area ?? s.areaId), from: levelName(reason.params.from ?? ''), to: levelName(reason.params.to ?? ''), count: Number(reason.params.levels ?? 0) }),
        }),
        status: t(`path.status.${s.status}`, { date: s.doneAt ? day(s.doneAt) : '' }),
        statusColor: s.status === 'done' ? 'Good' : s.status === 'accepted' ? 'Accent' : 'Default',
        containerStyle: s.status === 'done' ? 'good' : 'default',
        hasGoal: !!s.goalWhat,
        goal: s.goalWhat ? t('path.goalLine', { what: s.goalWhat, by: s.goalBy ? day(s.goalBy) : '', evidence: s.goalEvidence ?? '' }) : '',
        actions: readOnly ? [] : stepActions(t, s, events, v.now),
      };
    }),
    checkins: t('path.checkins', { dates: checkins.slice(0, 3).join(', '), reassess: checkins[3] ?? '' }),
    buttons: readOnly ? [button(t('path.sharedList.back'), 'path.sharedList')] : [button(t('path.actions.share'), 'path.sharing'), button(t('path.actions.targets'), 'path.editTargets'), button(t('learning.list.button'), 'learning.list')],
  });
}

export function needsAssessmentCard({ t }: Ctx): Card {
  return noticeCard({ title: t('path.needsAssessment.title'), text: t('path.needsAssessment.text'), buttons: [button(t('assessment.intro.start'), 'assessment.start', {}, 'positive')] });
}

export function interestsCard({ t, lang }: Ctx, v: Extract<PathView, { kind: 'interests' }>): Card {
  return renderCard('path-form', {
    title: t('path.interests.title'),
    intro: t('path.interests.intro'),
    fields: [{ kind: 'choice', id: 'areas', label: t('path.interests.label'), placeholder: '', value: v.selected.join(','), required: false, error: '', max: 0, multiline: false, min: '', multi: true, choices: v.framework.areas.map((a) => ({ title: localised(a.name, lang), value: a.id })) }],
    buttons: [button(t('path.interests.save'), 'path.interests', {}, 'positive')],
  });
}

const textField = (id: string, label: string, value: string, required: boolean, error: string, max: number, multiline = false, placeholder = '') =>
  ({ kind: 'text', id, label, placeholder, value, required, error, max, multiline, min: '', multi: false, choices: [] });

export function goalCard({ t }: Ctx, step: StepRow, title: string, today: Date): Card {
  const suggested = new Date(today.getTime() + 56 * 86_400_000);
  return renderCard('path-form', {
    title: t('path.goal.title'),
    intro: t('path.goal.intro', { activity: title }),
    fields: [
      textField('what', t('path.goal.what'), step.goalWhat ?? title, true, t('path.goal.whatError'), 300),
      { kind: 'date', id: 'by', label: t('path.goal.by'), placeholder: '', value: day(step.goalBy ?? suggested), required: true, error: t('path.goal.byError'), max: 0, multiline: false, min: day(today), multi: false, choices: [] },
      textField('evidence', t('path.goal.evidence'), step.goalEvidence ?? '', true, t('path.goal.evidenceError'), 500, false, t('path.goal.evidencePlaceholder')),
      textField('support', t('path.goal.support'), step.goalSupport ?? '', false, '', 500),
    ],
    buttons: [button(t('path.goal.save'), 'path.goal', { stepId: step.id }, 'positive'), button(t('path.goal.cancel'), 'path.open')],
  });
}

export function doneCard({ t }: Ctx, step: StepRow, title: string): Card {
  return renderCard('path-form', {
    title: t('path.done.title'),
    intro: t('path.done.intro', { activity: title }),
    fields: [
      textField('reflection', t('path.done.reflection'), '', true, t('path.done.reflectionError'), 2000, true),
      textField('link', t('path.done.link'), '', false, '', 500, false, 'https://'),
    ],
    buttons: [button(t('path.done.save'), 'path.done', { stepId: step.id }, 'positive'), button(t('path.goal.cancel'), 'path.open')],
  });
}

export function sharingCard({ t }: Ctx, s: { shares: { id: string; viewerId: string; viewer: { name: string | null } }[]; candidates: { id: string; name: string; roles: string[] }[] }, message?: string): Card {
  const shared = new Set(s.shares.map((x) => x.viewerId));
  const candidates = s.candidates.filter((c) => !shared.has(c.id));
  return renderCard('path-form', {
    title: t('path.sharing.title'),
    intro: [message ? t(message) : '', t('path.sharing.intro'), s.shares.length ? t('path.sharing.current', { names: s.shares.map((x) => x.viewer.name ?? '?').join(', ') }) : t('path.sharing.none')].filter(Boolean).join('\n\n'),
    fields: candidates.length
      ? [{ kind: 'choice', id: 'viewerId', label: t('path.sharing.with'), placeholder: '', value: '', required: true, error: t('path.sharing.choose'), max: 0, multiline: false, min: '', multi: false, choices: candidates.map((c) => ({ title: `${c.name} (${c.roles.map((r) => t(`grants.${r}`)).join(', ')})`, value: c.id })) }]
      : [],
    buttons: [
      ...(candidates.length ? [button(t('path.sharing.share'), 'path.share', {}, 'positive')] : []),
      ...[...new Map(s.shares.map((x) => [x.viewerId, x])).values()].map((x) => button(t('path.sharing.stop', { name: x.viewer.name ?? '?' }), 'path.unshare', { shareId: x.id }, 'destructive')),
      button(t('path.goal.cancel'), 'path.open'),
    ],
  });
}

export function sharedListCard({ t }: Ctx, shared: { planId: string; createdAt: Date; plan: { person: { name: string | null } } }[]): Card {
  return renderCard('learn-list', {
    title: t('path.sharedList.title'),
    intro: shared.length ? t('path.sharedList.text') : t('path.sharedList.none'),
    modules: shared.map((s) => ({
      title: s.plan.person.name ?? '?',
      meta: t('path.sharedList.since', { date: day(s.createdAt) }),
      status: '',
      statusColor: 'Default',
      action: { title: t('path.sharedList.open'), verb: 'path.viewShared', data: { verb: 'path.viewShared', planId: s.planId } },
    })),
    buttons: [],
  });
}

export function targetsCard({ t, lang }: Ctx, v: { framework: PlanView['ctx']['framework']; targets: Record<string, string> }, message?: string): Card {
  const levels = v.framework.levels.map((l) => ({ title: localised(l.name, lang), value: l.id }));
  return renderCard('path-form', {
    title: t('path.targets.title'),
    intro: [message ? t(message) : '', t('path.targets.intro')].filter(Boolean).join('\n\n'),
    fields: v.framework.areas.map((a) => ({
      kind: 'choice', id: `target:${a.id}`, label: localised(a.name, lang), placeholder: '', value: v.targets[a.id] ?? 'L2',
      required: true, error: t('path.targets.error'), max: 0, multiline: false, min: '', multi: false, choices: levels,
    })),
    buttons: [button(t('path.targets.save'), 'path.targets', {}, 'positive'), button(t('path.goal.cancel'), 'path.open')],
  });
}
