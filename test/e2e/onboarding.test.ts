import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { lastCardWith, say, sayAndGetCard, useJourney } from './playground.js';

/** A newcomer's first minutes, through the real local Teams client, as `npm start` runs it. */
const journey = useJourney('onboarding');
let page: Page;
beforeAll(() => {
  page = journey();
});

describe('onboarding in the Agents Playground', () => {
  it('says hello, completes the welcome card by clicking, and is set up', async () => {
    const welcome = await sayAndGetCard(page, 'hello', 'Welcome to REX VET Mentor');
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

describe('a proactive admin approval in the Playground', () => {
  it('choosing the manager job role in settings sends the admin (here: the same person) an approval card, and approving it grants the role', async () => {
    await say(page, 'settings');
    const settings = lastCardWith(page, 'Your settings');
    await settings.waitFor({ timeout: 30_000 });
    await settings.getByText('Manager', { exact: true }).click();
    await settings.getByRole('button', { name: 'Save settings' }).click();

    // Sent proactively through the Playground's Bot Connector, outside the turn that saved the settings.
    const request = lastCardWith(page, 'Anna Admin asks to be confirmed as manager at Ammattiopisto Luovi');
    await request.waitFor({ timeout: 30_000 });
    await request.getByRole('button', { name: 'Approve' }).click();

    await lastCardWith(page, 'Approved by Anna Admin').waitFor({ timeout: 30_000 });
    const told = lastCardWith(page, 'Your request was approved');
    await told.waitFor({ timeout: 30_000 });
    expect(await told.innerText()).toContain('manager');

    await say(page, 'help');
    await lastCardWith(page, 'manager (luovi)').waitFor({ timeout: 30_000 });
  });
});
