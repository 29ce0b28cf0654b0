import type restify from 'restify';
import { badgePage, bakedBadge } from '../../features/badges/badge-page.service.js';
import { BadgesRepository } from '../../features/badges/badges.repository.js';
import { areaName, levelName, loadFramework } from '../../features/assessment/framework.repository.js';
import { resolveLanguage, translator } from '../../lib/i18n.js';
import { badgePageCsp, badgePageHtml } from '../pages/badge.page.js';
import { ob2Assertion, ob2BadgeClass, ob2Issuer } from '../../features/badges/ob2.js';
import type { HttpDeps } from '../server.js';

const AWARD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BADGE_ID = /^[A-Z]+-(L[2-4]|[A-Z]+)$/;

function sendJson(res: restify.Response, body: unknown, opts: { download?: string; type?: string; cache?: string } = {}) {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(200, {
    'Content-Type': `${opts.type ?? 'application/ld+json'}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': opts.cache ?? 'public, max-age=300',
    ...(opts.download ? { 'Content-Disposition': `attachment; filename="${opts.download}"` } : {}),
  });
  res.end(text);
}

function notFound(res: restify.Response) {
  res.send(404, { error: 'Not found' });
}

/** A browser gets the page; a verifier or wallet asking for JSON gets the credential. */
function wantsJson(req: restify.Request): boolean {
  if (String(req.query?.format ?? '') === 'json') return true;
  const accept = String(req.headers.accept ?? '');
  return /application\/(ld\+)?json/.test(accept) && !/text\/html/.test(accept);
}

/**
 * The Open Badges issuer's public documents (no login): the issuer / controller document, the signed revocation
 * list, each Achievement and its picture, and each credential — page, JSON, baked PNG and SVG.
 */
export function registerBadgeRoutes(server: restify.Server, deps: HttpDeps) {
  const issuer = deps.badges;
  server.get('/badges/issuer', async (_req, res) => sendJson(res, issuer.issuerDocument()));
  server.get('/badges/status/revocation', async (_req, res) => sendJson(res, await issuer.statusListCredential(), { cache: 'public, max-age=60' }));

  /** A badge class as published: its Achievement in the deployment's default language. */
  const achievementOf = async (id: string) => {
    const badge = BADGE_ID.test(id) ? await new BadgesRepository(deps.db).badgeClass(id) : null;
    if (!badge) return null;
    const framework = await loadFramework(deps.db);
    const lang = deps.defaultLanguage;
    return issuer.achievement(badge, lang, badge.areaId ? areaName(framework, badge.areaId, lang) : undefined, badge.level ? levelName(framework, badge.level, lang) : undefined);
  };

  server.get('/badges/achievements/:id', async (req, res) => {
    const a = await achievementOf(String(req.params.id ?? ''));
    if (!a) return notFound(res);
    sendJson(res, {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: a.id, type: ['Achievement'], achievementType: 'Badge', name: a.name, description: a.description, criteria: { narrative: a.criteria },
      image: { id: a.image, type: 'Image', caption: a.name }, creator: { id: issuer.ids.issuerId, type: ['Profile'], ...issuer.profile() },
      ...(a.alignment ? { alignment: [{ type: ['Alignment'], ...a.alignment }] } : {}),
    });
  });

  server.get('/badges/images/:file', async (req, res) => {
    const m = /^([A-Z]+-(?:L[2-4]|[A-Z]+))\.png$/.exec(String(req.params.file ?? ''));
    const badge = m ? await new BadgesRepository(deps.db).badgeClass(m[1]!) : null;
    if (!badge) return notFound(res);
    const png = issuer.image(badge, 'en');
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'public, max-age=86400', 'Access-Control-Allow-Origin': '*' });
    res.end(png);
  });

  server.get('/badges/framework', async (_req, res) => {
    const framework = await loadFramework(deps.db);
    const rows = framework.areas.flatMap((a) => ['L2', 'L3', 'L4'].map((l) => `<li id="${a.id}-${l}"><strong>${a.id}-${l}</strong>: ${areaName(framework, a.id, 'en')} — ${levelName(framework, l, 'en')}</li>`));
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>REX VET international competence framework</title></head><body><h1>REX VET international competence framework</h1><p>Eight areas, four levels (Rookie, Explorer, Practitioner, Expert). Badges align to an area at a level:</p><ul>${rows.join('')}</ul></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'public, max-age=3600' });
    res.end(html);
  });

  server.get('/badges/c/:id', async (req, res) => {
    const id = String(req.params.id ?? '');
    if (!AWARD_ID.test(id)) return notFound(res);
    if (wantsJson(req)) {
      const award = await new BadgesRepository(deps.db).publicAward(id);
      return award ? sendJson(res, award.credential) : notFound(res);
    }
    const lang = resolveLanguage([String(req.headers['accept-language'] ?? '').split(',')[0]], 'en');
    const view = await badgePage(deps.db, issuer, id, lang);
    if (!view) return notFound(res);
    const html = badgePageHtml(translator(lang), lang, issuer, view);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-cache', Vary: 'Accept, Accept-Language', 'Content-Security-Policy': badgePageCsp(issuer) });
    res.end(html);
  });

  // Open Badges 2.0 hosted verification, for older backpacks.
  server.get('/badges/ob2/issuer', async (_req, res) => sendJson(res, ob2Issuer(issuer), { type: 'application/json' }));
  server.get('/badges/ob2/classes/:id', async (req, res) => {
    const id = String(req.params.id ?? '');
    const a = await achievementOf(id);
    return a ? sendJson(res, ob2BadgeClass(issuer, id, a), { type: 'application/json' }) : notFound(res);
  });

  server.get('/badges/c/:id/:file', async (req, res) => {
    const id = String(req.params.id ?? '');
    const file = String(req.params.file ?? '');
    if (!AWARD_ID.test(id)) return notFound(res);
    if (file === 'ob2') {
      const award = await new BadgesRepository(deps.db).publicAward(id);
      if (!award) return notFound(res);
      const body = JSON.stringify(ob2Assertion(issuer, award), null, 2);
      res.writeHead(award.revokedAt ? 410 : 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-cache' });
      res.end(body);
      return;
    }
    if (file === 'credential.json') {
      const award = await new BadgesRepository(deps.db).publicAward(id);
      return award ? sendJson(res, award.credential, { download: `rexvet-badge-${id}.json` }) : notFound(res);
    }
    if (file !== 'badge.png' && file !== 'badge.svg') return notFound(res);
    const baked = await bakedBadge(deps.db, issuer, id, file === 'badge.png' ? 'png' : 'svg');
    if (!baked) return notFound(res);
    const body = typeof baked === 'string' ? Buffer.from(baked, 'utf8') : baked;
    res.writeHead(200, {
      'Content-Type': file === 'badge.png' ? 'image/png' : 'image/svg+xml; charset=utf-8',
      'Content-Length': body.length,
      'Content-Disposition': `attachment; filename="rexvet-badge-${id}.${file.slice(6)}"`,
      'Cache-Control': 'no-cache',
      'Access-Control-Allow-Origin': '*',
    });
    res.end(body);
  });
}
