import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { contentDir } from '../../src/lib/paths.js';

let h: BotHarness;
afterEach(async () => h?.close());

type Q = { id: string; options: { id: string; correct: boolean }[] };
const moduleFile = (id: string) => JSON.parse(fs.readFileSync(path.join(contentDir, 'modules', `${id}.json`), 'utf8')) as { lessons: unknown[]; quiz: { questions: Q[] } };
const STATEMENTS: Record<string, number> = { EU: 3, VET: 3, LANG: 2, ICC: 3, CURR: 3, LEARN: 3, MOB: 3, STRAT: 3 };

/** Self-assessment: every area Explorer (2) except Intercultural competence, Rookie (1). */
async function assess(user: TestUser) {
  let card = await h.execute(user, 'assessment.start');
  for (const [area, n] of Object.entries(STATEMENTS)) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    const scores = Object.fromEntries(Array.from({ length: n }, (_, i) => [`score:${area}.${i + 1}`, area === 'ICC' ? '1' : '2']));
    card = await h.execute(user, next.verb, { ...next.data, ...scores });
  }
  const finish = cardButtons(card).find((b) => b.data.move === 'finish')!;
  await h.execute(user, finish.verb, finish.data);
}

/** Lessons, a passed knowledge check and the reflection: the module is completed. */
async function passModule(user: TestUser, moduleId: string) {
  const m = moduleFile(moduleId);
  let card = await h.execute(user, 'learning.open', { moduleId });
  for (let i = 0; i < m.lessons.length; i++) {
    const next = cardButtons(card).find((b) => b.data.move === 'next')!;
    card = await h.execute(user, next.verb, next.data);
  }
  const check = cardButtons(card).find((b) => b.verb === 'learning.quiz')!;
  const answers = Object.fromEntries(m.quiz.questions.map((q) => [`q:${q.id}`, q.options.filter((o) => o.correct).map((o) => o.id).join(',')]));
  await h.execute(user, check.verb, { ...check.data, ...answers });
  return h.execute(user, 'learning.reflect', { moduleId, reflection: 'What I take with me.' });
}

const earnedCards = (user: TestUser) => h.connector.cardsTo(personalConversationId(user)).filter((c) => cardText(c).includes('You earned a badge')) as CardJson[];

describe('Open Badges in Teams', () => {
  it('passing the first module of an area assessed Explorer earns that area’s Explorer badge: a verifiable credential and a card', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await h.onboard(tiina);
    await assess(tiina);
    expect(await h.db.badgeAward.count()).toBe(0);
    await passModule(tiina, 'EU-L1-L2');

    const [card] = earnedCards(tiina);
    expect(cardText(card)).toContain('Explorer: Europe and the EU in my work');
    const award = await h.db.badgeAward.findFirstOrThrow();
    expect(award).toMatchObject({ badgeClassId: 'EU-L2', awardedBy: 'rules', revokedAt: null });
    const links = JSON.stringify(card);
    expect(links).toContain(`/badges/c/${award.id}`);
    expect(links).toContain('https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME');
    expect(await h.badges.verify(award.credential as object)).toEqual({ verified: true, revoked: false, problems: [] });
    const credential = award.credential as { credentialSubject: { achievement: { alignment: { targetCode: string }[] } }; evidence: { name: string }[] };
    expect(credential.credentialSubject.achievement.alignment[0]!.targetCode).toBe('EU-L2');
    expect(credential.evidence.map((e) => e.name)).toEqual(expect.arrayContaining(['REX VET self-assessment']));
    expect(JSON.stringify(credential)).not.toContain(tiina.email);

    const [list] = await h.say(tiina, 'badges');
    expect(cardText(list)).toContain('Explorer: Europe and the EU in my work');
    // A later check (another module, a retake) does not issue it again.
    await passModule(tiina, 'VET-L1-L2');
    expect(await h.db.badgeAward.count({ where: { badgeClassId: 'EU-L2' } })).toBe(1);
    expect(earnedCards(tiina).map((c) => cardText(c))).toEqual([expect.stringContaining('Europe and the EU'), expect.stringContaining('VET systems')]);
  });

  it('no badge while the area is assessed Rookie, even with its module passed', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    await h.onboard(tiina);
    await assess(tiina);
    await passModule(tiina, 'ICC-L1-L2');
    expect(await h.db.badgeAward.count()).toBe(0);
    expect(earnedCards(tiina)).toHaveLength(0);
    const [list] = await h.say(tiina, 'badges');
    expect(cardText(list)).toContain('No badges yet.');
  });
});
