import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';

let h: BotHarness;
afterEach(async () => h?.close());

const STATEMENTS: Record<string, string[]> = {
  EU: ['EU.1', 'EU.2', 'EU.3'], VET: ['VET.1', 'VET.2', 'VET.3'], LANG: ['LANG.1', 'LANG.2'], ICC: ['ICC.1', 'ICC.2', 'ICC.3'],
  CURR: ['CURR.1', 'CURR.2', 'CURR.3'], LEARN: ['LEARN.1', 'LEARN.2', 'LEARN.3'], MOB: ['MOB.1', 'MOB.2', 'MOB.3'], STRAT: ['STRAT.1', 'STRAT.2', 'STRAT.3'],
};
const AREAS = Object.keys(STATEMENTS);

function next(card: CardJson) {
  return cardButtons(card).find((b) => b.data.move === 'next' || b.data.move === 'finish')!;
}
function scores(area: string, score: number) {
  return Object.fromEntries(STATEMENTS[area]!.map((id) => [`score:${id}`, String(score)]));
}

async function onboarded(env: Record<string, string> = {}) {
  const tiina = makeUser('Tiina Teacher');
  h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}`, PUBLIC_BASE_URL: 'https://rexvet.example.org', ...env } });
  await h.onboard(tiina);
  return tiina;
}

/** Answers every area with the given score per area (default 2) and returns the language card. */
async function answerAll(user: ReturnType<typeof makeUser>, per: Record<string, number> = {}) {
  let card = await h.execute(user, 'assessment.start');
  for (const area of AREAS) {
    const b = next(card);
    card = await h.execute(user, b.verb, { ...b.data, ...scores(area, per[area] ?? 2) });
  }
  return card;
}

describe('the self-assessment journey', () => {
  it('intro says how long it takes and that results are private; then one card per area, with progress', async () => {
    const tiina = await onboarded();
    const [intro] = await h.say(tiina, 'assess');
    expect(cardText(intro)).toMatch(/about 15 minutes[\s\S]*no manager or colleague sees them/);
    const first = await h.execute(tiina, 'assessment.start');
    const text = cardText(first);
    expect(text).toContain('Step 1 of 9');
    expect(text).toContain('Europe and the EU in my work');
    expect(text).toContain('1. I can explain to a colleague what Erasmus+ offers');
    expect(text).toContain("Not yet – this is new to me");
    expect(cardButtons(first).map((b) => b.data.move)).toEqual(['next', 'pause']);
  });

  it('a missing answer returns the same card with the missing statement marked, keeping the answers given', async () => {
    const tiina = await onboarded();
    const first = await h.execute(tiina, 'assessment.start');
    const again = await h.execute(tiina, 'assessment.area', { ...next(first).data, 'score:EU.1': '3', 'evidence:EU.1': 'I presented Erasmus+ to my team', 'score:EU.2': '1' });
    const text = cardText(again);
    expect(text).toContain('Step 1 of 9');
    expect(text).toContain('One statement still needs an answer');
    expect(text).toContain('This one still needs an answer.');
    const answers = await h.db.answer.findMany({ orderBy: { statementId: 'asc' } });
    expect(answers.map((a) => [a.statementId, a.score, a.evidence])).toEqual([['EU.1', 3, 'I presented Erasmus+ to my team'], ['EU.2', 1, null]]);
  });

  it('keeps evidence only for answers of 3 or 4', async () => {
    const tiina = await onboarded();
    const first = await h.execute(tiina, 'assessment.start');
    await h.execute(tiina, 'assessment.area', { ...next(first).data, ...scores('EU', 1), 'evidence:EU.1': 'not a 3' });
    expect((await h.db.answer.findFirstOrThrow({ where: { statementId: 'EU.1' } })).evidence).toBeNull();
  });

  it('completes: eight areas with levels and targets, the chart, tips, and the chart image is served', async () => {
    const tiina = await onboarded();
    const languages = await answerAll(tiina, { EU: 1, VET: 2, LANG: 3, ICC: 4 });
    expect(cardText(languages)).toContain('Languages (optional)');
    const b = next(languages);
    const results = await h.execute(tiina, b.verb, { ...b.data, language: 'en', 'cefr:listening': 'B2', 'cefr:writing': 'B1' });
    const text = cardText(results);
    expect(text).toContain('Your international skills profile');
    for (const name of ['Europe and the EU in my work', 'Intercultural competence', 'Strategy, networks and sharing']) expect(text).toContain(name);
    expect(text).toMatch(/Rookie[\s\S]*Explorer[\s\S]*Practitioner[\s\S]*Expert/);
    expect(text).toContain('Target for your role: Practitioner');
    expect(text).toContain('To level up:');
    const image = (results.body as { type: string; url?: string; altText?: string }[]).find((e) => e.type === 'Image')!;
    expect(image.url).toMatch(/^https:\/\/rexvet\.example\.org\/charts\/[A-Za-z0-9_-]{32,}\.png\?v=[A-Za-z0-9_-]+$/);
    expect(image.altText).toContain('Europe and the EU in my work: Rookie');
    const a = await h.db.assessment.findFirstOrThrow({ include: { languages: true } });
    expect(a.status).toBe('completed');
    expect(a.languages.map((l) => `${l.language}:${l.skill}:${l.level}`).sort()).toEqual(['en:listening:B2', 'en:writing:B1']);
  });

  it('resumes exactly where the person left off, across a new app instance on the same database', async () => {
    const tiina = await onboarded();
    let card = await h.execute(tiina, 'assessment.start');
    card = await h.execute(tiina, 'assessment.area', { ...next(card).data, ...scores('EU', 2) });
    card = await h.execute(tiina, 'assessment.area', { ...next(card).data, 'score:VET.1': '3' , move: 'pause' });
    expect(cardText(card)).toContain('Saved');
    const restarted = await BotHarness.create({ testDb: h.testDb, users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    const [intro] = await restarted.say(tiina, 'assess');
    expect(cardText(intro)).toContain('step 2 of 9');
    const resumed = await restarted.execute(tiina, 'assessment.start');
    expect(cardText(resumed)).toContain('VET systems and working life abroad');
    const vet1 = (resumed.body as { items?: { id?: string; value?: string }[] }[]).flatMap((c) => c.items ?? []).find((i) => i.id === 'score:VET.1');
    expect(vet1?.value).toBe('3');
    expect(await restarted.db.assessment.count()).toBe(1);
  });

  it('Back returns to the previous area with its answers', async () => {
    const tiina = await onboarded();
    let card = await h.execute(tiina, 'assessment.start');
    card = await h.execute(tiina, 'assessment.area', { ...next(card).data, ...scores('EU', 4) });
    const back = cardButtons(card).find((b) => b.data.move === 'back')!;
    card = await h.execute(tiina, back.verb, back.data);
    expect(cardText(card)).toContain('Step 1 of 9');
  });

  it('a double click or a replayed Next records once and moves one step; an old card answers with the current one', async () => {
    const tiina = await onboarded();
    const first = await h.execute(tiina, 'assessment.start');
    const payload = { ...next(first).data, ...scores('EU', 2) };
    const [a, b] = await Promise.all([h.execute(tiina, 'assessment.area', payload), h.execute(tiina, 'assessment.area', payload)]);
    expect([cardText(a), cardText(b)].every((t) => t.includes('Step 2 of 9'))).toBe(true);
    expect((await h.db.assessment.findFirstOrThrow()).step).toBe(1);
    const before = await snapshotTables(h.db);
    const replay = await h.execute(tiina, 'assessment.area', { ...payload, 'score:EU.1': '4' });
    expect(cardText(replay)).toContain('That card was out of date');
    expect(cardText(replay)).toContain('Step 2 of 9');
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('a finished assessment\'s old cards change nothing and show the results', async () => {
    const tiina = await onboarded();
    const languages = await answerAll(tiina);
    const finish = next(languages);
    await h.execute(tiina, finish.verb, finish.data);
    const before = await snapshotTables(h.db);
    const again = await h.execute(tiina, finish.verb, finish.data);
    expect(cardText(again)).toContain('already finished');
    const oldArea = await h.execute(tiina, 'assessment.area', { assessmentId: finish.data.assessmentId, step: '0', move: 'next', ...scores('EU', 4) });
    expect(cardText(oldArea)).toContain('Your international skills profile');
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('refuses forged payloads politely and stores nothing', async () => {
    const tiina = await onboarded();
    const first = await h.execute(tiina, 'assessment.start');
    const data = next(first).data;
    const before = await snapshotTables(h.db);
    for (const forged of [
      { ...data, 'score:EU.1': '7' },
      { ...data, 'score:VET.1': '2' },
      { ...data, 'score:XX.9': '2' },
      { ...data, 'evidence:EU.1': 'x'.repeat(501) },
      { ...data, move: 'jump' },
      { ...data, assessmentId: '../../etc/passwd' },
      { ...data, sneaky: 'field' },
    ]) {
      const card = await h.execute(tiina, 'assessment.area', forged);
      expect(cardText(card)).toMatch(/not valid|couldn't find/);
    }
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it("another person's assessment id is not found and nothing about it is shown", async () => {
    const tiina = await onboarded();
    const first = await h.execute(tiina, 'assessment.start');
    const eve = makeUser('Eve Else');
    h.connector.knows(eve);
    await h.onboard(eve);
    const before = await snapshotTables(h.db);
    for (const [verb, data] of [
      ['assessment.area', { ...next(first).data, ...scores('EU', 4) }],
      ['assessment.results', { assessmentId: next(first).data.assessmentId }],
      ['assessment.answers', { assessmentId: next(first).data.assessmentId }],
    ] as const) {
      const card = await h.execute(eve, verb, data as Record<string, unknown>);
      expect(cardText(card)).toContain("couldn't find that");
      expect(cardText(card)).not.toContain('Europe and the EU');
    }
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('profile shows the latest results and the change since the previous assessment; retaking keeps history', async () => {
    const tiina = await onboarded();
    const [none] = await h.say(tiina, 'profile');
    expect(cardText(none)).toContain('No results yet');
    let card = await answerAll(tiina, { EU: 1 });
    await h.execute(tiina, next(card).verb, next(card).data);
    h.clock.set('2027-06-01T08:00:00Z');
    card = await h.execute(tiina, 'assessment.retake');
    expect(cardText(card)).toContain('Step 1 of 9');
    card = await answerAll(tiina, { EU: 3 });
    await h.execute(tiina, next(card).verb, next(card).data);
    const [profile] = await h.say(tiina, 'profile');
    const text = cardText(profile);
    expect(text).toContain('▲ Up 2 levels since last time');
    expect(text).toContain('Same level as last time');
    expect(await h.db.assessment.count({ where: { status: 'completed' } })).toBe(2);
  });

  it('shows the whole journey in Finnish for a Finnish speaker', async () => {
    const tiina = await onboarded();
    await h.execute(tiina, 'settings.save', { language: 'fi', jobRole: 'teacher' });
    const first = await h.execute(tiina, 'assessment.start');
    expect(cardText(first)).toContain('Vaihe 1/9');
    expect(cardText(first)).not.toContain('Not yet – this is new to me');
  });
});
