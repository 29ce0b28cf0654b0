import { LEVEL_IDS, type PublishedGroup } from './anonymise.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLOURS = { L1: '#c9d6de', L2: '#1b8a7a', L3: '#1f5fa8', L4: '#b8860b', hidden: '#eeeeee' } as const;

export type MappingChartText = { title: string; levels: Record<string, string>; hidden: string; areas: Record<string, string> };

/**
 * The level distribution per area as 100 % stacked bars, drawn only from published counts: a hidden count is a
 * grey "hidden" part of the bar, never estimated.
 */
export function mappingChartSvg(overall: PublishedGroup, areaIds: string[], text: MappingChartText): string {
  const W = 900;
  const LEFT = 330;
  const TOP = 70;
  const ROW = 40;
  const plot = W - LEFT - 30;
  const n = overall.n ?? 0;
  const rows = areaIds.map((a, i) => {
    const y = TOP + i * ROW;
    let x = LEFT;
    const parts: string[] = [];
    const c = overall.counts[a]!;
    const known = LEVEL_IDS.reduce((s, l) => s + (c[l] ?? 0), 0);
    for (const l of LEVEL_IDS) {
      const v = c[l];
      if (!v || n === 0) continue;
      const w = (v / n) * plot;
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="26" fill="${COLOURS[l]}"/>`);
      if (w > 28) parts.push(`<text x="${x + w / 2}" y="${y + 18}" font-size="13" text-anchor="middle" fill="${l === 'L1' ? '#1b2a33' : '#ffffff'}">${v}</text>`);
      x += w;
    }
    if (n > 0 && known < n) parts.push(`<rect x="${x}" y="${y}" width="${((n - known) / n) * plot}" height="26" fill="${COLOURS.hidden}"/>`);
    return `<text x="${LEFT - 12}" y="${y + 18}" font-size="15" text-anchor="end" fill="#1b2a33">${esc(text.areas[a] ?? a)}</text>` + parts.join('');
  });
  const legendY = TOP + areaIds.length * ROW + 24;
  const legend = [...LEVEL_IDS.map((l) => [COLOURS[l], text.levels[l]!] as const), [COLOURS.hidden, text.hidden] as const]
    .map(([colour, label], i) => `<rect x="${LEFT + i * 120}" y="${legendY - 12}" width="16" height="16" fill="${colour}"/><text x="${LEFT + i * 120 + 22}" y="${legendY + 1}" font-size="13" fill="#1b2a33">${esc(label)}</text>`)
    .join('');
  const height = legendY + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="DejaVu Sans"><rect width="${W}" height="${height}" fill="#ffffff"/>` +
    `<text x="20" y="32" font-size="18" font-weight="bold" fill="#1b2a33">${esc(text.title)}</text>${rows.join('')}${legend}</svg>`;
}
