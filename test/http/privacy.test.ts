import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { loadEnv } from '../../src/config/env.js';
import { erasePerson } from '../../src/features/privacy/erase.service.js';
import { createRowsExport } from '../../src/features/mapping/export.service.js';
import { createPersonalExport } from '../../src/features/privacy/export.service.js';
import { fixedClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

let app: RunningApp;
let testDb: TestDb;
const clock = fixedClock('2026-11-30T08:00:00Z');
let tiinaId: string;

/** Tiina (Finnish) with an assessment, a plan and a share with Bob; Bob with his own assessment and evidence. */
async function seed() {
  const db = testDb.db;
  const at = new Date('2026-11-20T10:00:00Z');
  const tiina = await db.person.create({ data: { teamsUserId: '29:tiina', aadObjectId: 'aad-tiina', name: 'Tiina <b>Teacher</b>', email: 'tiina.teacher@luovi.example', language: 'fi', organisationId: 'luovi', jobRole: 'teacher', onboardedAt: at } });
  const bob = await db.person.create({ data: { teamsUserId: '29:bob', aadObjectId: 'aad-bob', name: 'Bob Other', email: 'bob.other@luovi.example', organisationId: 'luovi', jobRole: 'manager', onboardedAt: at } });
  const results = { areas: { ICC: { mean: 3, level: 'L3' } }, overall: { mean: 3, level: 'L3' } };
  const a = await db.assessment.create({ data: { personId: tiina.id, status: 'completed', frameworkVersion: '0.1.0', results, startedAt: at, completedAt: at } });
  await db.answer.create({ data: { assessmentId: a.id, statementId: 'ICC.1', score: 3, evidence: 'Hosted a group <script>alert(1)</script>' } });
  await db.languageRating.create({ data: { assessmentId: a.id, language: 'en', skill: 'listening', level: 'B2' } });
  const plan = await db.plan.create({ data: { personId: tiina.id, assessmentId: a.id, focusAreas: ['ICC'], checkins: [], createdAt: at } });
  await db.planStep.create({ data: { planId: plan.id, areaId: 'ICC', activityId: 'step:ICC:L1-L2:0', type: 'experience', status: 'done', position: 0, reason: {}, reflection: 'It went well.' } });
  await db.planShare.create({ data: { planId: plan.id, viewerId: bob.id, createdAt: at } });
  await db.auditLog.create({ data: { actor: `person:${tiina.id}`, action: 'plan.share', target: `plan:${plan.id}`, details: { viewerId: bob.id } } });
  const b = await db.assessment.create({ data: { personId: bob.id, status: 'completed', frameworkVersion: '0.1.0', results, startedAt: at, completedAt: at } });
  await db.answer.create({ data: { assessmentId: b.id, statementId: 'ICC.1', score: 4, evidence: 'Bob’s private note' } });
  await db.auditLog.create({ data: { actor: `person:${bob.id}`, action: 'settings.save', target: `person:${bob.id}` } });
  tiinaId = tiina.id;
}

beforeAll(async () => {
  testDb = await createTestDb();
  app = await startApp({ env: loadEnv({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', BADGE_KEY_FILE: `${testDb.file}.issuer-key.json` }), logger: silentLogger, clock, migrate: false, port: 0, background: false });
  await seed();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});

const link = async () => (await createPersonalExport({ db: testDb.db, clock }, tiinaId, 'fi')).token;

describe('GET /privacy/<token>.json | .html', () => {
  it('the JSON file holds everything stored about the person, and nothing about anyone else', async () => {
    const res = await fetch(`${app.url}/privacy/${await link()}.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="rexvet-my-data-2026-11-30.json"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ id: tiinaId, email: 'tiina.teacher@luovi.example', teamsUserId: '29:tiina', aadObjectId: 'aad-tiina', organisation: { id: 'luovi' } });
    expect(data.assessments[0].answers[0]).toMatchObject({ statementId: 'ICC.1', score: 3, evidence: 'Hosted a group <script>alert(1)</script>' });
    expect(data.assessments[0].languages).toMatchObject([{ language: 'en', skill: 'listening', level: 'B2' }]);
    expect(data.plans[0].steps[0]).toMatchObject({ reflection: 'It went well.' });
    expect(data.plans[0].shares[0].viewer).toEqual({ name: 'Bob Other' });
    expect(data.auditLog.map((e: { action: string }) => e.action)).toEqual(['plan.share']);
    for (const key of ['grants', 'accessRequests', 'interests', 'targetOverrides', 'moduleProgress', 'rsvps', 'badges', 'badgeApplications', 'sharesReceived', 'conversations', 'jobs', 'announcements', 'eventsCreated', 'sharedChats', 'messagesAboutYou', 'downloadLinks']) {
      expect({ key, value: data[key] }).toEqual({ key, value: [] });
    }
    expect(text).not.toContain('bob.other@luovi.example');
    expect(text).not.toContain('Bob’s private note');
    expect(text).not.toContain('aad-bob');
  });

  it('the readable summary is in the person’s language, a standalone file with everything escaped and no script', async () => {
    const res = await fetch(`${app.url}/privacy/${await link()}.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="rexvet-my-data-2026-11-30.html"');
    const html = await res.text();
    // Its own stylesheet, allowed by hash; nothing else may load or run.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(res.headers.get('content-security-policy')).toBe(`default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    expect(html).toContain('<html lang="fi">');
    for (const heading of ['Tietosi REX VET Mentorissa', 'Profiili', 'Itsearvioinnit', 'Kehittymissuunnitelmat', 'Jakaminen']) expect(html).toContain(`${heading}</h`);
    expect(html).toContain('Tiina &lt;b&gt;Teacher&lt;/b&gt;');
    expect(html).toContain('näyttö: Hosted a group &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Jaoit suunnitelmasi henkilölle Bob Other 2026-11-20');
    expect(html).toContain('pohdinta: It went well.');
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).not.toContain('Bob’s private note');
  });

  it.each([
    ['fi', ['koordinaattori, Ammattiopisto Luovi, 2026-11-20 alkaen', 'Pyyntö: koordinaattori, Ammattiopisto Luovi', '— osallistuin', 'Muistutus hiljaisen jakson jälkeen', '<td>tiistai</td>', '<td>ei</td>',
      '— Käyttöoikeus myönnetty', '— Suunnitelma jaettu', '— Lokimerkintä: something new', 'Luovi International › General', 'Viesti 2026-11-20 – lähetetty', 'Ulla Ulkomaa is waiting for your decision', 'Latauslinkki (CSV)', 'Ulla Ulkomaa · ulla@luovi.example · sent']],
    ['en', ['coordinator for Ammattiopisto Luovi, since 2026-11-20', 'Request: coordinator in Ammattiopisto Luovi', '— attended', 'A nudge after a quiet spell', '<td>Tuesday</td>', '<td>no</td>',
      '— Permission granted', '— Plan shared', '— Log entry: something new', 'Luovi International › General', 'Message of 2026-11-20 — sent', 'Ulla Ulkomaa is waiting for your decision', 'Download link (CSV)', 'Ulla Ulkomaa · ulla@luovi.example · sent']],
  ])('%s: the summary names what codes stand for: organisations, answers, reminder kinds, weekdays, yes and no, logged actions, where she appears', async (lang, phrases) => {
    const db = testDb.db;
    const at = new Date('2026-11-20T10:00:00Z');
    const ulla = await db.person.upsert({
      where: { teamsUserId: '29:ulla' },
      update: {},
      create: { teamsUserId: '29:ulla', name: 'Ulla Ulkomaa', email: 'ulla@luovi.example', language: lang, organisationId: 'luovi', onboardedAt: at, reminderPrefs: { off: ['nudge'], weeklyCap: 2 }, digestPrefs: { weekday: 2, time: '08:30', paused: false } },
    });
    if (!(await db.grant.count({ where: { personId: ulla.id } }))) {
      await db.grant.create({ data: { personId: ulla.id, role: 'coordinator', scope: 'luovi', grantedBy: 'test', createdAt: at } });
      const request = await db.accessRequest.create({ data: { personId: ulla.id, kind: 'role', role: 'coordinator', organisationId: 'luovi', status: 'approved', createdAt: at } });
      await db.rsvp.create({ data: { personId: ulla.id, eventId: (await db.event.findFirstOrThrow()).id, status: 'attended', updatedAt: at } });
      for (const action of ['grant', 'plan.share', 'something.new']) await db.auditLog.create({ data: { actor: 'system', action, target: `person:${ulla.id}`, at } });
      await db.conversation.create({ data: { id: '19:general@thread.tacv2', kind: 'channel', teamName: 'Luovi International', channelName: 'General', serviceUrl: 'https://smba.example.test/', reference: { user: { id: '29:ulla', name: 'Ulla Ulkomaa' }, conversation: { id: '19:general@thread.tacv2' } } } });
      const bob = await db.person.findUniqueOrThrow({ where: { teamsUserId: '29:bob' } });
      await db.job.create({ data: { kind: 'notify', idempotencyKey: `notify:request:${request.id}:${bob.id}`, personId: bob.id, status: 'sent', payload: { to: { personId: bob.id }, card: {}, summary: 'Ulla Ulkomaa is waiting for your decision' }, runAt: at, createdAt: at, finishedAt: at } });
      await createRowsExport(db, clock, { organisationId: 'luovi', name: 'rexvet-delivery', rows: [['recipient', 'e-mail', 'status'], ['Ulla Ulkomaa', 'ulla@luovi.example', 'sent'], ['Bob Other', 'bob.other@luovi.example', 'sent']], note: '', createdBy: `person:${bob.id}`, format: 'csv' });
    }
    await db.person.update({ where: { id: ulla.id }, data: { language: lang } });
    const { token } = await createPersonalExport({ db, clock }, ulla.id, lang);
    const html = await (await fetch(`${app.url}/privacy/${token}.html`)).text();
    for (const phrase of phrases) expect({ phrase, found: html.includes(phrase) }).toEqual({ phrase, found: true });
    for (const code of ['plan.share', '— grant<', '>nudge<', '>false<', 'for luovi', ', luovi,', 'bob.other@luovi.example']) expect({ code, found: html.includes(code) }).toEqual({ code, found: false });
  });

  it('answers 404 to an unknown, malformed or expired link, and to the link of someone whose data is erased', async () => {
    const token = await link();
    for (const file of [`${token.slice(0, -1)}A.json`, `${token}.csv`, `${token}.json.html`, 'x.json', `${tiinaId}.json`]) {
      expect({ file, status: (await fetch(`${app.url}/privacy/${file}`)).status }).toEqual({ file, status: 404 });
    }
    clock.set('2026-11-30T08:16:00Z');
    expect((await fetch(`${app.url}/privacy/${token}.json`)).status).toBe(404);
    clock.set('2026-11-30T08:00:00Z');
    const fresh = await link();
    expect((await fetch(`${app.url}/privacy/${fresh}.json`)).status).toBe(200);
    await erasePerson({ db: testDb.db, clock, pseudonymKey: 'k'.repeat(32) }, tiinaId, 'request');
    expect((await fetch(`${app.url}/privacy/${fresh}.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/privacy/${fresh}.html`)).status).toBe(404);
  });
});
