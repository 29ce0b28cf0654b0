import crypto from 'node:crypto';
import type { SummaryView } from '../../features/privacy/summary.js';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b2a33;line-height:1.5}
th{text-align:left;vertical-align:top;padding:.2rem 1rem .2rem 0;white-space:nowrap}td{padding:.2rem 0;word-break:break-word}
section{border-top:1px solid #d5dde2;margin-top:1.5rem}.none{color:#5b6b75}`;

/** The summary may use its own stylesheet (by hash) and nothing else: no script, image, frame or form. */
export const MY_DATA_CSP = `default-src 'none'; style-src 'sha256-${crypto.createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The readable summary of `my data`: a standalone file, no script, no external resource, everything escaped. */
export function myDataPageHtml(v: SummaryView, none: string): string {
  const sections = v.sections
    .map((section) => {
      const facts = section.facts.length
        ? `<table>${section.facts.map((f) => `<tr><th>${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`).join('')}</table>`
        : '';
      const items = section.items.length
        ? `<ul>${section.items.map((i) => `<li>${esc(i.title)}${i.lines.length ? `<ul>${i.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}</li>`).join('')}</ul>`
        : '';
      return `<section><h2>${esc(section.heading)}</h2>${facts}${items}${facts || items ? '' : `<p class="none">${esc(none)}</p>`}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${esc(v.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(v.title)}</title>
<style>${STYLE}</style></head>
<body><h1>${esc(v.title)}</h1>
<p>${esc(v.intro)}</p>
<p><small>${esc(v.note)}</small></p>
${sections}
</body></html>`;
}
