import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { lastCardWith, openPlayground, say, startLocalApp, type LocalApp } from './playground.js';

/** A newcomer's first minutes, through the real local Teams client, as `npm start` runs it. */
let app: LocalApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startLocalApp();
  ({ browser, page } = await openPlayground());
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('onboarding in the Agents Playground', () => {
  it('says hello, completes the welcome card by clicking, and is set up', async () => {
    await say(page, 'hello');
    const welcome = lastCardWith(page, 'Welcome to REX VET Mentor');
    await welcome.waitFor({ timeout: 30_000 });
    await expect(welcome.getByText('Managers see only anonymous totals', { exact: false }).isVisible()).resolves.toBe(true);

    await welcome.getByText('Teacher', { exact: true }).click();
    await welcome.getByText('Ammattiopisto Luovi', { exact: true }).click();
    await welcome.getByRole('button', { name: 'Save and start' }).click();

    const done = lastCardWith(page, "You're all set");
    await done.waitFor({ timeout: 30_000 });
    const text = await done.innerText();
    expect(text).toContain('Ammattiopisto Luovi');
    expect(text).toContain('Teacher');
    expect(text).toContain('Your organisation is set.');
  });

  it('then answers help with what this person (the Playground admin) can do', async () => {
    await say(page, 'help');
    const help = lastCardWith(page, 'What I can do for you');
    await help.waitFor({ timeout: 30_000 });
    const text = await help.innerText();
    expect(text).toContain('settings');
    expect(text).toContain('requests');
  });

  it('answers unknown text with a helpful card', async () => {
    await say(page, 'what about the weather');
    const card = lastCardWith(page, "I didn't get that");
    await card.waitFor({ timeout: 30_000 });
    expect(await card.innerText()).toContain('what about the weather');
  });
});
