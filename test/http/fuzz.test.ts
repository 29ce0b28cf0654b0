import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { loadEnv } from '../../src/config/env.js';
import { POLICIES } from '../../src/features/people/authorise.js';
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
 * fuzzed may change its own person and chat rows). Every generated action is one that must be refused.
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
// The setup file clears nock after every test: intercept the Bot Connector afresh for each.
beforeEach(() => {
  connector = new FakeConnector().knows(...everyone);
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

  it('is still healthy afterwards and answers help', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const res = await fire(tommi, message(tommi, 'help'));
    expect(res.status).toBe(200);
    expect(res.answer).toContain('What I can do for you');
    await expectUnchanged();
  });
});
