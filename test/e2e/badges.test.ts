import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { lastCardWith, onboardAndAssess, passOpenModule, say, useJourney, type ModuleJson } from './playground.js';

/** Earning an Explorer badge in the local Teams client, then opening its public page in the browser. */
const EU = JSON.parse(fs.readFileSync(path.join('prisma', 'content', 'modules', 'EU-L1-L2.json'), 'utf8')) as ModuleJson;

const journey = useJourney('badges');
let page: Page;
beforeAll(() => {
  page = journey();
});

describe('Open Badges in the Agents Playground', () => {
  it('an Explorer self-assessment and the area’s module passed: the badge arrives in the chat', async () => {
    await onboardAndAssess(page, 2);
    await say(page, 'learn');
    const list = lastCardWith(page, 'Training modules');
    await list.waitFor({ timeout: 30_000 });
    await list.locator('.ac-container').filter({ hasText: EU.title.en }).filter({ has: page.getByRole('button', { name: 'Start', exact: true }) }).last().getByRole('button', { name: 'Start', exact: true }).click();
    await passOpenModule(page, EU);
    // Awarded in the background: a badge-check job signs and verifies the credential, then the card is queued.
    const earned = lastCardWith(page, 'You earned a badge');
    await earned.waitFor({ timeout: 60_000 });
    expect(await earned.innerText()).toContain('Explorer: Europe and the EU in my work');
    const picture = earned.locator('img').first();
    await picture.waitFor({ timeout: 30_000 });
    await expect(picture.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
  });

  it('“View” opens the public page: verified, issued by the bot, no name shown', async () => {
    const earned = lastCardWith(page, 'You earned a badge');
    // The Playground hands Action.OpenUrl to the browser (window.open), which headless Chromium does not show:
    // record the address the button opens, then open it in a new tab of the same browser.
    await page.evaluate(() => {
      const w = globalThis as unknown as { open: (url: string) => null; openedUrls: string[] };
      w.openedUrls = [];
      w.open = (url: string) => (w.openedUrls.push(String(url)), null);
    });
    // Action.OpenUrl renders as a link-role button.
    await earned.locator('button').filter({ hasText: /^View$/ }).click();
    await page.waitForFunction(() => (globalThis as unknown as { openedUrls: string[] }).openedUrls.length > 0, undefined, { timeout: 30_000 });
    const [url] = await page.evaluate(() => (globalThis as unknown as { openedUrls: string[] }).openedUrls);
    const popup = await page.context().browser()!.newPage();
    const response = await popup.goto(url!);
    expect(response?.status()).toBe(200);
    const text = await popup.locator('body').innerText();
    expect(popup.url()).toMatch(/\/badges\/c\/[0-9a-f-]{36}$/);
    expect(text).toContain('Explorer: Europe and the EU in my work');
    expect(text).toContain('Verified: signed by');
    expect(text).toContain('name not shown');
    await popup.close();
  });
});
