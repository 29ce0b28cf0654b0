import type restify from 'restify';
import { z } from 'zod';
import type { HttpDeps } from '../server.js';

/** The minimum an activity must carry before it reaches the adapter; anything less is the sender's fault (400). */
const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    serviceUrl: z.string().max(2048).regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL'),
    channelId: z.string().min(1).max(64),
    from: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    conversation: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    text: z.string().max(28_000).optional(),
  })
  .passthrough();

/**
 * POST /api/messages → adapter.process → bot. In Teams mode the adapter checks the JWT (401 without a valid one).
 * When the adapter fails before the bot runs (e.g. Microsoft's signing keys cannot be fetched) the answer is 503,
 * never a stack trace; errors inside the bot are handled by the bot and never reach here as 5xx details.
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
    const guarded = guardResponse(res, () => botRan);
    await deps.bot.adapter.process(req, guarded, async (context) => {
      botRan = true;
      await deps.bot.run(context);
    });
    if (guarded.failedBeforeBot) deps.logger.error({ reason: guarded.failure }, 'request failed before reaching the bot');
  });
}

type Guarded = restify.Response & { failedBeforeBot?: boolean; failure?: string };

/** Wraps the response so the adapter's 500s never leak error text, and an authentication-stage failure becomes 503. */
function guardResponse(res: restify.Response, botRan: () => boolean): Guarded {
  let status = 200;
  const guarded = Object.create(res) as Guarded;
  guarded.status = (code: number) => {
    status = code;
    return res.status(code);
  };
  guarded.send = ((body?: unknown) => {
    if (status >= 500) {
      const before = !botRan();
      guarded.failedBeforeBot = before;
      guarded.failure = typeof body === 'string' ? body.slice(0, 300) : undefined;
      res.status(before ? 503 : 500);
      return res.send({ error: before ? 'Authentication service unavailable, try again later' : 'Internal error' });
    }
    return res.send(body as object);
  }) as Guarded['send'];
  guarded.end = ((...args: unknown[]) => (res.end as (...a: unknown[]) => unknown)(...args)) as Guarded['end'];
  guarded.header = ((...args: unknown[]) => (res.header as (...a: unknown[]) => unknown)(...args)) as Guarded['header'];
  return guarded;
}
