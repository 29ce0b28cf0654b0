import type restify from 'restify';
import type { Activity, CloudAdapter, InvokeResponse, TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';
import { z } from 'zod';
import type { HttpDeps } from '../server.js';

/** Optional fields the SDKs read as text: absent or null is fine, another type is not. */
const optionalText = (max: number) => z.string().max(max).nullish();
const members = z.array(z.object({ id: z.string().max(512) }).passthrough()).max(1000).nullish();
/** botbuilder lowercases every entity's type, and for a mention compares `mentioned.id` and strips its `text` from the message's. */
const isMention = (e: { type: string }) => e.type.toLowerCase() === 'mention';
const mention = z.object({ mentioned: z.object({ id: z.string().max(512) }).passthrough(), text: z.string().max(28_000) }).passthrough();
const entity = z
  .object({ type: z.string().max(128) })
  .passthrough()
  .superRefine((e, ctx) => {
    if (isMention(e) && !mention.safeParse(e).success) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a mention needs mentioned.id and text' });
  });

/**
 * The minimum an activity must carry before it reaches the adapter, and the types of what the SDKs read without
 * checking (a number for a conversation type breaks botbuilder's reply); anything else is the sender's fault (400).
 */
const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    serviceUrl: z.string().max(2048).regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL'),
    channelId: z.string().min(1).max(64),
    from: z.object({ id: z.string().min(1).max(512), name: optionalText(512), aadObjectId: optionalText(128) }).passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    conversation: z.object({ id: z.string().min(1).max(1024), conversationType: optionalText(64), tenantId: optionalText(128) }).passthrough(),
    text: z.string().max(28_000).optional(),
    name: optionalText(256),
    locale: optionalText(64),
    replyToId: optionalText(512),
    entities: z.array(entity).max(64).optional(),
    channelData: z.object({}).passthrough().nullish(),
    membersAdded: members,
    membersRemoved: members,
  })
  .passthrough()
  .refine((a) => a.type !== 'message' || typeof a.text === 'string' || !(a.entities ?? []).some(isMention), { message: 'a message with a mention needs text', path: ['text'] });

/**
 * The adapter's pipeline without `CloudAdapter.process`'s own error answers, which send a forged signature back
 * as a 500 and echo token details in a 401. `processActivity` is protected in the typings, not at run time.
 */
type Pipeline = { processActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> };
const pipeline = (adapter: CloudAdapter) => adapter as unknown as Pipeline;

/** botbuilder's refusals of the token itself: its AuthenticationError with 401, and jsonwebtoken's verify errors. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);
function isRefusedToken(error: unknown): boolean {
  const e = error as { statusCode?: unknown; name?: unknown } | null;
  return e?.statusCode === 401 || TOKEN_ERRORS.has(String(e?.name));
}

/**
 * POST /api/messages → the adapter (in Teams mode it checks the Bot Framework JWT) → the bot. A refused token is a
 * 401 with nothing run or stored; when Microsoft's signing keys cannot be fetched the answer is 503. No answer
 * carries an error's text: errors inside the turn are the bot's to handle (app.error).
 */
export function registerMessagesRoute(server: restify.Server, deps: HttpDeps) {
  server.post('/api/messages', async (req, res) => {
    if (!req.is('application/json')) return void res.send(415, { error: 'Content-Type must be application/json' });
    const parsed = activityShape.safeParse(req.body);
    if (!parsed.success) {
      deps.logger.info({ issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'malformed activity refused');
      return void res.send(400, { error: 'Malformed activity', fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.')))] });
    }
    let botRan = false;
    try {
      const invoke = await pipeline(deps.bot.adapter).processActivity(String(req.headers.authorization ?? ''), validateAndFixActivity(req.body as Activity), async (context) => {
        botRan = true;
        await deps.bot.run(context);
      });
      res.send(invoke?.status ?? 200, invoke?.body);
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 300) : String(error);
      if (botRan) {
        deps.logger.error({ err: error }, 'turn failed');
        res.send(500, { error: 'Internal error' });
      } else if (isRefusedToken(error)) {
        deps.logger.info({ reason }, 'request with a refused token');
        res.send(401, { error: 'Unauthorized' });
      } else {
        deps.logger.error({ reason }, 'Bot Framework authentication unavailable: request refused before reaching the bot');
        res.send(503, { error: 'Authentication service unavailable, try again later' });
      }
    }
  });
}
