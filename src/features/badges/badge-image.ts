import { renderPng } from '../assessment/chart.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Splits a label into at most `lines` lines of about `width` characters. */
function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if ((line + ' ' + word).trim().length > width && line) {
      out.push(line);
      line = word;
    } else line = `${line} ${word}`.trim();
  }
  if (line) out.push(line);
  if (out.length > lines) out.splice(lines - 1, out.length, `${out.slice(lines - 1).join(' ').slice(0, width - 1)}…`);
  return out;
}

/**
 * The badge picture: a medal in the level's colour with the area code, the level (as stars: Explorer 1, Practitioner
 * 2, Expert 3; meta-badges a laurel of 5) and the badge name, 512 × 512 (Teams and wallets show it small and large).
 */
export function badgeSvg(b: { code: string; name: string; colour: string; stars: number; footer: string }): string {
  const stars = Array.from({ length: b.stars }, (_, i) => {
    const x = 256 + (i - (b.stars - 1) / 2) * 44;
    return `<text x="${x}" y="322" font-size="34" text-anchor="middle" fill="#ffd76a">★</text>`;
  }).join('');
  const name = wrap(b.name, 22, 3).map((l, i) => `<text x="256" y="${372 + i * 30}" font-size="24" font-weight="bold" text-anchor="middle" fill="#ffffff">${esc(l)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" font-family="DejaVu Sans">` +
    `<circle cx="256" cy="256" r="248" fill="${b.colour}"/>` +
    `<circle cx="256" cy="256" r="228" fill="none" stroke="#ffffff" stroke-opacity="0.55" stroke-width="6"/>` +
    `<circle cx="256" cy="256" r="214" fill="none" stroke="#ffffff" stroke-opacity="0.25" stroke-width="2" stroke-dasharray="6 8"/>` +
    `<text x="256" y="118" font-size="26" font-weight="bold" text-anchor="middle" fill="#ffffff" letter-spacing="4">${esc(b.footer)}</text>` +
    `<text x="256" y="262" font-size="${b.code.length > 5 ? 78 : 104}" font-weight="bold" text-anchor="middle" fill="#ffffff">${esc(b.code)}</text>` +
    stars + name +
    `</svg>`;
}

export function badgePng(b: Parameters<typeof badgeSvg>[0]): Buffer {
  return renderPng(badgeSvg(b));
}
