import type restify from 'restify';
import { personalExport } from '../../features/privacy/export.service.js';
import { personalSummary, summaryNames } from '../../features/privacy/summary.js';
import { translator } from '../../lib/i18n.js';
import { MY_DATA_CSP, myDataPageHtml } from '../pages/my-data.page.js';
import type { HttpDeps } from '../server.js';

/**
 * GET /privacy/<token>.json | .html — a person's own data behind the 15-minute link `my data` gave them. The token
 * is the only key (the browser has no Teams identity) and is bound to one person on the server: no person id is
 * ever read from the URL. Anything else is a plain 404 that says nothing about what exists.
 */
export function registerPrivacyRoutes(server: restify.Server, deps: HttpDeps) {
  server.get('/privacy/:file', async (req, res) => {
    const match = /^([A-Za-z0-9_-]{32})\.(json|html)$/.exec(String(req.params.file ?? ''));
    const found = match ? await personalExport(deps.db, deps.clock, match[1]!) : null;
    if (!match || !found) {
      res.send(404, { error: 'Not found or expired' });
      return;
    }
    const filename = `rexvet-my-data-${found.data.exportedAt.slice(0, 10)}.${match[2]}`;
    const body =
      match[2] === 'json'
        ? JSON.stringify(found.data, null, 2)
        : myDataPageHtml(personalSummary(found.data, await summaryNames(deps.db), found.lang), translator(found.lang)('privacy.summary.none'));
    res.writeHead(200, {
      'Content-Type': match[2] === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      ...(match[2] === 'html' ? { 'Content-Security-Policy': MY_DATA_CSP } : {}),
    });
    res.end(body);
  });
}
