import restify from 'restify';
import type { Logger } from '../lib/logger.js';
import type { Db } from '../db/client.js';
import type { Bot } from '../bot/app.js';
import { registerMessagesRoute } from './routes/messages.js';
import { registerHealthRoute } from './routes/health.js';
import { registerChartRoute } from './routes/charts.js';
import { registerBadgeRoutes } from './routes/badges.js';
import type { BadgeIssuer } from '../features/badges/issuer.js';

export const MAX_BODY_BYTES = 256 * 1024;

export type HttpDeps = { bot: Bot; db: Db; logger: Logger; badges: BadgeIssuer; defaultLanguage: string };

/** Door 1: the restify server. Routes are thin: they parse, call the bot or a service, and answer. */
export function createServer(deps: HttpDeps): restify.Server {
  const logger = deps.logger.child({ name: 'http' });
  const server = restify.createServer({ name: 'rex-vet-mentor', handleUncaughtExceptions: false });
  server.pre((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    return next();
  });
  // JSON only: restify's generic bodyParser would also accept multipart uploads (to disk, past the size limit).
  server.use(restify.plugins.jsonBodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false } as restify.plugins.JsonBodyParserOptions));
  server.on('restifyError', (req, res, err, callback) => {
    logger.info({ method: req.method, url: req.url, status: err.statusCode, code: err.code }, 'request refused');
    // Never echo internals; restify's body-parser errors become a short JSON message.
    err.toJSON = () => ({ error: err.statusCode && err.statusCode < 500 ? err.name : 'InternalError' });
    return callback();
  });
  registerHealthRoute(server, deps);
  registerChartRoute(server, deps);
  registerBadgeRoutes(server, deps);
  registerMessagesRoute(server, { ...deps, logger });
  return server;
}
