import type restify from 'restify';
import { resultsChartSvg } from '../../features/assessment/assessment.cards.js';
import { chartImage } from '../../features/assessment/results.service.js';
import type { HttpDeps } from '../server.js';
import { mappingChartPng } from '../../features/mapping/digest.service.js';
import { exportFile } from '../../features/mapping/export.service.js';

/**
 * GET /charts/<token>.png — a results chart. Public (Teams fetches card images without the user's identity), so
 * the token is long and random; anything else is a plain 404 that says nothing about what exists. Rendered from the
 * stored results on each request (the card's URL carries a version, so browsers may cache each version).
 */
export function registerChartRoute(server: restify.Server, deps: HttpDeps) {
  // A mapping export behind a 15-minute link (published counts only).
  server.get('/exports/:file', async (req, res) => {
    const match = /^([A-Za-z0-9_-]{32})\.(csv|xlsx)$/.exec(String(req.params.file ?? ''));
    const file = match ? await exportFile(deps.db, deps.clock, match[1]!) : null;
    if (!file || !file.filename.endsWith(`.${match![2]}`)) {
      res.send(404, { error: 'Not found or expired' });
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length, 'Content-Disposition': `attachment; filename="${file.filename}"`, 'Cache-Control': 'no-store' });
    res.end(file.body);
  });

  // A manager digest's chart: drawn from the stored, already-protected mapping (never from raw data).
  server.get('/charts/mapping/:file', async (req, res) => {
    const match = /^([A-Za-z0-9_-]{32})\.png$/.exec(String(req.params.file ?? ''));
    const png = match ? await mappingChartPng(deps.db, match[1]!) : null;
    if (!png) {
      res.send(404, { error: 'Not found' });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'private, max-age=604800' });
    res.end(png);
  });

  server.get('/charts/:file', async (req, res) => {
    const match = /^([A-Za-z0-9_-]{32,64})\.png$/.exec(String(req.params.file ?? ''));
    const png = match ? await chartImage(deps.db, match[1]!, resultsChartSvg) : null;
    if (!png) {
      res.send(404, { error: 'Not found' });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'private, max-age=86400' });
    res.end(png);
  });
}
