import crypto from 'node:crypto';
import type { BadgePageView } from '../../features/badges/badge-page.service.js';
import { linkedInUrl } from '../../features/badges/badges.cards.js';
import type { BadgeIssuer } from '../../features/badges/issuer.js';
import type { Translate } from '../../lib/i18n.js';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b2a33;line-height:1.5}
img{width:160px;height:160px}.head{display:flex;gap:1.5rem;align-items:center}.status{padding:.6rem .9rem;border-radius:6px}
.ok{background:#e5f5ee;color:#145c3a}.revoked{background:#fdeaea;color:#8c1c1c}th{text-align:left;vertical-align:top;padding-right:1rem;white-space:nowrap}
td,th{padding:.3rem 0}a{color:#1f5fa8}`;

const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');

/** What the page may load: its own stylesheet (by hash) and the badge picture from the issuer's host; no script, frame or form. */
export function badgePageCsp(issuer: BadgeIssuer): string {
  return `default-src 'none'; img-src ${new URL(issuer.base).origin}; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The public badge page: no login, no script, everything escaped. */
export function badgePageHtml(t: Translate, lang: string, issuer: BadgeIssuer, v: BadgePageView): string {
  const url = issuer.credentialUrl(v.award.id);
  const status = v.award.revokedAt || v.verification.revoked
    ? `<p class="status revoked">${esc(t('badges.page.revoked', { date: (v.award.revokedAt ?? new Date()).toISOString().slice(0, 10), reason: v.award.revokeReason ?? '' }))}</p>`
    : v.verification.verified
      ? `<p class="status ok">✓ ${esc(t('badges.page.verified', { issuer: issuer.config.name }))}</p>`
      : `<p class="status revoked">${esc(t('badges.page.unverified'))}</p>`;
  const row = (label: string, value: string) => `<tr><th>${esc(label)}</th><td>${value}</td></tr>`;
  const evidence = v.evidence.map((e) => `<li><strong>${esc(e.name)}</strong> — ${esc(e.narrative)}</li>`).join('');
  return `<!doctype html>
<html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(v.name)} — ${esc(issuer.config.name)}</title>
<link rel="alternate" type="application/ld+json" href="${esc(url)}/credential.json">
<style>${STYLE}</style></head>
<body><div class="head"><img src="${esc(issuer.imageUrl(v.award.badgeClassId))}" alt="${esc(v.name)}"><div><h1>${esc(v.name)}</h1>
<p>${esc(t('badges.issuedOn', { date: v.award.issuedAt.toISOString().slice(0, 10) }))}</p></div></div>
${status}
<p>${esc(v.description)}</p>
<table>
${row(t('badges.page.issuedTo'), esc(v.recipientName ?? t('badges.page.anonymous')))}
${row(t('badges.page.issuer'), `<a href="${esc(issuer.config.url)}">${esc(issuer.config.name)}</a>`)}
${row(t('badges.page.criteria'), esc(v.criteria))}
${v.alignment ? row(t('badges.page.alignment'), esc(`${v.alignment.targetName} (${v.alignment.targetCode})`)) : ''}
${evidence ? row(t('badges.page.evidence'), `<ul>${evidence}</ul>`) : ''}
${row(t('badges.page.downloads'), `<a href="${esc(url)}/badge.png" download>${esc(t('badges.page.png'))}</a><br><a href="${esc(url)}/badge.svg" download>${esc(t('badges.page.svg'))}</a><br><a href="${esc(url)}/credential.json" download>${esc(t('badges.page.json'))}</a><br><a href="${esc(url)}/ob2">${esc(t('badges.page.ob2'))}</a><br><a href="${esc(linkedInUrl(issuer, v.award, v.name))}">${esc(t('badges.page.linkedin'))}</a>`)}
</table>
<p><small>${esc(t('badges.page.howToVerify'))}</small></p>
</body></html>`;
}
