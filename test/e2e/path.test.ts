import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { cliOnJourney, lastCardWith, onboardAndAssess, passOpenModule, say, useJourney, type ModuleJson } from './playground.js';

/** From a fresh start to a plan and a completed module, in the local Teams client: assessment → path → module → path. */
const ICC = JSON.parse(fs.readFileSync(path.join('prisma', 'content', 'modules', 'ICC-L1-L2.json'), 'utf8')) as ModuleJson;

const EU_TITLE = (JSON.parse(fs.readFileSync(path.join('prisma', 'content', 'modules', 'EU-L1-L2.json'), 'utf8')) as ModuleJson).title.en;

const journey = useJourney('path');
let page: Page;
beforeAll(() => {
  page = journey();
});

async function click(card: Locator, name: string) {
  await card.getByRole('button', { name, exact: true }).click();
}

describe('development path in the Agents Playground', () => {
  it('onboards and completes a self-assessment as a Rookie', async () => {
    await onboardAndAssess(page, 0);
  });

  it('gets a plan: chooses what matters, and sees focus areas and explained steps', async () => {
    await click(lastCardWith(page, 'Your international skills profile'), 'See my development path');
    const interests = lastCardWith(page, 'What matters to you now?');
    await interests.waitFor({ timeout: 30_000 });
    await interests.getByText('Intercultural competence', { exact: true }).click();
    await click(interests, 'Make my plan');
    const plan = lastCardWith(page, 'Focus areas');
    await plan.waitFor({ timeout: 30_000 });
    const text = await plan.innerText();
    expect(text).toContain('Focus areas');
    expect(text).toContain('You said Intercultural competence matters to you now');
    expect(text).toContain(ICC.title.en);
  });

  it('opens the module from the path, reads the lessons and passes the knowledge check', async () => {
    await lastCardWith(page, 'Focus areas').getByRole('button', { name: 'Open the module' }).first().click();
    await passOpenModule(page, ICC);
  });

  it('the path shows the module step done and the focus area progressing', async () => {
    await say(page, 'path');
    const plan = lastCardWith(page, 'Based on the self-assessment of');
    await plan.waitFor({ timeout: 30_000 });
    const text = await plan.innerText();
    expect(text).toMatch(/✓ Done \d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/Intercultural competence\s*Rookie → target Practitioner · 1 of \d+ steps done/);
  });

  it('a module left unfinished is reminded three days later, in the chat, and the reminder opens it', async () => {
    await say(page, 'learn');
    const list = lastCardWith(page, 'Training modules');
    await list.waitFor({ timeout: 30_000 });
    const eu = list.locator('.ac-container').filter({ hasText: EU_TITLE }).filter({ has: page.getByRole('button', { name: 'Start', exact: true }) }).last();
    await eu.getByRole('button', { name: 'Start', exact: true }).click();
    await lastCardWith(page, `Lesson 1 of`).waitFor({ timeout: 30_000 });
    // Four days later at noon UTC — after everyone's daily reminder time — the way a demo shows it: run-due --until.
    const until = new Date(Date.now() + 4 * 86_400_000);
    until.setUTCHours(12, 0, 0, 0);
    const stdout = await cliOnJourney('run-due', '--until', until.toISOString());
    expect(stdout).toMatch(/sent\s+reminder\s+reminder:module-unfinished:EU-L1-L2:/);
    const reminder = lastCardWith(page, 'A module is waiting');
    await reminder.waitFor({ timeout: 30_000 });
    expect(await reminder.innerText()).toContain(`You started “${EU_TITLE}”.`);
    await click(reminder, 'Continue the module');
    await lastCardWith(page, `Lesson 1 of`).waitFor({ timeout: 30_000 });
  });
});
