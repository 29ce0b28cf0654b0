import restify from 'restify';
import type { Logger } from '../lib/logger.js';
import type { Db } from '../db/client.js';
import type { Bot } from '../bot/app.js';
import type { Clock } from '../lib/clock.js';
import { errorRef } from '../lib/errors.js';
import { registerMessagesRoute } from './routes/messages.js';
import { registerHealthRoute } from './routes/health.js';
import { registerChartRoute } from './routes/charts.js';
import { registerBadgeRoutes } from './routes/badges.js';
import { registerPrivacyRoutes } from './routes/privacy.js';
import type { BadgeIssuer } from '../features/badges/issuer.js';

export const MAX_BODY_BYTES = 256 * 1024;

/** Every response: nothing to run, frame or sniff. HTML pages replace the policy with their own (still no script). */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

export type HttpDeps = { bot: Bot; db: Db; logger: Logger; badges: BadgeIssuer; clock: Clock; defaultLanguage: string; publicBaseUrl: string };

/** Door 1: the restify server. Routes are thin: they parse, call the bot or a service, and answer. */
export function createServer(deps: HttpDeps): restify.Server {
  const logger = deps.logger.child({ name: 'http' });
  // An empty name: restify then sends no Server header.
  const server = restify.createServer({ name: '', handleUncaughtExceptions: false });
  const https = deps.publicBaseUrl.startsWith('https://');
  server.pre((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    if (https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    return next();
  });
  // JSON only: restify's generic bodyParser would also accept multipart uploads (to disk, past the size limit).
  server.use(restify.plugins.jsonBodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false } as restify.plugins.JsonBodyParserOptions));
  server.on('restifyError', (req, res, err, callback) => {
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    // Never echo internals: restify's own refusals keep their name, anything else is an "Internal error" with a reference to the log.
    if (status >= 500) {
      const ref = errorRef();
      logger.error({ err, ref, method: req.method, url: req.url }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'Internal error', ref });
    } else {
      logger.info({ method: req.method, url: req.url, status, code: err.code }, 'request refused');
      if (!res.headersSent) res.send(status, { error: err.name });
    }
    return callback();
  });
  registerHealthRoute(server, deps);
  registerChartRoute(server, deps);
  registerBadgeRoutes(server, deps);
  registerPrivacyRoutes(server, deps);
  registerMessagesRoute(server, { ...deps, logger });
  return server;
}
