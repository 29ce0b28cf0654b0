import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import { chromium, type Browser, type Page, type Locator } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PLAYGROUND_URL = 'http://localhost:56150';

export type LocalApp = { process: ChildProcess; dataDir: string; output: () => string; stop(): Promise<void> };

/** Starts the app exactly as `npm start` does (bot + Agents Playground), on a fresh database. */
/** Waits until nothing listens on the port any more (the previous journey's app and Playground have let go). */
async function portFree(port: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => (s.destroy(), resolve(false)));
    });
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`port ${port} is still in use`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startLocalApp(opts: { configDir?: string; env?: Record<string, string> } = {}): Promise<LocalApp> {
  await portFree(56150);
  await portFree(3978);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rexvet-e2e-'));
  let output = '';
  const child = spawn('npm', ['start', '--silent'], {
    cwd: process.cwd(),
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: `file:${path.join(dataDir, 'app.db')}`,
      LOG_LEVEL: 'info',
      ...(opts.configDir ? { PLAYGROUND_CONFIG_DIR: opts.configDir } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 90 s:\n${output}`)), 90_000);
    const check = setInterval(() => {
      if (output.includes('Open the local Teams client')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return {
    process: child,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, 'SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      }
      child.stdout!.destroy();
      child.stderr!.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function openPlayground(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(PLAYGROUND_URL);
  await page.locator('textarea, [contenteditable="true"]').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2_000);
  return { browser, page };
}

export async function say(page: Page, text: string) {
  const box = page.locator('textarea, [contenteditable="true"]').first();
  await box.click();
  await box.fill(text);
  await page.keyboard.press('Enter');
}

/**
 * Says something and returns the card the bot answers with, pinned by position: the Playground may also show the
 * install greeting, and a locator that jumps between two similar cards would split clicks across them.
 */
export async function sayAndGetCard(page: Page, text: string, cardText: string): Promise<Locator> {
  const cards = page.locator('.ac-adaptiveCard').filter({ hasText: cardText });
  await page.waitForTimeout(1_500); // let an install greeting arrive first, if one is coming
  const before = await cards.count();
  await say(page, text);
  await page.waitForFunction(
    ([selector, wanted, n]) => {
      // Runs in the page.
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
      return Array.from(doc.querySelectorAll(selector as string)).filter((e) => (e.textContent ?? '').includes(wanted as string)).length > (n as number);
    },
    ['.ac-adaptiveCard', cardText, before] as const,
    { timeout: 30_000 },
  );
  return cards.nth(before);
}

/** The newest Adaptive Card on the page that contains the text. */
export function lastCardWith(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
}

/** Switches the Playground to a conversation of its side bar: 'Personal Chat', 'Luovi International - General', … */
export async function openConversation(page: Page, name: string) {
  await page.getByRole('treeitem', { name, exact: true }).click();
}

/**
 * Opens a team channel for the first time in this page: the Playground then adds the bot there as Teams does when the
 * app is added to a team (installationUpdate, then conversationUpdate). Waits until the Log Panel shows that the bot
 * answered the conversationUpdate.
 */
export async function installInChannel(page: Page, name: string) {
  const answered = page.getByText('conversationUpdate 200', { exact: true });
  const before = await answered.count();
  await openConversation(page, name);
  const deadline = Date.now() + 30_000;
  while ((await answered.count()) <= before) {
    if (Date.now() > deadline) throw new Error(`the bot did not answer the conversationUpdate in ${name} within 30 s`);
    await page.waitForTimeout(250);
  }
}

/**
 * One journey per test file: the app as `npm start` runs it and the Playground in Chromium, started before the
 * tests and stopped after them, with a screenshot after every test in test-results/ (not committed) for whoever has
 * to find out why a journey broke. Returns a getter for the page.
 */
let journeyApp: LocalApp | undefined;

/** The running app of the current journey (its database is `file:<dataDir>/app.db`). */
export function currentApp(): LocalApp {
  if (!journeyApp) throw new Error('no journey is running');
  return journeyApp;
}

export function useJourney(name: string, opts: { env?: Record<string, string> } = {}): () => Page {
  let app: LocalApp | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let step = 0;
  beforeAll(async () => {
    app = await startLocalApp({ env: opts.env });
    journeyApp = app;
    ({ browser, page } = await openPlayground());
  });
  afterEach(async () => {
    fs.mkdirSync('test-results', { recursive: true });
    await page?.screenshot({ path: `test-results/${name}-${++step}.png`, fullPage: true }).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  return () => page!;
}

/**
 * Says hello, completes the welcome card as a teacher at Luovi and answers every statement of the self-assessment with
 * `score` (0–4). With `organisationFromTenant` (ORG_TENANTS maps the Playground's tenant to Luovi) the card names the
 * organisation instead of asking for it.
 */
export async function onboardAndAssess(page: Page, score: number, opts: { organisationFromTenant?: boolean } = {}) {
  const welcome = await sayAndGetCard(page, 'hello', 'Welcome to REX VET Mentor');
  await welcome.getByText('Teacher', { exact: true }).click();
  if (opts.organisationFromTenant) {
    expect(await welcome.innerText()).toMatch(/Organisation\s+Ammattiopisto Luovi/);
    expect(await welcome.locator('label').filter({ hasText: /^Ammattiopisto Luovi$/ }).count()).toBe(0);
  } else {
    await welcome.getByText('Ammattiopisto Luovi', { exact: true }).click();
  }
  await welcome.getByRole('button', { name: 'Save and start', exact: true }).click();
  const done = lastCardWith(page, "You're all set");
  await done.waitFor({ timeout: 30_000 });
  await done.getByRole('button', { name: 'Start the self-assessment', exact: true }).click();
  for (let i = 1; i <= 8; i++) {
    const card = lastCardWith(page, `Step ${i} of 9`);
    await card.waitFor({ timeout: 30_000 });
    const radios = card.locator('input[type="radio"]');
    const count = await radios.count();
    for (let r = score; r < count; r += 5) await radios.nth(r).check({ force: true });
    await card.getByRole('button', { name: 'Next', exact: true }).click();
  }
  const languages = lastCardWith(page, 'Languages (optional)');
  await languages.waitFor({ timeout: 30_000 });
  await languages.getByRole('button', { name: 'Finish and see my results', exact: true }).click();
  await lastCardWith(page, 'Your international skills profile').waitFor({ timeout: 30_000 });
}

export type ModuleJson = { title: { en: string }; lessons: unknown[]; quiz: { questions: { options: { text: { en: string }; correct: boolean }[] }[] } };

/** From the module's first lesson card (already open) to "Module completed ✓": lessons, the right answers, a reflection. */
export async function passOpenModule(page: Page, m: ModuleJson) {
  for (let i = 1; i <= m.lessons.length; i++) {
    const lesson = lastCardWith(page, `Lesson ${i} of ${m.lessons.length}`);
    await lesson.waitFor({ timeout: 30_000 });
    await lesson.getByRole('button', { name: i === m.lessons.length ? 'To the knowledge check' : 'Next', exact: true }).click();
  }
  const quiz = lastCardWith(page, 'You pass with');
  await quiz.waitFor({ timeout: 30_000 });
  // Options come in a shuffled order: pick the right ones by their text, inside each question's own block.
  const blocks = quiz.locator('.ac-input-container');
  await blocks.first().waitFor({ timeout: 30_000 });
  expect(await blocks.count()).toBe(m.quiz.questions.length);
  for (const [n, q] of m.quiz.questions.entries()) {
    for (const o of q.options) if (o.correct) await blocks.nth(n).getByText(o.text.en, { exact: true }).click();
  }
  await quiz.getByRole('button', { name: 'Check my answers', exact: true }).click();
  const passed = lastCardWith(page, 'Passed ✓');
  await passed.waitFor({ timeout: 30_000 });
  await passed.getByRole('button', { name: 'Continue', exact: true }).click();
  const reflection = lastCardWith(page, 'One question to take with you');
  await reflection.waitFor({ timeout: 30_000 });
  await reflection.locator('textarea').fill('I will ask my visiting colleague how they greet students.');
  await reflection.getByRole('button', { name: 'Complete the module', exact: true }).click();
  await lastCardWith(page, 'Module completed ✓').waitFor({ timeout: 30_000 });
}

/** Runs `npm run cli -- <args>` against the running journey's database; returns what it printed. */
export async function cliOnJourney(...args: string[]): Promise<string> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'cli', '--', ...args], {
    env: { ...process.env, DATABASE_URL: `file:${currentApp().dataDir}/app.db`, LOG_LEVEL: 'warn' },
  });
  return stdout;
}
