import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Env } from '../config/env.js';
import type { Db } from '../db/client.js';
import { ProactiveSender, defaultSenderPolicy } from '../bot/proactive.js';
import { pruneSendLog } from '../bot/send-pacing.js';
import { noticeCard } from '../features/people/people.cards.js';
import { PARTNERSHIP } from '../features/people/roles.js';
import type { RemindersDeps } from '../features/reminders/reminders.service.js';
import type { Clock } from '../lib/clock.js';
import { systemClock } from '../lib/clock.js';
import { translator } from '../lib/i18n.js';
import type { Logger } from '../lib/logger.js';
import type { Sender } from '../lib/notifier.js';
import { notifyJob } from './kinds/notify.job.js';
import { badgeCheckJob } from './kinds/badge-check.job.js';
import { digestJob } from './kinds/digest.job.js';
import { announcementFanoutJob, announcementJob } from './kinds/announcement.job.js';
import { eventChangeJob } from './kinds/event-change.job.js';
import { weeklyDigest } from './recurring/weekly-digest.job.js';
import { BadgeIssuer } from '../features/badges/issuer.js';
import type { BadgesDeps } from '../features/badges/badges.service.js';
import { reminderJob } from './kinds/reminder.job.js';
import { QueueNotifier } from './notifier.js';
import { JobQueue } from './queue.js';
import { dailyReminders } from './recurring/daily-reminders.job.js';
import { retention } from './recurring/retention.job.js';
import { Scheduler } from './scheduler.js';
import { Worker, type JobHandler } from './worker.js';

export type JobsDeps = { env: Env; db: Db; logger: Logger; clock: Clock; badges?: BadgeIssuer };

/** The Open Badges issuer for this deployment (its key file is created on first start). */
export function openBadgeIssuer(env: Env, db: Db, clock: Clock): Promise<BadgeIssuer> {
  return BadgeIssuer.open(db, clock, { publicBaseUrl: env.PUBLIC_BASE_URL, keyFile: env.BADGE_KEY_FILE, name: env.BADGE_ISSUER_NAME, url: env.BADGE_ISSUER_URL ?? env.PUBLIC_BASE_URL, email: env.BADGE_ISSUER_EMAIL });
}

export function badgesDeps(deps: JobsDeps & { badges: BadgeIssuer }): BadgesDeps {
  return { db: deps.db, clock: deps.clock, issuer: deps.badges, notifier: new QueueNotifier({ db: deps.db, clock: deps.clock }), defaultLanguage: deps.env.DEFAULT_LANGUAGE };
}

export function remindersDeps(deps: JobsDeps): RemindersDeps & { defaultLanguage: string } {
  return { db: deps.db, clock: deps.clock, defaultTimeZone: deps.env.DEFAULT_TIME_ZONE, nudgeAfterWeeks: deps.env.NUDGE_AFTER_WEEKS, defaultLanguage: deps.env.DEFAULT_LANGUAGE };
}

export function mappingDeps(deps: JobsDeps) {
  return { db: deps.db, clock: deps.clock, k: deps.env.PRIVACY_MIN_GROUP, publicBaseUrl: deps.env.PUBLIC_BASE_URL, defaultLanguage: deps.env.DEFAULT_LANGUAGE };
}

/** Every job kind the worker runs (one file each in src/jobs/kinds). */
export function jobHandlers(deps: JobsDeps): JobHandler<never>[] {
  const badges = deps.badges;
  return [notifyJob, reminderJob(remindersDeps(deps)), digestJob(mappingDeps(deps)), announcementJob({ db: deps.db, clock: deps.clock, defaultLanguage: deps.env.DEFAULT_LANGUAGE }), announcementFanoutJob({ db: deps.db, clock: deps.clock }), eventChangeJob({ db: deps.db, defaultLanguage: deps.env.DEFAULT_LANGUAGE }), ...(badges ? [badgeCheckJob(badgesDeps({ ...deps, badges }))] : [])] as JobHandler<never>[];
}

/** Every recurring job (one file each in src/jobs/recurring). */
export function recurringJobs(deps: JobsDeps) {
  return [
    dailyReminders(remindersDeps(deps)),
    weeklyDigest({ ...mappingDeps(deps), defaultTimeZone: deps.env.DEFAULT_TIME_ZONE }),
    retention({ db: deps.db, clock: deps.clock, logger: deps.logger, pseudonymKey: deps.env.PRIVACY_PSEUDONYM_KEY, retentionMonths: deps.env.RETENTION_INACTIVE_MONTHS, timeZone: deps.env.DEFAULT_TIME_ZONE }),
  ];
}

/** The proactive sender for this deployment: the bot's Application, the env's tenant ceiling. */
export function createSender(deps: JobsDeps & { app: Application<TurnState>; wall?: Clock; sleep?: (ms: number) => Promise<void>; random?: () => number; tenantPerSecond?: number }): ProactiveSender {
  const queue = new JobQueue(deps.db);
  return new ProactiveSender({
    app: deps.app,
    botAppId: deps.env.BOT_ID ?? '',
    db: deps.db,
    logger: deps.logger,
    policy: { ...defaultSenderPolicy, tenantPerSecond: deps.tenantPerSecond ?? deps.env.PROACTIVE_TENANT_RATE },
    nowMs: () => (deps.wall ?? systemClock).now().getTime(),
    sleep: deps.sleep,
    random: deps.random,
    // Teams will not deliver to a tenant that disabled the bot: tell the partnership's admins elsewhere.
    onTenantDisabled: async (tenantId, reason) => {
      const admins = await deps.db.grant.findMany({ where: { role: 'admin', scope: PARTNERSHIP, person: { tenantId: { not: tenantId } } }, select: { personId: true } });
      const t = translator(deps.env.DEFAULT_LANGUAGE);
      const now = deps.clock.now();
      for (const a of admins) {
        const card = noticeCard({ title: t('jobs.tenantDisabled.title'), text: t('jobs.tenantDisabled.text', { tenantId, reason }), tone: 'warning' });
        await queue.enqueue({ kind: 'notify', key: `tenant-disabled:${tenantId}:${now.toISOString().slice(0, 10)}:${a.personId}`, payload: { to: { personId: a.personId }, card, summary: t('jobs.tenantDisabled.title') }, runAt: now, personId: a.personId }, now);
      }
    },
  });
}

/**
 * The clock door: a worker that sends due jobs and a scheduler that ticks the recurring jobs. `npm start` and
 * `npm run serve` run it next to the bot; the CLI's `run-due` runs it once.
 */
export class Background {
  readonly worker: Worker;
  readonly scheduler: Scheduler;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<unknown> | null = null;

  constructor(private readonly deps: JobsDeps & { sender: Sender; tickMs?: number; wall?: Clock }) {
    this.worker = new Worker({ db: deps.db, sender: deps.sender, handlers: jobHandlers(deps), logger: deps.logger, clock: deps.clock, wall: deps.wall, concurrency: deps.env.JOB_CONCURRENCY });
    this.scheduler = new Scheduler({ db: deps.db, clock: deps.clock, logger: deps.logger, jobs: recurringJobs(deps) });
  }

  notifier(): QueueNotifier {
    return new QueueNotifier({ db: this.deps.db, clock: this.deps.clock, wake: () => this.worker.nudge() });
  }

  start(): void {
    const tick = () => {
      if (this.ticking) return;
      this.ticking = this.tickOnce()
        .catch((error) => this.deps.logger.error({ err: error }, 'scheduler tick failed'))
        .finally(() => (this.ticking = null));
    };
    tick();
    this.timer = setInterval(tick, this.deps.tickMs ?? 60_000);
    this.worker.start();
  }

  async tickOnce() {
    const reports = await this.scheduler.tick();
    await pruneSendLog(this.deps.db, (this.deps.wall ?? systemClock).now().getTime());
    return reports;
  }

  /** Graceful: no new ticks or claims; the job in a call finishes, waiting ones go back to the queue. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    await this.worker.stop();
  }
}
