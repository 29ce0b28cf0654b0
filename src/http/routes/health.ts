import type restify from 'restify';
import { pingDb } from '../../db/client.js';
import type { HttpDeps } from '../server.js';

export function registerHealthRoute(server: restify.Server, deps: Pick<HttpDeps, 'db'>) {
  server.get('/healthz', async (_req, res) => {
    const db = await pingDb(deps.db);
    res.send(db ? 200 : 503, { status: db ? 'ok' : 'unavailable', database: db ? 'ok' : 'unreachable' });
  });
}
