import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { lastCardWith, say, sayAndGetCard, useJourney } from './playground.js';

/** A full self-assessment by clicking the cards in the local Teams client, then the results with their chart. */
const journey = useJourney('assessment');
let page: Page;
beforeAll(() => {
  page = journey();
});

const AREAS = [
  'Europe and the EU in my work',
  'VET systems and working life abroad',
  'Languages for international work',
  'Intercultural competence',
  'Internationalising curricula and teaching (at home)',
  "Supporting learners' international learning",
  'Managing international projects and mobility',
  'Strategy, networks and sharing',
];

/** Picks the option with this score (0–4) for every statement on the card (five radio buttons per statement). */
async function answerAll(card: Locator, score: number) {
  const radios = card.locator('input[type="radio"]');
  const count = await radios.count();
  expect(count % 5).toBe(0);
  for (let i = score; i < count; i += 5) await radios.nth(i).check({ force: true });
}

describe('self-assessment in the Agents Playground', () => {
  it('onboards, starts from the welcome confirmation and answers all eight areas by clicking', async () => {
    const welcome = await sayAndGetCard(page, 'hello', 'Welcome to REX VET Mentor');
    await welcome.getByText('Teacher', { exact: true }).click();
    await welcome.getByText('Ammattiopisto Luovi', { exact: true }).click();
    await welcome.getByRole('button', { name: 'Save and start' }).click();
    const done = lastCardWith(page, "You're all set");
    await done.waitFor({ timeout: 30_000 });
    await done.getByRole('button', { name: 'Start the self-assessment' }).click();

    for (const [i, area] of AREAS.entries()) {
      const card = lastCardWith(page, `Step ${i + 1} of 9`);
      await card.waitFor({ timeout: 30_000 });
      expect(await card.innerText()).toContain(area);
      await answerAll(card, i % 2 === 0 ? 1 : 3);
      await card.getByRole('button', { name: 'Next' }).click();
    }
    await lastCardWith(page, 'Languages (optional)').waitFor({ timeout: 30_000 });
  });

  it('finishes and shows eight areas with levels, and the chart image loads', async () => {
    const languages = lastCardWith(page, 'Languages (optional)');
    await languages.getByRole('button', { name: 'Finish and see my results' }).click();
    const results = lastCardWith(page, 'Your international skills profile');
    await results.waitFor({ timeout: 30_000 });
    const text = await results.innerText();
    for (const area of AREAS) expect(text).toContain(area);
    expect(text).toContain('Rookie');
    expect(text).toContain('Practitioner');
    const img = results.locator('img').first();
    await expect(img.getAttribute('alt')).resolves.toContain('Europe and the EU in my work: Rookie');
    // Runs in the browser: an <img> that loaded has a natural width (the chart is 900 px wide).
    type Img = { complete: boolean; naturalWidth: number };
    await page.waitForFunction((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0, await img.elementHandle(), { timeout: 30_000 });
    expect(await img.evaluate((el) => (el as unknown as Img).naturalWidth)).toBe(900);
  });

  it('profile shows the same results afterwards', async () => {
    await say(page, 'profile');
    const card = lastCardWith(page, 'Overall:');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.innerText()).toContain('Strategy, networks and sharing');
  });
});
