import { plainText, renderCard, type Card } from '../../lib/cards.js';
import type { Translate } from '../../lib/i18n.js';
import type { AccessRequestRow } from './access-requests.repository.js';
import type { Notice, ProfileView } from './profile.service.js';

/** A button on a card: a namespaced verb plus its data; the template turns it into Action.Execute with an Action.Submit fallback. */
export type CardButton = { title: string; verb: string; data: Record<string, string>; style?: 'positive' | 'destructive' | 'default' };

export function button(title: string, verb: string, data: Record<string, string> = {}, style: CardButton['style'] = 'default'): CardButton {
  return { title, verb, data: { ...data, verb }, style };
}

/** A short message card with optional facts and buttons; used for confirmations, refusals and errors. */
export function noticeCard(n: { title: string; text: string; tone?: 'good' | 'attention' | 'warning' | 'default'; facts?: { title: string; value: string }[]; buttons?: CardButton[] }): Card {
  return renderCard('notice', {
    title: n.title,
    text: n.text,
    tone: { good: 'Good', attention: 'Attention', warning: 'Warning', default: 'Default' }[n.tone ?? 'default'],
    facts: n.facts ?? [],
    hasFacts: (n.facts ?? []).length > 0,
    buttons: n.buttons ?? [],
  });
}

/** What an admin is asked to decide, in one sentence (also used by the pending list). */
export function requestSubject(t: Translate, r: AccessRequestRow, organisationName: string) {
  const name = plainText(r.person.name ?? '?');
  const role = r.role ? t(`grants.${r.role}`) : '';
  return r.kind === 'grant'
    ? t('requests.subject.grant', { name, role, organisation: organisationName })
    : t('requests.subject.organisation', { name, organisation: organisationName });
}

/** The admin's card: who asks for what, with Approve / Decline while pending, or the decision once made. */
export function accessRequestCard(t: Translate, r: AccessRequestRow, organisationName: string, decidedByName?: string | null): Card {
  const pending = r.status === 'pending';
  return renderCard('access-request', {
    title: t('requests.title'),
    subject: requestSubject(t, r, organisationName),
    facts: [
      { title: t('requests.facts.person'), value: plainText(r.person.name ?? '?') },
      { title: t('requests.facts.email'), value: r.person.email ?? t('common.unknown') },
      { title: t('requests.facts.organisation'), value: organisationName },
      { title: t('requests.facts.asked'), value: r.createdAt.toISOString().slice(0, 10) },
    ],
    pending,
    status: pending ? '' : t(`requests.status.${r.status}`, { name: decidedByName ?? t('common.someone') }),
    buttons: pending
      ? [
          button(t('requests.approve'), 'requests.approve', { requestId: r.id }, 'positive'),
          button(t('requests.decline'), 'requests.decline', { requestId: r.id }, 'destructive'),
        ]
      : [button(t('requests.listButton'), 'requests.list')],
  });
}

/** The requester's card once an admin has decided. */
export function requestDecidedCard(t: Translate, r: AccessRequestRow, organisationName: string): Card {
  const approved = r.status === 'approved';
  const what = r.kind === 'grant' ? t(`grants.${r.role ?? 'admin'}`) : organisationName;
  return noticeCard({
    title: t(`requests.decided.${r.status}`),
    text: t(approved ? 'requests.decided.approvedText' : 'requests.decided.declinedText', { what, organisation: organisationName }),
    tone: approved ? 'good' : 'attention',
    buttons: [button(t('help.button'), 'help.show')],
  });
}

/** The onboarding (welcome) and settings card: the same form, with the intro and privacy notice on first contact. */
export function profileFormCard(t: Translate, lang: string, view: ProfileView, mode: 'welcome' | 'settings', opts: { privacyText?: string; message?: string } = {}): Card {
  const message = opts.message;
  const { person, options } = view;
  const orgFact = view.organisation?.name ?? (view.pendingOrganisation ? t('profile.organisationPending', { organisation: view.pendingOrganisation.name }) : '');
  const verb = mode === 'welcome' ? 'onboarding.save' : 'settings.save';
  return renderCard('profile-form', {
    title: mode === 'welcome' ? t('welcome.title') : t('settings.title'),
    welcome: mode === 'welcome',
    intro: [t('welcome.line1'), t('welcome.line2'), t('welcome.line3')].map((line) => `- ${line}`).join('\n'),
    privacyTitle: t('privacy.title'),
    privacyText: opts.privacyText ?? '',
    message: message ?? '',
    hasMessage: !!message,
    organisationLabel: t('profile.organisation'),
    organisationValue: orgFact,
    showOrganisationFact: !!orgFact,
    languageLabel: t('profile.language'),
    languageError: t('profile.languageError'),
    language: person.language ?? lang,
    languages: options.languages,
    jobRoleLabel: t('profile.jobRole'),
    jobRoleHint: t('profile.jobRoleHint'),
    jobRoleError: t('profile.jobRoleError'),
    jobRole: person.jobRole ?? '',
    jobRoles: options.jobRoles,
    hasOrganisationChoice: options.organisations.length > 0 && !view.pendingOrganisation,
    organisationChoiceLabel: t('profile.organisationChoice'),
    organisationError: t('profile.organisationError'),
    organisations: options.organisations,
    hasUnits: options.units.length > 0,
    unitLabel: t('profile.unit'),
    unitId: person.unitId ?? '',
    units: options.units,
    saveTitle: mode === 'welcome' ? t('welcome.save') : t('settings.save'),
    // Settings lists who the person's plan is shared with (and lets them stop it) on the sharing card.
    extraButtons: mode === 'settings' ? [button(t('reminders.settingsButton'), 'reminders.open'), button(t('settings.sharing'), 'path.sharing'), button(t('path.actions.targets'), 'path.editTargets')] : [],
    saveVerb: verb,
    saveData: { verb },
  });
}

/** After saving: what is now set, what was asked of an admin, and where to go next. */
export function profileSavedCard(t: Translate, view: ProfileView, notices: Notice[], firstTime: boolean): Card {
  const role = view.options.jobRoles.find((r) => r.id === view.person.jobRole)?.name ?? '';
  const unit = view.options.units.find((u) => u.id === view.person.unitId)?.name;
  const language = view.options.languages.find((l) => l.id === view.person.language)?.name ?? '';
  const organisation =
    view.organisation?.name ??
    (view.pendingOrganisation ? t('profile.organisationPending', { organisation: view.pendingOrganisation.name }) : t('profile.organisationNone'));
  return noticeCard({
    title: firstTime ? t('profile.savedFirst') : t('profile.saved'),
    text: notices.map((n) => t(n.key, { ...n.params, role: n.params?.role ? t(`grants.${n.params.role}`) : '' })).join('\n\n') || t('profile.savedText'),
    tone: 'good',
    facts: [
      { title: t('profile.language'), value: language },
      { title: t('profile.jobRole'), value: role },
      { title: t('profile.organisation'), value: organisation },
      ...(unit ? [{ title: t('profile.unit'), value: unit }] : []),
    ],
    buttons: [button(t('assessment.intro.start'), 'assessment.start', {}, 'positive'), button(t('help.button'), 'help.show'), button(t('settings.button'), 'settings.open')],
  });
}
