import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { lastCardWith, onboardAndAssess, say, useJourney } from './playground.js';

/** A coordinator (here the Playground's admin) announces a workshop; a recipient answers Going; the report shows it. */
const journey = useJourney('announcements');
let page: Page;
beforeAll(() => {
  page = journey();
});

const WORKSHOP = 'Workshop: preparing learners who need extra support for a stay abroad';

describe('announcements in the Agents Playground', () => {
  it('compose, preview, send; the announcement arrives with Going / Maybe / Can’t go; the report shows who is coming', async () => {
    await onboardAndAssess(page, 1);
    await say(page, 'announce');
    const form = lastCardWith(page, 'New announcement');
    await form.waitFor({ timeout: 30_000 });
    await form.getByLabel('Title').fill('Inclusive mobility workshop in March');
    await form.getByLabel('Text (markdown)').fill('Bring a case from your own group. Lunch is served.');
    await form.getByText('Ammattiopisto Luovi', { exact: true }).click();
    await form.getByText(`${WORKSHOP} · 2027-03-17`, { exact: true }).click();
    await form.getByRole('button', { name: 'Save and preview', exact: true }).click();
    const preview = lastCardWith(page, 'Ready to send');
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.innerText()).toContain('It reaches 1 people');
    await preview.getByRole('button', { name: 'Send now', exact: true }).click();
    await lastCardWith(page, 'Delivery report').waitFor({ timeout: 30_000 });

    const announcement = lastCardWith(page, 'Announcement from Anna Admin');
    await announcement.waitFor({ timeout: 30_000 });
    expect(await announcement.innerText()).toContain('Inclusive mobility workshop in March');
    await announcement.getByRole('button', { name: 'Going', exact: true }).click();
    await lastCardWith(page, 'Your answer: Going').waitFor({ timeout: 30_000 });

    await say(page, 'announcements');
    const list = lastCardWith(page, 'Your announcements');
    await list.waitFor({ timeout: 30_000 });
    await list.getByRole('button', { name: /^Report:/ }).first().click();
    // The list card turns into the report in place; the one that names who is coming is the new one.
    const report = page.locator('.ac-adaptiveCard').filter({ hasText: 'Delivery report: Inclusive mobility workshop in March' }).filter({ hasText: 'Anna Admin' }).last();
    await report.waitFor({ timeout: 30_000 });
    const text = await report.innerText();
    expect(text).toMatch(/Delivered\s+1/);
    expect(text).toMatch(/Going\s+1: Anna Admin/);
  });
});
