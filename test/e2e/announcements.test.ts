import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { installInChannel, lastCardWith, onboardAndAssess, openConversation, say, useJourney } from './playground.js';

/**
 * A coordinator (here the Playground's admin) announces a workshop to a team channel and to people; a recipient
 * answers Going; the report shows it. As in a deployment, ORG_TENANTS says which organisation the tenant is (the
 * Playground's, from its config): channels are offered for the organisations' tenants only.
 */
const TENANT = /^tenantId:\s*(\S+)/m.exec(fs.readFileSync('.m365agentsplayground.yml', 'utf8'))![1]!;
const journey = useJourney('announcements', { env: { ORG_TENANTS: `luovi:${TENANT}` } });
let page: Page;
beforeAll(() => {
  page = journey();
});

const WORKSHOP = 'Workshop: preparing learners who need extra support for a stay abroad';
const GENERAL = 'Luovi International - General';

describe('announcements in the Agents Playground', () => {
  it('to a team channel and to people: the channel gets the card without answer buttons, the person answers Going; the report shows both delivered and who is coming', async () => {
    await onboardAndAssess(page, 1, { organisationFromTenant: true });
    // The bot is added to the team: it records the channel and posts nothing there.
    await installInChannel(page, GENERAL);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(0);
    await openConversation(page, 'Personal Chat');

    await say(page, 'announce');
    const form = lastCardWith(page, 'New announcement');
    await form.waitFor({ timeout: 30_000 });
    await form.getByLabel('Title').fill('Inclusive mobility workshop in March');
    await form.getByLabel('Text (markdown)').fill('Bring a case from your own group. Lunch is served.');
    await form.getByText('Ammattiopisto Luovi', { exact: true }).click();
    await form.getByText('Luovi International › General', { exact: true }).click();
    await form.getByText(`${WORKSHOP} · 2027-03-17`, { exact: true }).click();
    await form.getByRole('button', { name: 'Save and preview', exact: true }).click();
    const preview = lastCardWith(page, 'Ready to send');
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.innerText()).toContain('It reaches 1 person in their chat with the bot.');
    expect(await preview.innerText()).toContain('It is also posted in 1 team channel.');
    // A copy as recipients will see it arrives below; the card with Send now stays.
    await preview.getByRole('button', { name: 'Preview it here', exact: true }).click();
    const copy = lastCardWith(page, 'Preview: only you see this copy');
    await copy.waitFor({ timeout: 30_000 });
    expect(await copy.innerText()).toContain('Inclusive mobility workshop in March');
    expect(await copy.getByRole('button').count()).toBe(0);
    const kept = lastCardWith(page, 'A preview of what recipients will see is below this card.');
    await kept.waitFor({ timeout: 30_000 });
    await kept.getByRole('button', { name: 'Send now', exact: true }).click();
    await lastCardWith(page, 'Delivery report').waitFor({ timeout: 30_000 });
    const mine = lastCardWith(page, 'Announcement from Anna Admin');
    await mine.waitFor({ timeout: 30_000 });

    // In the channel: the card for everyone, pointing to the 1:1 chat for answers.
    await openConversation(page, GENERAL);
    const posted = lastCardWith(page, 'Announcement from Anna Admin');
    await posted.waitFor({ timeout: 30_000 });
    const postedText = await posted.innerText();
    expect(postedText).toContain('Inclusive mobility workshop in March');
    expect(postedText).toContain(WORKSHOP);
    expect(postedText).toContain("Answer Going / Maybe / Can't go in your own chat with REX VET Mentor.");
    expect(await posted.getByRole('button').count()).toBe(0);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(1);

    // In the person's own chat: the same announcement with the answers.
    await openConversation(page, 'Personal Chat');
    const announcement = lastCardWith(page, 'Announcement from Anna Admin');
    await announcement.waitFor({ timeout: 30_000 });
    expect(await announcement.innerText()).toContain('Inclusive mobility workshop in March');
    expect((await announcement.getByRole('button').allInnerTexts()).map((b) => b.trim())).toEqual(['Going', 'Maybe', "Can't go"]);
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
    // The person and the channel.
    expect(text).toMatch(/Delivered\s+2/);
    expect(text).toMatch(/Could not be delivered\s+0/);
    expect(text).toMatch(/Going\s+1: Anna Admin/);
  });
});
