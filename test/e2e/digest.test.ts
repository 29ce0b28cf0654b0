import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { cliOnJourney, lastCardWith, onboardAndAssess, useJourney } from './playground.js';

/** A manager in the local Teams client receives the weekly digest once staff have assessed themselves. */
const journey = useJourney('digest');
let page: Page;
beforeAll(() => {
  page = journey();
});

describe('the weekly digest in the Agents Playground', () => {
  it('a manager of Luovi gets Monday’s digest with the mapping chart, aggregates only', async () => {
    await onboardAndAssess(page, 2);
    expect(await cliOnJourney('grant-role', '--email', 'anna.admin@luovi.example', '--role', 'manager', '--org', 'luovi')).toContain('Granted manager (luovi)');
    expect(await cliOnJourney('demo-data', '--org', 'luovi', '--staff', '40')).toContain('Created 40 fictitious staff');
    // Next Monday at noon UTC: after 08:00 in every partner's time zone.
    const monday = new Date();
    monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
    monday.setUTCHours(12, 0, 0, 0);
    const ran = await cliOnJourney('run-due', '--until', monday.toISOString());
    expect(ran).toMatch(/sent\s+digest\s+digest:luovi:/);

    const digest = lastCardWith(page, 'Weekly international skills digest');
    await digest.waitFor({ timeout: 30_000 });
    const text = await digest.innerText();
    expect(text).toContain('Ammattiopisto Luovi');
    expect(text).toMatch(/Self-assessed\s+\d+/);
    expect(text).not.toContain('(demo)');
    const chart = digest.locator('img').first();
    await chart.waitFor({ timeout: 30_000 });
    await expect(chart.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
  });
});
