import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { loadEnv } from '../../src/config/env.js';
import { CEFR_LANGUAGES } from '../../src/features/assessment/assessment.schemas.js';
import { loadFramework } from '../../src/features/assessment/framework.repository.js';
import { isImageUrl } from '../../src/features/announcements/announcements.service.js';
import { EVENT_TYPES, MAX_EVENT_AREAS } from '../../src/features/events/event-form.js';
import { digestPrefsSchema } from '../../src/features/mapping/digest.service.js';
import { POLICIES } from '../../src/features/people/authorise.js';
import { GRANT_ROLES, PARTNERSHIP } from '../../src/features/people/roles.js';
import { prefsSchema, REMINDER_KINDS } from '../../src/features/reminders/preferences.js';
import { isTimeZone } from '../../src/lib/time.js';
import { createLogger } from '../../src/lib/logger.js';
import { localesDir } from '../../src/lib/paths.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { TENANT, activityFrom, executeAction, makeUser, message, personalConversationId, submitAction, uid, type TestUser } from '../helpers/activities.js';
import { cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { FakeConnector } from '../helpers/connector.js';
import { createTestDb, snapshotTables, type TestDb } from '../helpers/db.js';

/**
 * Thousands of generated requests at the real server (local mode): garbage, malformed activities, and well-formed
 * activities from onboarded people carrying forged card payloads they may not act on. Nothing may crash, answer 5xx
 * or log an error, and no table may change (the sender's last-seen columns aside; the one sender whose envelope is
 * fuzzed may change its own person and chat rows). Every generated action is one that must be refused, except in
 * one group: the forms filled in by people entitled to them, with odd values, where tables may change but no row may
 * be half-written.
 */
const EE_TENANT = 'ee000000-0000-4000-8000-0000000000ee';
const REFUSED = 'needs a permission you don';
const NOT_FOUND = "couldn't find that";
const INVALID = 'Some of what was sent is not valid';
const STALE = 'This card is out of date';
const UNKNOWN_ORG = "That organisation isn't known";
const NOTHING_DELETED = 'so nothing was deleted';
/** An admin's grant by e-mail to someone outside their organisations: as if nobody had that e-mail (no probing). */
const UNKNOWN_PERSON = 'Nobody with that e-mail';
const refusedish = (text: string) => [REFUSED, NOT_FOUND, INVALID, STALE, UNKNOWN_ORG, NOTHING_DELETED, UNKNOWN_PERSON].some((s) => text.includes(s));

const tiina = makeUser('Tiina Teacher');
const lauri = makeUser('Lauri Manager');
const cora = makeUser('Cora Coordinator');
const anna = makeUser('Anna Admin');
const matti = makeUser('Matti Manager');
/** The senders: a Luovi teacher without grants, the Estonian partner's holder of every role, and one whose envelope is fuzzed. */
const tommi = makeUser('Tommi Teacher');
const eeva = makeUser('Eeva Estonia', { tenantId: EE_TENANT, email: 'eeva@ee-partner.example' });
const fuzzy = makeUser('Fuzzy Sender');
const everyone = [tiina, lauri, cora, anna, matti, tommi, eeva, fuzzy];

let app: RunningApp;
let testDb: TestDb;
let connector: FakeConnector;
const logs: { level: number; msg: string; err?: { message?: string; stack?: string } }[] = [];
const pool = {
  luoviPeople: [] as string[],
  /** Luovi's people other than the senders. */
  victims: [] as string[],
  luoviEmails: everyone.filter((u) => u !== eeva).map((u) => u.email),
  requests: [] as string[],
  applications: [] as string[],
  plans: [] as string[],
  shares: [] as string[],
  steps: [] as string[],
  assessments: [] as string[],
  announcements: [] as string[],
  awards: [] as string[],
  jobs: [] as string[],
  conversations: [] as string[],
  aadIds: everyone.filter((u) => u !== fuzzy).map((u) => u.aadObjectId),
};
let before: Record<string, unknown[]>;
let fuzzyId: string;

async function post(body: string, contentType: string | null = 'application/json') {
  const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
  return { status: res.status, text: await res.text() };
}
const send = (activity: unknown) => post(JSON.stringify(activity));
async function exec(user: TestUser, verb: string, data: Record<string, unknown> = {}): Promise<CardJson> {
  const res = await send(executeAction(user, verb, data));
  return (JSON.parse(res.text) as { value: CardJson }).value;
}
/** The card an Action.Execute answered with, or the last card a message turn sent to the sender's chat. */
function answerOf(res: { text: string }, user: TestUser, sentBefore: number): string {
  try {
    const body = JSON.parse(res.text) as { value?: unknown };
    if (body?.value) return cardText(body.value);
  } catch {
    // a message turn answers with an empty body: its reply went to the Bot Connector
  }
  return connector.cardsTo(personalConversationId(user)).slice(sentBefore).map(cardText).join('\n');
}

/** Every table as a snapshot, without the fuzzed-envelope sender's own person and chat rows. */
async function tables() {
  const all = await snapshotTables(app.db);
  return {
    ...all,
    Person: all.Person!.filter((r) => (r as { id: string }).id !== fuzzyId),
    Conversation: all.Conversation!.filter((r) => (r as { id: string }).id !== personalConversationId(fuzzy)),
  };
}
const errorsLogged = () => logs.filter((l) => l.level >= 50).map((l) => `${l.msg}: ${l.err?.stack ?? l.err?.message ?? ''}`);

beforeAll(async () => {
  testDb = await createTestDb({ content: false });
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const env = loadEnv({
    NODE_ENV: 'test',
    DATABASE_URL: testDb.url,
    LOG_LEVEL: 'warn',
    BADGE_KEY_FILE: `${testDb.file}.issuer-key.json`,
    ORG_TENANTS: `luovi:${TENANT},ee-partner:${EE_TENANT}`,
  });
  app = await startApp({ env, logger: createLogger('warn', sink), migrate: false, port: 0, background: false });
  connector = new FakeConnector().knows(...everyone);

  for (const u of everyone) {
    await send(message(u, 'hello'));
    await exec(u, 'onboarding.save', { language: 'en', jobRole: u === matti ? 'manager' : 'teacher' });
  }
  const id = async (u: TestUser) => (await app.db.person.findUniqueOrThrow({ where: { teamsUserId: u.id } })).id;
  fuzzyId = await id(fuzzy);
  const grant = async (u: TestUser, role: string, scope: string) => app.db.grant.create({ data: { personId: await id(u), role, scope, grantedBy: 'test' } });
  await grant(lauri, 'manager', 'luovi');
  await grant(cora, 'coordinator', 'luovi');
  await grant(anna, 'admin', 'luovi');
  for (const role of ['coordinator', 'manager', 'mentor', 'admin']) await grant(eeva, role, 'ee-partner');

  // Tiina: an assessment, a plan shared with Lauri, a badge from Cora, an application under review.
  let card = await exec(tiina, 'assessment.start');
  for (const [area, n] of Object.entries({ EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 })) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    card = await exec(tiina, next.verb, { ...next.data, ...Object.fromEntries(Array.from({ length: n }, (_, j) => [`score:${area}.${j + 1}`, '2'])) });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  await exec(tiina, finish.verb, finish.data);
  await exec(tiina, 'path.open');
  await exec(tiina, 'path.interests', { areas: 'ICC' });
  await exec(tiina, 'path.share', { viewerId: await id(lauri) });
  await exec(cora, 'badges.award', { personId: await id(tiina), badgeId: 'MOB-L2', note: 'Took part in the Tallinn training activity.' });
  await app.db.badgeApplication.create({ data: { personId: await id(tiina), badgeClassId: 'ICC-L3', evidence: 'Hosted students.', openKey: `${await id(tiina)}:ICC-L3`, createdAt: new Date() } });
  await exec(cora, 'announce.save', { title: 'Erasmus+ info day', text: 'Come and hear about mobility.', organisations: 'luovi', roles: '' });

  pool.luoviPeople = (await app.db.person.findMany({ where: { organisationId: 'luovi' }, select: { id: true } })).map((p) => p.id);
  pool.victims = await Promise.all([tiina, lauri, cora, anna, matti].map(id));
  pool.requests = (await app.db.accessRequest.findMany({ select: { id: true } })).map((r) => r.id);
  pool.applications = (await app.db.badgeApplication.findMany({ select: { id: true } })).map((r) => r.id);
  pool.plans = (await app.db.plan.findMany({ select: { id: true } })).map((r) => r.id);
  pool.shares = (await app.db.planShare.findMany({ select: { id: true } })).map((r) => r.id);
  pool.steps = (await app.db.planStep.findMany({ select: { id: true } })).map((r) => r.id);
  pool.assessments = (await app.db.assessment.findMany({ select: { id: true } })).map((r) => r.id);
  pool.announcements = (await app.db.announcement.findMany({ select: { id: true } })).map((r) => r.id);
  pool.awards = (await app.db.badgeAward.findMany({ select: { id: true } })).map((r) => r.id);
  pool.jobs = (await app.db.job.findMany({ select: { id: true } })).map((r) => r.id);
  pool.conversations = (await app.db.conversation.findMany({ select: { id: true } })).map((r) => r.id);
  for (const [name, ids] of Object.entries(pool)) expect({ name, some: ids.length > 0 }).toEqual({ name, some: true });
  before = await tables();
  expect(errorsLogged()).toEqual([]);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});
// The setup file clears nock after every test: intercept the Bot Connector afresh for each — with the same
// connector, so a reply is found wherever it is recorded (a fresh one per test left replies in an older one's list).
beforeEach(() => {
  connector.intercept();
  logs.length = 0;
});

// ---- generators ----
const pick = <T>(values: () => T[]) => fc.constant(0).chain(() => fc.constantFrom(...values()));
const realIds = () => [...pool.luoviPeople, ...pool.requests, ...pool.applications, ...pool.plans, ...pool.shares, ...pool.steps, ...pool.assessments, ...pool.announcements, ...pool.awards, ...pool.jobs];
const longText = fc.string({ minLength: 1000, maxLength: 20_000, unit: 'grapheme' });
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  longText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', ' ', '0', '-1', '99999999999', '1e309', 'true', 'NaN', '__proto__', '${x}', '<script>', '../../etc/passwd', '2026-02-30', '25:99'),
  fc.jsonValue({ maxDepth: 3 }),
  pick(realIds),
);
const FIELDS = [
  'requestId', 'applicationId', 'planId', 'shareId', 'stepId', 'assessmentId', 'announcementId', 'awardId', 'jobId', 'personId', 'viewerId',
  'organisationId', 'organisations', 'role', 'scope', 'email', 'decision', 'comment', 'badgeId', 'note', 'format', 'status', 'step', 'move',
  'language', 'jobRole', 'unitId', 'title', 'text', 'roles', 'channels', 'areas', 'eventId', 'weight:ICC', 'target:ICC', 'score:EU.1', 'show',
  'conversationId', 'moduleId', 'reflection', 'weekday', 'time', 'paused', 'verb', '__proto__', 'constructor',
];
const forgedPayload = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), weird, { maxKeys: 8 }),
  fc.dictionary(fc.string({ maxLength: 30 }), weird, { maxKeys: 5 }),
);
/**
 * The sender's click: an invoke (Action.Execute, routed on action.verb; a `verb` inside the data must not matter) or
 * the Action.Submit fallback (routed on the value's verb, so the forged data cannot replace it).
 */
const cardAction = (user: TestUser, verb: string, data: Record<string, unknown>, submit: boolean) => (submit ? submitAction(user, verb, { ...data, verb }) : executeAction(user, verb, data));

async function fire(user: TestUser, activity: unknown) {
  const sentBefore = connector.cardsTo(personalConversationId(user)).length;
  logs.length = 0;
  const res = await send(activity);
  expect({ activity, errors: errorsLogged() }).toEqual({ activity, errors: [] });
  return { ...res, answer: answerOf(res, user, sentBefore) };
}

async function expectUnchanged() {
  expect(errorsLogged()).toEqual([]);
  expect(await tables()).toEqual(before);
}

/** Another person's things, by verb: what each forged payload names (the senders own none of them). */
const OTHERS_THINGS: Record<string, () => fc.Arbitrary<Record<string, unknown>>> = {
  'path.accept': () => fc.record({ stepId: pick(() => pool.steps) }),
  'path.swap': () => fc.record({ stepId: pick(() => pool.steps) }),
  'path.decline': () => fc.record({ stepId: pick(() => pool.steps) }),
  'path.finish': () => fc.record({ stepId: pick(() => pool.steps) }),
  'path.goal': () => fc.record({ stepId: pick(() => pool.steps), what: fc.string({ minLength: 1 }), by: fc.constantFrom('2026-12-20', '2027-03-01'), evidence: fc.string({ minLength: 1 }) }),
  'path.rsvp': () => fc.record({ stepId: pick(() => pool.steps), status: fc.constantFrom('going', 'maybe', 'no') }),
  'path.done': () => fc.record({ stepId: pick(() => pool.steps), reflection: fc.string({ minLength: 1 }) }),
  'path.unshare': () => fc.record({ shareId: pick(() => pool.shares) }),
  'path.viewShared': () => fc.record({ planId: pick(() => pool.plans) }),
  'assessment.results': () => fc.record({ assessmentId: pick(() => pool.assessments) }),
  'assessment.answers': () => fc.record({ assessmentId: pick(() => pool.assessments) }),
  'assessment.area': () => fc.record({ assessmentId: pick(() => pool.assessments), step: fc.nat({ max: 9 }).map(String), move: fc.constantFrom('next', 'back', 'pause'), 'score:EU.1': fc.constantFrom('0', '4') }),
  'assessment.languages': () => fc.record({ assessmentId: pick(() => pool.assessments), step: fc.constant('8'), move: fc.constantFrom('add', 'finish', 'back'), language: fc.constantFrom('fi', 'sv', '') }),
  'reminders.snooze': () => fc.record({ jobId: pick(() => pool.jobs) }),
  'reminders.stop': () => fc.record({ jobId: pick(() => pool.jobs) }),
  'badges.celebrateForm': () => fc.record({ awardId: pick(() => pool.awards) }),
  'badges.showName': () => fc.record({ awardId: pick(() => pool.awards), show: fc.constantFrom('true', 'false') }),
  'badges.celebrate': () => fc.record({ awardId: pick(() => pool.awards), conversationId: pick(() => pool.conversations) }),
  'announce.rsvp': () => fc.record({ announcementId: pick(() => pool.announcements), status: fc.constantFrom('going', 'maybe', 'no') }),
  // "Delete my data" confirmed with someone else's profile id erases nothing.
  'privacy.eraseConfirm': () => fc.record({ profile: pick(() => pool.victims) }),
};
/** Forms for the sender's own settings, by verb: fields sent with values of the wrong kind (lists, objects). */
const FORMS: Record<string, string[]> = {
  'onboarding.save': ['language', 'jobRole'],
  'settings.save': ['language', 'jobRole', 'unitId', 'organisationId'],
  'reminders.save': ['weeklyCap', 'time', 'timeZone'],
  'path.interests': ['areas'],
  'path.targets': ['target:ICC'],
  'path.share': ['viewerId'],
  'digest.save': ['weekday', 'time'],
  'badges.submit': ['badgeId', 'evidence'],
  'badges.apply': ['badgeId'],
  'learning.open': ['moduleId'],
  'learning.lesson': ['moduleId', 'lesson'],
  'learning.quiz': ['moduleId', 'attempt'],
  'learning.retry': ['moduleId'],
  'learning.reflect': ['moduleId', 'reflection'],
  'events.attended': ['eventId'],
};
/** What the sender may open whatever the payload: these only read (the senders have no assessment or plan). */
const VIEWS = ['help.show', 'privacy.show', 'privacy.eraseAsk', 'onboarding.open', 'settings.open', 'learning.list', 'badges.list', 'path.sharedList', 'path.open', 'path.editTargets', 'path.sharing', 'reminders.open'];
/** Verbs left out because what they do to the sender's own data is legitimate whatever the payload. */
const NOT_FUZZED: Record<string, string> = {
  'assessment.start': "starts the sender's own assessment",
  'assessment.retake': "starts the sender's own assessment",
  'privacy.export': "makes a download link to the sender's own data",
};

// ---- the forms of people entitled to them ----
const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
/** Text a template or a card could mistake for its own: binding expressions, card JSON, markdown, control characters. */
const INJECTIONS = ['${title}', '${$root.text}', '{{title}}', '{"type":"Input.Text","id":"title"}', '[{"type":"Action.Execute","verb":"grants.grant"}]', '[x](javascript:alert(1))', '**b** _i_ <b>', '\u0000\u202e', '$when'];
const ODD = ['', ' ', '2026-02-30', '2027-02-30', '2027-13-01', '24:00', '23:60', '9:00', 'Mars/Olympus', 'UTC+2', '+02:00', '-1', '1e309', 'NaN', 'Infinity', '0x10', 'nope-0000'];
const hostile: fc.Arbitrary<unknown> = fc.oneof(weird, fc.constantFrom(...INJECTIONS, ...ODD), fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 3 }), fc.constant(undefined));
/** Mostly values the card offers, sometimes ones of the right shape that are still wrong. */
const mostly = <T,>(fine: T[], odd: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...fine), weight: 4 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });
const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }), weight: 4 },
    { arbitrary: fc.constantFrom(...INJECTIONS), weight: 2 },
    { arbitrary: fc.string({ minLength: max, maxLength: max }), weight: 1 },
    { arbitrary: fc.string({ minLength: max + 1, maxLength: max + 3 }), weight: 1 },
  );
const date = fc.oneof({ arbitrary: fc.integer({ min: -3, max: 500 }).map(inDays), weight: 4 }, { arbitrary: fc.constantFrom('2026-02-30', '2027-02-29', '2027-02-30', '2027-13-01', '2027-1-5', ''), weight: 1 });
const optional = <T,>(value: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: value, weight: 1 });
const ODD_TIMES = ['24:00', '23:60', '9:00', ''];
const time = mostly(['00:00', '09:00', '10:30', '12:00', '16:00', '23:59'], ODD_TIMES);
const zone = mostly(['Europe/Helsinki', 'Europe/Tallinn', 'UTC', 'Asia/Kathmandu', 'America/St_Johns', ''], ['europe/helsinki', 'Etc/GMT+12', 'EST5EDT', '+02:00', 'Mars/Olympus', 'Europe/Helsinki/Extra']);
const list = (values: string[]) => fc.subarray(values).map((v) => v.join(','));
const link = mostly(['', '', 'https://example.org/meet'], ['http://example.org', 'javascript:alert(1)', 'https://u:p@example.org', 'https://example.org/a b', `https://example.org/${'x'.repeat(600)}`, 'not a url']);
/** What the forms name, read again after every request: the holders' own announcements, steps, assessments, applications, requests. */
const live = { people: [] as string[], announcements: [] as string[], steps: [] as string[], assessments: [] as string[], applications: [] as string[], requests: [] as string[], step: '0', statements: [] as string[] };
const known = (values: () => string[]) => fc.oneof({ arbitrary: pick(values), weight: 5 }, { arbitrary: fc.constant('nope-0000'), weight: 1 });
const content = { areas: [] as string[], jobRoles: [] as string[], units: [] as string[], events: [] as string[], badges: [] as string[] };
const eventForm = () => ({
  type: mostly([...EVENT_TYPES], ['party', '']),
  title: optional(text(200)),
  startDate: date,
  startTime: mostly(['09:00', '10:30', '13:00'], ODD_TIMES),
  endDate: optional(date),
  endTime: mostly(['12:00', '16:00', '23:59'], [...ODD_TIMES, '08:00']),
  timeZone: zone,
  place: fc.oneof(text(300), fc.constant('')),
  link,
  deadlineDate: optional(date),
  deadlineTime: optional(time),
  areas: list([...content.areas.slice(0, 4), 'XYZ']),
});
/**
 * By verb: who is entitled to send it, and its fields as the card could send them. Each request then spoils up to two
 * fields (any value at all, or none) and may add fields the form does not have.
 */
const FILLED: Record<string, { by: TestUser[]; form: () => fc.Arbitrary<Record<string, unknown>> }> = {
  'announce.save': {
    by: [cora, anna],
    form: () => fc.record({
      announcementId: fc.oneof(fc.constant(''), known(() => live.announcements)),
      draftKey: mostly(['fuzz-compose-card-0001', 'fuzz-compose-card-0002'], ['short', 'x'.repeat(80), 'a key with spaces!']),
      title: text(120),
      text: text(2000),
      imageUrl: mostly(['', 'https://example.org/workshop.png'], ['http://example.org/a.png', 'javascript:alert(1)', 'https://', 'https://a b/c', 'https://x/${y}', 'x'.repeat(1001)]),
      imageAlt: optional(text(250)),
      organisations: mostly(['luovi', 'luovi,ee-partner'], ['ee-partner', 'LUOVI', 'luovi,,luovi', 'partnership', '']),
      roles: list([...content.jobRoles, 'astronaut']),
      eventId: mostly(['', '', 'new-event', ...content.events.slice(0, 2)], ['nope-0000']),
      areas: list([...content.areas.slice(0, 3), 'XYZ']),
      channels: mostly([''], ['nope-0000']),
      sendDate: optional(date),
      sendTime: optional(time),
    }),
  },
  'announce.saveEvent': { by: [cora], form: () => fc.record({ announcementId: known(() => live.announcements), ...eventForm() }) },
  'announce.updateEvent': { by: [cora], form: () => fc.record({ announcementId: known(() => live.announcements), revision: fc.oneof(fc.nat({ max: 4 }), fc.constantFrom('0', '1', '-1', '1.5')), ...eventForm() }) },
  'announce.send': { by: [cora], form: () => fc.record({ announcementId: known(() => live.announcements) }) },
  'grants.grant': {
    by: [anna],
    form: () => fc.record({
      role: mostly([...GRANT_ROLES], ['owner', 'Admin']),
      scope: mostly(['luovi', PARTNERSHIP], ['ee-partner', 'nope-0000']),
      personId: fc.oneof(fc.constant(''), known(() => live.people)),
      email: mostly(['', '', ...pool.luoviEmails], [eeva.email, tiina.email.toUpperCase(), 'not-an-email', 'a@b']),
    }),
  },
  'grants.revoke': {
    by: [anna],
    form: () => fc.record({ personId: known(() => live.people), role: mostly([...GRANT_ROLES], ['owner']), scope: mostly(['luovi', PARTNERSHIP], ['ee-partner', 'nope-0000']) }),
  },
  'requests.approve': { by: [anna], form: () => fc.record({ requestId: known(() => live.requests) }) },
  'requests.decline': { by: [anna], form: () => fc.record({ requestId: known(() => live.requests) }) },
  'badges.award': { by: [cora], form: () => fc.record({ personId: known(() => live.people), badgeId: mostly(content.badges, ['XX-L2', 'mob-l2']), note: text(1000) }) },
  'badges.review': {
    by: [cora],
    form: () => fc.record({ applicationId: known(() => live.applications), decision: mostly(['approve', 'more', 'decline'], ['maybe']), comment: optional(text(1000)) }),
  },
  'mapping.saveStrategy': {
    by: [cora, lauri],
    form: () => fc.tuple(
      mostly(['luovi'], ['ee-partner', 'nope-0000']),
      fc.dictionary(mostly(content.areas.map((a) => `weight:${a}`), ['weight:XYZ', 'weight:icc']), fc.oneof({ arbitrary: fc.constantFrom('0', '1', '3', '2.5', '0.05', ' 2 ', '-0'), weight: 4 }, { arbitrary: fc.oneof(fc.constantFrom('3.01', '-1', '1e309'), fc.double()), weight: 1 }), { maxKeys: 5 }),
    ).map(([organisationId, weights]) => ({ organisationId, ...weights })),
  },
  'digest.save': { by: [lauri], form: () => fc.record({ weekday: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom('1', '7', '3.5', '')), time, paused: mostly([true, false, 'true', 'false'], ['yes']) }) },
  'digest.export': { by: [lauri], form: () => fc.record({ organisationId: mostly(['luovi'], ['ee-partner', 'nope-0000']), format: mostly(['csv', 'xlsx'], ['pdf']) }) },
  'settings.save': {
    by: [tiina],
    form: () => fc.record({ language: mostly(['en', 'fi'], ['sv', 'EN', '']), jobRole: mostly(content.jobRoles, ['astronaut']), unitId: mostly(['', ...content.units], ['nope-0000']), organisationId: mostly(['', 'luovi'], ['ee-partner', 'nope-0000']) }),
  },
  'reminders.save': {
    by: [tiina],
    form: () => fc.record({
      weeklyCap: fc.oneof(fc.integer({ min: -1, max: 15 }), fc.constantFrom('3', '14', '2.5', '')),
      time,
      quietStart: time,
      quietEnd: time,
      timeZone: zone,
      ...Object.fromEntries(REMINDER_KINDS.map((k) => [`kind_${k}`, fc.constantFrom('true', 'false', true, false)])),
    }),
  },
  'assessment.retake': { by: [tiina], form: () => fc.constant({}) },
  'assessment.area': {
    by: [tiina],
    form: () => fc.tuple(
      fc.record({ assessmentId: known(() => live.assessments), step: fc.oneof({ arbitrary: pick(() => [live.step]), weight: 4 }, { arbitrary: fc.constantFrom('-1', '51', '2.5', '3'), weight: 1 }), move: mostly(['next', 'back', 'pause'], ['finish']) }),
      fc.dictionary(fc.oneof({ arbitrary: pick(() => live.statements.map((s) => `score:${s}`)), weight: 4 }, { arbitrary: fc.constantFrom('score:ZZ.1', 'score:EU.99'), weight: 1 }), mostly(['0', '1', '2', '3', '4', 3], ['5', '-1', '']), { maxKeys: 4 }),
      fc.dictionary(pick(() => live.statements.map((s) => `evidence:${s}`)), text(500), { maxKeys: 2 }),
    ).map(([fields, scores, notes]) => ({ ...fields, ...scores, ...notes })),
  },
  'assessment.languages': {
    by: [tiina],
    form: () => fc.tuple(
      fc.record({ assessmentId: known(() => live.assessments), step: fc.oneof({ arbitrary: pick(() => [live.step]), weight: 4 }, { arbitrary: fc.constantFrom('7', '9'), weight: 1 }), move: mostly(['add', 'finish', 'back'], ['next']), language: mostly(['', ...CEFR_LANGUAGES.slice(0, 4)], ['xx']) }),
      fc.dictionary(mostly(['cefr:listening', 'cefr:reading', 'cefr:writing'], ['cefr:singing']), mostly(['A1', 'B2', 'C2', ''], ['D1']), { maxKeys: 3 }),
    ).map(([fields, levels]) => ({ ...fields, ...levels })),
  },
  'path.accept': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps) }) },
  'path.finish': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps) }) },
  'path.swap': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps) }) },
  'path.decline': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps) }) },
  'path.rsvp': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps), status: mostly(['going', 'maybe', 'no'], ['yes']) }) },
  'path.goal': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps), what: text(300), by: date, evidence: text(500), support: optional(text(500)) }) },
  'path.done': { by: [tiina], form: () => fc.record({ stepId: known(() => live.steps), reflection: text(2000), link }) },
  'path.targets': { by: [tiina], form: () => fc.dictionary(mostly(content.areas.map((a) => `target:${a}`), ['target:XYZ']), mostly(['L1', 'L2', 'L3', 'L4'], ['L5', 'l2', '']), { minKeys: 1, maxKeys: 4 }) },
  'path.interests': { by: [tiina], form: () => fc.record({ areas: list([...content.areas.slice(0, 4), 'XYZ', 'icc']) }) },
  'badges.submit': { by: [tiina], form: () => fc.record({ badgeId: mostly(content.badges, ['XX-L3']), evidence: text(2000), link }) },
};
const extras = fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: fc.dictionary(fc.constantFrom(...FIELDS, 'extra', 'type', '$schema'), hostile, { maxKeys: 2 }), weight: 1 });
/** A form as the card sends it, then (in half the requests) one or two of its fields replaced with anything at all (undefined: left out), perhaps with extra fields. */
const spoils = fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(), hostile), { minLength: 1, maxLength: 2 }));
const spoilt = (form: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(form, spoils, extras).map(([fields, spoiled, extra]) => {
    const keys = Object.keys(fields);
    const data: Record<string, unknown> = { ...extra, ...fields };
    for (const [i, value] of spoiled) if (keys.length) data[keys[i % keys.length]!] = value;
    return data;
  });

/** Rows that are not whole: what a failed write could leave half-done (each problem names its row). */
async function halfWritten(): Promise<string[]> {
  const db = app.db;
  const [orgs, announcements, events, grants, fanouts, people, steps, answers, assessments, plans, applications, requests, awards] = await Promise.all([
    db.organisation.findMany({ select: { id: true, strategy: true } }),
    db.announcement.findMany(),
    db.event.findMany(),
    db.grant.findMany(),
    db.job.findMany({ where: { kind: 'announcement-fanout' }, select: { idempotencyKey: true } }),
    db.person.findMany({ select: { id: true, reminderPrefs: true, digestPrefs: true } }),
    db.planStep.findMany(),
    db.answer.findMany(),
    db.assessment.findMany(),
    db.plan.findMany(),
    db.badgeApplication.findMany(),
    db.accessRequest.findMany(),
    db.badgeAward.findMany(),
  ]);
  const orgIds = new Set(orgs.map((o) => o.id));
  const eventIds = new Set(events.map((e) => e.id));
  const sentOnes = new Set(fanouts.map((j) => j.idempotencyKey.replace('announce-fanout:', '')));
  const strings = (v: unknown, known?: string[]) => Array.isArray(v) && v.every((s) => typeof s === 'string' && (!known || known.includes(s)));
  const problems: string[] = [];
  const check = (what: string, whole: boolean) => void (whole || problems.push(what));
  for (const a of announcements) {
    const au = a.audience as Record<string, unknown> | null;
    check(`announcement ${a.id} audience ${JSON.stringify(au)}`, !!au && typeof au === 'object' && strings(au.organisations, [...orgIds]) && (au.organisations as string[]).length > 0 && strings(au.roles, content.jobRoles)
      && (au.areas === undefined || strings(au.areas, content.areas)) && (au.channels === undefined || strings(au.channels)));
    check(`announcement ${a.id} text`, a.title.trim().length > 0 && a.title.length <= 120 && a.text.trim().length > 0 && a.text.length <= 2000);
    check(`announcement ${a.id} status ${a.status}`, a.status === 'draft' ? !a.sentAt : a.status === 'sent' ? !!a.sentAt && sentOnes.has(a.id) : a.status === 'cancelled' && !!a.cancelledAt);
    check(`announcement ${a.id} event ${a.eventId}`, !a.eventId || eventIds.has(a.eventId));
    check(`announcement ${a.id} picture ${a.imageUrl}`, a.imageUrl === null ? a.imageAlt === null : isImageUrl(a.imageUrl) && a.imageUrl.length <= 1000 && (a.imageAlt === null || a.imageAlt.length <= 250));
  }
  for (const e of events) {
    check(`event ${e.id} times ${e.startsAt.toISOString()}–${e.endsAt.toISOString()} ${e.timeZone}`, e.endsAt > e.startsAt && /^[A-Za-z]+(?:[/_+-][A-Za-z0-9]+)*$/.test(e.timeZone) && isTimeZone(e.timeZone)
      && (!e.registrationDeadline || e.registrationDeadline < e.startsAt));
    check(`event ${e.id} details`, (EVENT_TYPES as readonly string[]).includes(e.type) && strings(e.areas, content.areas) && (e.source !== 'announcement' || ((e.areas as string[]).length <= MAX_EVENT_AREAS && !!(e.place || e.link))));
  }
  for (const g of grants) check(`grant ${g.role}/${g.scope}`, (GRANT_ROLES as readonly string[]).includes(g.role) && (g.scope === PARTNERSHIP || orgIds.has(g.scope)));
  for (const o of orgs) {
    const weights = Object.entries((o.strategy ?? {}) as Record<string, unknown>);
    check(`strategy of ${o.id} ${JSON.stringify(o.strategy)}`, weights.every(([area, w]) => content.areas.includes(area) && typeof w === 'number' && w >= 0 && w <= 3));
  }
  for (const p of people) {
    check(`reminder settings of ${p.id} ${JSON.stringify(p.reminderPrefs)}`, p.reminderPrefs === null || prefsSchema.safeParse(p.reminderPrefs).success);
    check(`digest settings of ${p.id} ${JSON.stringify(p.digestPrefs)}`, p.digestPrefs === null || digestPrefsSchema.strict().safeParse(p.digestPrefs).success);
  }
  for (const s of steps) {
    check(`step ${s.id} ${s.status}`, ['proposed', 'accepted', 'declined', 'swapped', 'done'].includes(s.status) && (s.status !== 'done' || !!s.doneAt) && (s.reflection === null || !!s.reflection.trim()) && (!s.goalBy || (!!s.goalWhat?.trim() && !!s.goalEvidence?.trim())));
  }
  for (const a of answers) check(`answer ${a.assessmentId}/${a.statementId} ${a.score}`, a.score >= 0 && a.score <= 4);
  for (const a of assessments) check(`assessment ${a.id} ${a.status}`, a.status === 'completed' ? !!a.completedAt && !!a.results && a.openKey === null : a.status === 'in_progress' && a.openKey === a.personId);
  for (const p of plans) check(`plan ${p.id} ${p.status}`, p.status === 'active' ? p.openKey !== null : p.status === 'closed' && p.openKey === null && !!p.closedAt);
  for (const a of applications) check(`application ${a.id} ${a.status}`, ['pending', 'approved', 'more', 'declined'].includes(a.status) && (a.status === 'pending') === (a.openKey !== null) && (a.status === 'pending' || (!!a.decidedBy && !!a.decidedAt)));
  for (const r of requests) check(`request ${r.id} ${r.status}`, ['pending', 'approved', 'declined', 'withdrawn'].includes(r.status) && (r.status === 'pending') === (r.openKey !== null));
  for (const a of awards) check(`award ${a.id}`, (a.revokedAt === null) === (a.activeKey !== null) && !!a.credential && typeof a.credential === 'object');
  return problems;
}

describe('POST /api/messages under fuzz (local mode)', () => {
  it('covers every registered verb: grant verbs, others\' things, own forms, views, or a reason to leave it out', () => {
    const covered = new Set([...Object.keys(OTHERS_THINGS), ...Object.keys(FORMS), ...VIEWS, ...Object.keys(NOT_FUZZED)]);
    const left = [...app.bot.registry.verbs.values()].filter((v) => POLICIES[v.action].who !== 'grant' && !covered.has(v.verb)).map((v) => v.verb);
    expect(left).toEqual([]);
    for (const verb of covered) expect({ verb, registered: app.bot.registry.verbs.has(verb) }).toEqual({ verb, registered: true });
  });

  it('refuses garbage bodies, wrong content types and non-objects with a 4xx', async () => {
    const realActivity = JSON.stringify(message(tommi, 'hi there'));
    const body = fc.oneof(
      fc.record({ body: fc.string({ unit: 'binary', maxLength: 200 }), type: fc.constant('application/json') }),
      fc.record({ body: fc.nat({ max: realActivity.length - 1 }).map((n) => realActivity.slice(0, n)), type: fc.constant('application/json') }),
      fc.record({ body: fc.json({ maxDepth: 3 }).filter((j) => !j.startsWith('{')), type: fc.constant('application/json') }),
      fc.record({ body: fc.object({ maxDepth: 2 }).map((o) => JSON.stringify(o)), type: fc.constant('application/json') }),
      fc.record({ body: fc.constant(realActivity), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data', 'text/json; charset=utf-16', 'application/jsonx', '') }),
      fc.record({ body: fc.string({ maxLength: 100 }), type: fc.constantFrom(null, 'application/octet-stream') }),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ body: b, type }) => {
        const res = await post(b, type);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toMatch(/at .*\.[jt]s:\d+/);
      }),
      { numRuns: 500 },
    );
    await expectUnchanged();
  }, 60_000);

  it('refuses activities missing or mistyping what every activity must carry with 400', async () => {
    const bad = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(''), fc.string({ minLength: 3000, maxLength: 3000 }), fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'string' && !(v && typeof v === 'object' && 'id' in v)));
    const field = fc.constantFrom('type', 'serviceUrl', 'channelId', 'from', 'from.id', 'recipient', 'recipient.id', 'conversation', 'conversation.id', 'text');
    await fc.assert(
      fc.asyncProperty(field, bad, fc.boolean(), async (where, value, invoke) => {
        const activity = JSON.parse(JSON.stringify(invoke ? executeAction(tommi, 'help.show') : message(tommi, 'hi'))) as Record<string, unknown>;
        const [top, sub] = where.split('.') as [string, string | undefined];
        const holder = (sub ? activity[top] : activity) as Record<string, unknown>;
        const key = sub ?? top;
        // Every value here breaks the field: missing, not a string (or object), empty, too long, or (text) over the limit.
        if (value === undefined) delete holder[key];
        else holder[key] = key === 'text' && typeof value === 'string' ? 'x'.repeat(28_001) : value;
        if (key === 'text' && value === undefined) holder.text = 'x'.repeat(28_001);
        const res = await send(activity);
        expect({ where, value, status: res.status }).toEqual({ where, value, status: 400 });
      }),
      { numRuns: 300 },
    );
    await expectUnchanged();
  }, 60_000);

  it('survives mistyped and odd envelopes from an onboarded sender (only their own rows may change)', async () => {
    const type = fc.constantFrom('message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'typing', 'event', 'endOfConversation', 'handoff', 'weird', 'MESSAGE');
    const someText = (max: number) => fc.oneof(fc.string({ maxLength: max, unit: 'grapheme' }), fc.constantFrom('', ' ', '${x}', '**b**', '<b>'));
    /** Half the envelopes are well-typed but odd (so the turn runs); in the other half any field may be of the wrong type. */
    const envelopeOf = (mistyped: boolean) => {
      const odd = <T,>(fine: fc.Arbitrary<T>) => (mistyped ? fc.oneof({ arbitrary: fine, weight: 4 }, { arbitrary: weird, weight: 1 }) : fine);
      return fc.record(
        {
          aadObjectId: odd(fc.oneof(fc.constantFrom(...pool.aadIds), pool.aadIds.length ? fc.constantFrom(...pool.aadIds.map((a) => a.toUpperCase())) : fc.constant(''), someText(128))),
          name: odd(someText(512)),
          entities: odd(
            fc.array(
              fc.oneof(
                fc.record({ type: fc.constant('clientInfo'), locale: weird, timezone: weird }),
                fc.record({ type: fc.constantFrom('mention', 'Mention'), mentioned: odd(fc.record({ id: fc.oneof(fc.constant('28:rexvet-bot'), someText(40)), name: weird })), text: odd(someText(40)) }, { requiredKeys: ['type'] }),
                fc.object({ maxDepth: 1 }),
              ),
              { maxLength: 3 },
            ),
          ),
          locale: odd(fc.oneof(fc.constantFrom('fi-FI', 'en-US', 'xx', 'FI', 'sv-SE', ''), someText(64))),
          channelData: odd(fc.record({ tenant: fc.oneof(fc.constant({ id: TENANT }), fc.record({ id: weird })), team: fc.record({ id: weird, name: weird }), channel: fc.record({ name: weird }) }, { requiredKeys: [] })),
          conversationType: odd(fc.oneof(fc.constantFrom('personal', 'channel', 'groupChat', 'PERSONAL', ''), someText(64))),
          tenantId: odd(fc.oneof(fc.constant(TENANT), someText(128))),
          value: weird,
          name2: odd(fc.oneof(fc.constantFrom('adaptiveCard/action', 'task/fetch', 'application/search'), someText(256))),
          membersAdded: odd(fc.oneof(fc.constant([{ id: '28:rexvet-bot' }]), fc.array(fc.record({ id: someText(40) }), { maxLength: 3 }))),
          membersRemoved: odd(fc.oneof(fc.constant([{ id: '28:rexvet-bot' }]), fc.array(fc.record({ id: someText(40) }), { maxLength: 3 }))),
          action: weird,
          attachments: weird,
          replyToId: odd(someText(100)),
          timestamp: odd(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), someText(40))),
          text: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 200 }).map((s) => `~${s}`)),
        },
        { requiredKeys: [] },
      );
    };
    const envelope = fc.oneof(envelopeOf(false), envelopeOf(true));
    await fc.assert(
      fc.asyncProperty(type, envelope, async (t, e) => {
        const base = activityFrom(fuzzy, { type: t, id: uid('fz') }) as unknown as Record<string, unknown> & { from: Record<string, unknown>; conversation: Record<string, unknown> };
        const { aadObjectId, name, conversationType, tenantId, name2, ...rest } = e as Record<string, unknown>;
        if ('aadObjectId' in e) base.from.aadObjectId = aadObjectId;
        if ('name' in e) base.from.name = name;
        if ('conversationType' in e) base.conversation.conversationType = conversationType;
        if ('tenantId' in e) base.conversation.tenantId = tenantId;
        if ('name2' in e) base.name = name2;
        const activity = { ...base, ...rest };
        logs.length = 0;
        const res = await send(activity);
        expect({ activity, status: res.status < 500, errors: errorsLogged() }).toEqual({ activity, status: true, errors: [] });
      }),
      { numRuns: 400 },
    );
    await expectUnchanged();
  }, 90_000);

  it('refuses every grant verb to a teacher, whatever the payload, as a click or a submit', async () => {
    const guarded = () => [...app.bot.registry.verbs.values()].filter((v) => POLICIES[v.action].who === 'grant').map((v) => v.verb);
    await fc.assert(
      fc.asyncProperty(pick(guarded), forgedPayload, fc.boolean(), async (verb, data, submit) => {
        const res = await fire(tommi, cardAction(tommi, verb, data, submit));
        expect(res.status).toBe(200);
        expect({ verb, answer: res.answer }).toEqual({ verb, answer: expect.stringContaining(REFUSED) });
      }),
      { numRuns: 500 },
    );
    await expectUnchanged();
  }, 90_000);

  it("refuses another organisation's holder of every role who names Luovi's real objects", async () => {
    const nonEe = fc.constantFrom('luovi', 'it-partner', 'nl-partner', 'es-partner', 'partnership', 'atlantis', '', 'LUOVI');
    const luoviPerson = pick(() => pool.luoviPeople);
    const announcementVerbs = () => [...app.bot.registry.verbs.keys()].filter((v) => v.startsWith('announce.') && !['announce.new', 'announce.save', 'announce.rsvp'].includes(v));
    const forgery = fc.oneof(
      fc.record({ verb: fc.constantFrom('requests.approve', 'requests.decline'), data: fc.record({ requestId: pick(() => pool.requests) }) }),
      fc.record({ verb: fc.constant('badges.review'), data: fc.record({ applicationId: pick(() => pool.applications), decision: fc.oneof(fc.constantFrom('approve', 'more', 'decline'), weird), comment: weird }) }),
      fc.record({ verb: fc.constant('badges.award'), data: fc.record({ personId: luoviPerson, badgeId: fc.oneof(fc.constantFrom('MOB-L2', 'ICC-L3', 'META-EXPERT'), weird), note: weird }) }),
      fc.record({ verb: fc.constantFrom('mapping.open', 'mapping.strategy', 'digest.export', 'mapping.saveStrategy'), data: fc.record({ organisationId: nonEe, format: fc.constantFrom('csv', 'xlsx'), 'weight:ICC': fc.constantFrom('0', '3', '2.5') }) }),
      fc.record({ verb: pick(announcementVerbs), data: fc.record({ announcementId: pick(() => pool.announcements), extra: weird }, { requiredKeys: ['announcementId'] }) }),
      fc.record({ verb: fc.constant('announce.save'), data: fc.record({ title: weird, text: weird, organisations: fc.subarray(['it-partner', 'ee-partner', 'nl-partner']).map((o) => ['luovi', ...o].join(',')), roles: fc.constant(''), announcementId: fc.oneof(fc.constant(''), pick(() => pool.announcements)) }) }),
      fc.record({ verb: fc.constant('grants.grant'), data: fc.record({ role: fc.constantFrom('coordinator', 'manager', 'mentor', 'admin'), scope: fc.oneof(nonEe, fc.constant('ee-partner')), personId: luoviPerson, email: fc.oneof(fc.constant(''), pick(() => pool.luoviEmails), weird) }) }),
      fc.record({ verb: fc.constant('grants.revoke'), data: fc.record({ personId: luoviPerson, role: fc.constantFrom('coordinator', 'manager', 'mentor', 'admin'), scope: fc.oneof(nonEe, fc.constant('ee-partner')) }) }),
      fc.record({ verb: fc.constant('path.viewShared'), data: fc.record({ planId: pick(() => pool.plans) }) }),
    );
    await fc.assert(
      fc.asyncProperty(forgery, fc.boolean(), async ({ verb, data }, submit) => {
        const res = await fire(eeva, cardAction(eeva, verb, data as Record<string, unknown>, submit));
        expect(res.status).toBe(200);
        expect({ verb, data, refused: refusedish(res.answer) || res.answer.includes('does not have') }).toEqual({ verb, data, refused: true });
      }),
      { numRuns: 500 },
    );
    await expectUnchanged();
  }, 90_000);

  it("refuses anyone acting on another person's own things (steps, plans, assessments, reminders, badges, RSVPs, erasure)", async () => {
    const action = fc.constantFrom(...Object.keys(OTHERS_THINGS)).chain((verb) => fc.record({ verb: fc.constant(verb), data: OTHERS_THINGS[verb]!() }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(tommi, eeva), action, fc.boolean(), async (sender, { verb, data }, submit) => {
        const res = await fire(sender, cardAction(sender, verb, data as Record<string, unknown>, submit));
        expect(res.status).toBe(200);
        const refused = refusedish(res.answer);
        expect({ verb, data, refused, answer: refused ? '' : res.answer }).toEqual({ verb, data, refused: true, answer: '' });
      }),
      { numRuns: 300 },
    );
    await expectUnchanged();
  }, 90_000);

  it('refuses forms for the sender\'s own settings when every value is of the wrong kind', async () => {
    const notPrimitive = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 }));
    const form = fc.constantFrom(...Object.keys(FORMS)).chain((verb) => fc.record({ verb: fc.constant(verb), data: fc.tuple(...FORMS[verb]!.map(() => notPrimitive)).map((vs) => Object.fromEntries(FORMS[verb]!.map((f, i) => [f, vs[i]]))) }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(tommi, eeva), form, fc.boolean(), async (sender, { verb, data }, submit) => {
        const res = await fire(sender, cardAction(sender, verb, data, submit));
        expect(res.status).toBe(200);
        // Tommi holds no grant: a manager's form is refused before it is read.
        const expected = sender === tommi && POLICIES[app.bot.registry.verbs.get(verb)!.action].who === 'grant' ? REFUSED : INVALID;
        expect({ verb, data, answer: res.answer }).toEqual({ verb, data, answer: expect.stringContaining(expected) });
      }),
      { numRuns: 250 },
    );
    await expectUnchanged();
  }, 60_000);

  it('opens every view whatever the payload, and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(tommi, eeva), fc.constantFrom(...VIEWS), forgedPayload, fc.boolean(), async (sender, verb, data, submit) => {
        const res = await fire(sender, cardAction(sender, verb, data, submit));
        expect(res.status).toBe(200);
        expect({ verb, answer: res.answer }).toEqual({ verb, answer: expect.not.stringContaining("That didn't work") });
        expect(res.answer.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
    await expectUnchanged();
  }, 60_000);

  it('answers unknown verbs, odd invokes and odd submits without a 5xx, changing nothing', async () => {
    const known = () => [...app.bot.registry.verbs.keys()];
    const unknownVerb = fc.oneof(fc.string({ maxLength: 40 }), pick(known).map((v) => `${v}X`), pick(known).map((v) => v.toUpperCase()), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'a.b', '.', 'requests.'));
    const activity = fc.oneof(
      fc.record({ kind: fc.constant('execute'), verb: unknownVerb, data: forgedPayload }),
      fc.record({ kind: fc.constant('submit'), verb: unknownVerb, data: forgedPayload }),
      fc.record({ kind: fc.constant('invokeValue'), name: fc.oneof(fc.constant('adaptiveCard/action'), fc.constantFrom('task/fetch', 'task/submit', 'composeExtension/query', 'signin/verifyState', 'config/fetch', 'actionableMessage/executeAction'), fc.string({ maxLength: 30 })), value: weird }),
      fc.record({ kind: fc.constant('submitValue'), value: fc.oneof(weird, fc.record({ verb: weird, data: weird })) }),
    );
    await fc.assert(
      fc.asyncProperty(activity, async (a) => {
        let act: unknown;
        if (a.kind === 'execute') act = executeAction(tommi, a.verb as string, a.data as Record<string, unknown>);
        else if (a.kind === 'submit') act = submitAction(tommi, a.verb as string, a.data as Record<string, unknown>);
        else if (a.kind === 'invokeValue') act = activityFrom(tommi, { type: 'invoke', name: a.name as string, id: uid('inv'), value: a.value as object });
        else act = activityFrom(tommi, { type: 'message', id: uid('sub'), value: a.value as object });
        const isKnown = 'verb' in a && app.bot.registry.verbs.has(a.verb);
        const res = await fire(tommi, act);
        expect({ a, status: res.status < 500 }).toEqual({ a, status: true });
        if (!isKnown && (a.kind === 'execute' || a.kind === 'submit')) expect({ a, answer: res.answer }).toEqual({ a, answer: expect.stringContaining(STALE) });
      }),
      { numRuns: 400 },
    );
    await expectUnchanged();
  }, 60_000);

  it('answers any text that is not a command with a card and changes nothing', async () => {
    const words = new Set<string>();
    for (const lang of ['en', 'fi']) {
      const commands = JSON.parse(fs.readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')).commands as Record<string, { words: string }>;
      for (const [name, c] of Object.entries(commands)) for (const w of [name, ...c.words.split('|')]) words.add(w.trim().toLowerCase());
    }
    const text = fc
      .oneof(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }), fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }), fc.string({ minLength: 20_000, maxLength: 27_000 }), fc.constantFrom('${user}', '[click](javascript:alert(1))', '**bold** _x_', '\u0000\u0001', 'help me please now'))
      .filter((s) => s.trim().length > 0 && !words.has(s.trim().toLowerCase()) && !words.has(s.trim().split(/\s+/)[0]!.toLowerCase()));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(tommi, eeva), text, async (sender, t) => {
        const res = await fire(sender, message(sender, t));
        expect(res.status).toBe(200);
        expect(res.answer).toContain("I didn't get that");
      }),
      { numRuns: 250 },
    );
    await expectUnchanged();
  }, 60_000);

  it('takes the forms entitled people fill in, whatever is typed: a card every time, never a half-written row', async () => {
    const framework = await loadFramework(app.db);
    content.areas = framework.areas.map((a) => a.id);
    content.jobRoles = (await app.db.jobRole.findMany({ select: { id: true } })).map((r) => r.id);
    content.units = (await app.db.unit.findMany({ select: { id: true } })).map((u) => u.id);
    content.events = (await app.db.event.findMany({ where: { source: 'content', startsAt: { gt: new Date() } }, select: { id: true } })).map((e) => e.id);
    content.badges = (await app.db.badgeClass.findMany({ orderBy: { position: 'asc' }, select: { id: true } })).map((b) => b.id);
    const idOf = async (u: TestUser) => (await app.db.person.findUniqueOrThrow({ where: { teamsUserId: u.id } })).id;
    const [tiinaId, coraId] = await Promise.all([tiina, cora].map(idOf));
    const holders = await app.db.grant.findMany({ select: { personId: true, role: true, scope: true } });
    // Cora writes two drafts with their own event and sends one (its event can then be edited); Tiina starts an assessment again.
    for (const send of [false, true]) {
      await exec(cora, 'announce.save', { title: 'Workshop', text: 'Bring a colleague.', organisations: 'luovi', roles: '', eventId: 'new-event' });
      const draft = await app.db.announcement.findFirstOrThrow({ where: { createdBy: coraId, title: 'Workshop', eventId: null } });
      const form = { type: 'workshop', title: '', startDate: inDays(30), startTime: '10:00', endDate: '', endTime: '12:00', timeZone: 'Europe/Helsinki', place: 'Oulu', link: '', deadlineDate: '', deadlineTime: '', areas: 'ICC' };
      await exec(cora, 'announce.saveEvent', { announcementId: draft.id, ...form });
      if (send) await exec(cora, 'announce.send', { announcementId: draft.id });
    }
    await exec(tiina, 'assessment.retake');
    expect(await app.db.event.count({ where: { source: 'announcement' } })).toBe(2);
    expect(await app.db.announcement.count({ where: { createdBy: coraId, status: 'sent' } })).toBe(1);
    expect(await app.db.assessment.count({ where: { personId: tiinaId, status: 'in_progress' } })).toBe(1);

    /** The names the forms use, as they are now; a holder whose grant an admin revoked gets it back, to go on with their forms. */
    const refresh = async () => {
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
      const open = await app.db.assessment.findFirst({ where: { personId: tiinaId, status: 'in_progress' }, select: { step: true } });
      live.people = ids(await app.db.person.findMany({ select: { id: true } }));
      live.announcements = ids(await app.db.announcement.findMany({ where: { createdBy: coraId }, select: { id: true } }));
      live.steps = ids(await app.db.planStep.findMany({ where: { plan: { personId: tiinaId } }, select: { id: true } }));
      live.assessments = ids(await app.db.assessment.findMany({ where: { personId: tiinaId }, select: { id: true } }));
      live.applications = ids(await app.db.badgeApplication.findMany({ select: { id: true } }));
      live.requests = ids(await app.db.accessRequest.findMany({ select: { id: true } }));
      live.step = String(open?.step ?? 0);
      live.statements = (framework.areas[open?.step ?? 0] ?? framework.areas[0]!).statements.map((s) => s.id);
      const held = new Set((await app.db.grant.findMany()).map((g) => `${g.personId}/${g.role}/${g.scope}`));
      for (const g of holders) if (!held.has(`${g.personId}/${g.role}/${g.scope}`)) await app.db.grant.create({ data: { ...g, grantedBy: 'test' } });
      // Tiina may choose Finnish in settings: back to English, so that refusals read as refusals below.
      await app.db.person.update({ where: { id: tiinaId }, data: { language: 'en' } });
    };
    await refresh();

    const generic = ['en', 'fi'].map((lang) => (JSON.parse(fs.readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')).errors.generic as string).split('{{ref}}')[0]!.slice(0, 30));
    const request = fc.constantFrom(...Object.keys(FILLED)).chain((verb) => fc.record({ verb: fc.constant(verb), sender: fc.constantFrom(...FILLED[verb]!.by), data: spoilt(FILLED[verb]!.form()), submit: fc.boolean() }));
    let reached = 0;
    let standing = new Set(await halfWritten());
    expect([...standing]).toEqual([]);
    await fc.assert(
      fc.asyncProperty(request, async ({ verb, sender, data, submit }) => {
        const res = await fire(sender, cardAction(sender, verb, data, submit));
        const answer = { status: res.status < 500, card: res.answer.length > 0, generic: generic.some((g) => res.answer.includes(g)) };
        expect({ verb, data, ...answer }).toEqual({ verb, data, status: true, card: true, generic: false });
        // Only what this request left half-written (while shrinking, earlier attempts' rows are still there).
        const problems = await halfWritten();
        expect({ verb, data, problems: problems.filter((p) => !standing.has(p)) }).toEqual({ verb, data, problems: [] });
        standing = new Set(problems);
        if (!refusedish(res.answer)) reached += 1;
        await refresh();
      }),
      { numRuns: 400 },
    );
    // Many requests got past validation to the service (a refusal or an invalid-input card for the others).
    expect(reached).toBeGreaterThan(60);
    expect(errorsLogged()).toEqual([]);
    // What follows must change nothing from here on.
    before = await tables();
  }, 60_000);

  it('is still healthy afterwards and answers help', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const res = await fire(tommi, message(tommi, 'help'));
    expect(res.status).toBe(200);
    expect(res.answer).toContain('What I can do for you');
    await expectUnchanged();
  });
});
