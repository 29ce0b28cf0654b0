import { TestAdapter, type Activity } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { createAdapter, createBot, type Bot } from '../../src/bot/app.js';
import { Background, createSender, openBadgeIssuer } from '../../src/jobs/runtime.js';
import type { BadgeIssuer } from '../../src/features/badges/issuer.js';
import { loadEnv } from '../../src/config/env.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger, silentLogger } from '../../src/lib/logger.js';
import { TENANT, executeAction, installed, message, submitAction, type TestUser } from './activities.js';
import { FakeConnector } from './connector.js';
import { createTestDb, type TestDb } from './db.js';

export type CardJson = { type: string; body: unknown[]; actions?: unknown[] };

/** The text a person would read on a card (all TextBlock texts, fact titles/values, input labels, choice titles, button titles). */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label']) if (typeof n[key] === 'string' && n.type !== 'Input.ChoiceSet') out.push(n[key] as string);
    if (n.type === 'Input.ChoiceSet' && typeof n.label === 'string') out.push(n.label);
    for (const [k, v] of Object.entries(n)) {
      if (k === 'choices' && Array.isArray(v)) out.push(...v.map((c: { title: string }) => c.title));
      else if (typeof v === 'object' && k !== 'data') walk(v);
    }
  };
  walk(card);
  return out.join('\n');
}

/** Buttons (Action.Execute) on a card: title, verb and data. */
export function cardButtons(card: unknown): { title: string; verb: string; data: Record<string, unknown> }[] {
  const found: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute') found.push({ title: n.title as string, verb: n.verb as string, data: (n.data ?? {}) as Record<string, unknown> });
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return found;
}

export function cardsIn(activities: Partial<Activity>[]): CardJson[] {
  return activities.flatMap((a) => (a.attachments ?? []).map((att) => att.content as CardJson));
}

/**
 * The real teams-ai Application driven through botbuilder's TestAdapter, on a real database file, with the
 * Bot Connector (proactive sends, getMember) intercepted by nock.
 */
export class BotHarness {
  readonly adapter: TestAdapter;
  private readonly sentByTurn = new Map<string, Partial<Activity>[]>();
  private constructor(
    readonly bot: Bot,
    readonly testDb: TestDb,
    readonly connector: FakeConnector,
    readonly clock: ReturnType<typeof fixedClock>,
    readonly background: Background,
    readonly badges: BadgeIssuer,
  ) {
    this.adapter = new TestAdapter(async (context) => bot.run(context));
    this.adapter.use(async (context, next) => {
      // What each turn sends, kept per inbound activity so concurrent turns (double clicks) do not mix.
      const bucket: Partial<Activity>[] = [];
      this.sentByTurn.set(context.activity.id!, bucket);
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        bucket.push(...activities);
        return nextSend();
      });
      const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: context.activity.serviceUrl });
      context.turnState.set(context.adapter.ConnectorClientKey, client);
      await next();
    });
  }

  get db() {
    return this.testDb.db;
  }

  static async create(opts: { env?: Record<string, string>; testDb?: TestDb; users?: TestUser[] } = {}): Promise<BotHarness> {
    const parsed = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...opts.env });
    const testDb = opts.testDb ?? (await createTestDb({ extraTenants: parsed.ORG_TENANTS }));
    const env = { ...parsed, DATABASE_URL: testDb.url, BADGE_KEY_FILE: `${testDb.file}.issuer-key.json` };
    const clock = fixedClock('2026-11-30T08:00:00Z');
    const logger = process.env.TEST_LOG ? createLogger('debug', process.stderr) : silentLogger;
    const badges = await openBadgeIssuer(env, testDb.db, clock);
    const bot = createBot({ env, db: testDb.db, logger, clock, adapter: createAdapter(env), badges });
    const connector = new FakeConnector().knows(...(opts.users ?? []));
    // The real queue, worker and sender; sends reach the nocked Bot Connector. Pacing is real but the tests' tenant
    // ceiling is high so they do not wait.
    const sender = createSender({ env: { ...env, PROACTIVE_TENANT_RATE: 50 }, db: testDb.db, logger, clock, app: bot.app });
    const background = new Background({ env, db: testDb.db, logger, clock, sender, badges });
    return new BotHarness(bot, testDb, connector, clock, background, badges);
  }

  /** A harness for these people in Luovi's tenant (ORG_TENANTS maps it), each one onboarded as a teacher. */
  static async onboarded(users: TestUser[], env: Record<string, string> = {}): Promise<BotHarness> {
    const h = await BotHarness.create({ users, env: { ORG_TENANTS: `luovi:${TENANT}`, ...env } });
    for (const u of users) await h.onboard(u);
    return h;
  }

  /** Processes one inbound activity; returns what the bot sent back in that turn (messages and the invoke response). */
  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    await this.adapter.processActivity(activity);
    // What the turn queued (notifications) is sent as the running worker would send it a moment later.
    await this.background.worker.drain();
    this.adapter.activeQueue.splice(0);
    const sent = this.sentByTurn.get(activity.id!) ?? [];
    this.sentByTurn.delete(activity.id!);
    return sent;
  }

  async say(user: TestUser, text: string) {
    return cardsIn(await this.send(message(user, text)));
  }

  async install(user: TestUser) {
    return cardsIn(await this.send(installed(user)));
  }

  /** An Action.Execute click; returns the card that replaces the clicked one. */
  async execute(user: TestUser, verb: string, data: Record<string, unknown> = {}): Promise<CardJson> {
    const replies = await this.send(executeAction(user, verb, data));
    const invoke = replies.find((a) => a.type === 'invokeResponse');
    const value = invoke?.value as { status: number; body?: { type?: string; value?: CardJson } } | undefined;
    if (!value || value.status !== 200 || value.body?.type !== 'application/vnd.microsoft.card.adaptive') {
      throw new Error(`Action.Execute ${verb} did not answer with a card: ${JSON.stringify(value)}`);
    }
    return value.body.value!;
  }

  /** An Action.Submit click (the fallback for clients without Universal Actions); returns the cards sent. */
  async submit(user: TestUser, verb: string, data: Record<string, unknown> = {}) {
    return cardsIn(await this.send(submitAction(user, verb, data)));
  }

  /** Says hello and completes the welcome card. */
  async onboard(user: TestUser, form: { language?: string; jobRole?: string; organisationId?: string; unitId?: string } = {}) {
    this.connector.knows(user);
    await this.say(user, 'hello');
    return this.execute(user, 'onboarding.save', { language: 'en', jobRole: 'teacher', ...form });
  }

  async person(user: TestUser) {
    return this.db.person.findUniqueOrThrow({ where: { teamsUserId: user.id }, include: { grants: true } });
  }

  /** The scheduler's tick at the harness clock's time, then every job due by then. */
  async runDue() {
    const ticks = await this.background.tickOnce();
    await this.background.worker.drain();
    return ticks;
  }

  async close() {
    await this.background.stop();
    await this.testDb.close();
  }
}
