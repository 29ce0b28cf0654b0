import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { Level } from './scoring.js';

export type ChartRow = { label: string; mean: number; level: Level; target: Level };
export type ChartText = { title: string; levels: Record<Level, string>; you: string; target: string };

const LEVEL_START: Record<Level, number> = { L1: 0, L2: 1.5, L3: 2.5, L4: 3.5 };
const W = 900;
const LEFT = 330;
const RIGHT = 30;
const TOP = 70;
const ROW = 46;

const fit = (s: string, max = 36) => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Current level vs target per area as SVG: a bar to the person's mean on a 0–4 scale split into the four level
 * bands, and a marker where the target level begins. Pure: the same rows give the same picture.
 */
export function chartSvg(rows: ChartRow[], text: ChartText): string {
  const plot = W - LEFT - RIGHT;
  const x = (v: number) => LEFT + (v / 4) * plot;
  const height = TOP + rows.length * ROW + 60;
  const bands = (['L1', 'L2', 'L3', 'L4'] as Level[]).map((l, i) => {
    const from = LEVEL_START[l];
    const to = i < 3 ? LEVEL_START[(['L2', 'L3', 'L4'] as Level[])[i]!] : 4;
    return `<rect x="${x(from)}" y="${TOP - 28}" width="${x(to) - x(from)}" height="${rows.length * ROW + 28}" fill="${i % 2 ? '#f2f6f8' : '#ffffff'}"/>` +
      `<text x="${(x(from) + x(to)) / 2}" y="${TOP - 10}" font-size="14" text-anchor="middle" fill="#44515a">${esc(text.levels[l])}</text>`;
  });
  const bars = rows.map((r, i) => {
    const y = TOP + i * ROW + 10;
    const t = x(LEVEL_START[r.target]);
    return `<text x="${LEFT - 12}" y="${y + 19}" font-size="15" text-anchor="end" fill="#1b2a33">${esc(fit(r.label))}</text>` +
      `<rect x="${LEFT}" y="${y + 4}" width="${Math.max(2, x(r.mean) - LEFT)}" height="20" rx="3" fill="#1B5E7A"/>` +
      `<line x1="${t}" y1="${y - 2}" x2="${t}" y2="${y + 30}" stroke="#E07A1F" stroke-width="4"/>`;
  });
  const ly = TOP + rows.length * ROW + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="DejaVu Sans">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="20" y="28" font-size="18" font-weight="bold" fill="#1b2a33">${esc(text.title)}</text>` +
    bands.join('') + bars.join('') +
    `<rect x="${LEFT}" y="${ly - 12}" width="30" height="14" fill="#1B5E7A"/><text x="${LEFT + 38}" y="${ly}" font-size="14" fill="#1b2a33">${esc(text.you)}</text>` +
    `<line x1="${LEFT + 220}" y1="${ly - 14}" x2="${LEFT + 220}" y2="${ly + 4}" stroke="#E07A1F" stroke-width="4"/><text x="${LEFT + 232}" y="${ly}" font-size="14" fill="#1b2a33">${esc(text.target)}</text>` +
    `</svg>`;
}

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** Fonts are passed explicitly (bundled with the app), so the picture is the same on every machine. */
const FONTS = [path.join(FONT_DIR, 'DejaVuSans.ttf'), path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')];

export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'original' } });
  return Buffer.from(resvg.render().asPng());
}
