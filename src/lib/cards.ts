import fs from 'node:fs';
import path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { cardsDir } from './paths.js';

/** A plain Adaptive Card object; the bot layer wraps it in an attachment. */
export type Card = { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[]; [key: string]: unknown };

const templates = new Map<string, unknown>();

function template(name: string): unknown {
  let t = templates.get(name);
  if (!t) {
    const file = path.join(cardsDir, `${name}.json`);
    if (!/^[a-z0-9-]+$/.test(name) || !fs.existsSync(file)) throw new Error(`No card template "${name}"`);
    t = JSON.parse(fs.readFileSync(file, 'utf8'));
    templates.set(name, t);
  }
  return t;
}

export function cardTemplateNames(): string[] {
  return fs.readdirSync(cardsDir).filter((f) => f.endsWith('.json')).map((f) => path.basename(f, '.json')).sort();
}

/**
 * Fills `cards/<name>.json` with `data`. Cards are templates filled with data, never strings glued together.
 * A binding left unresolved (`${…}` in the output) means the data is missing a field: that is a bug, so it throws.
 */
export function renderCard(name: string, data: object): Card {
  const card = new Template(template(name)).expand({ $root: neutralise(data) }) as Card;
  const text = JSON.stringify(card);
  const unresolved = text.match(/\$\{[^}]*\}/);
  if (unresolved) throw new Error(`Card "${name}" left ${unresolved[0]} unresolved`);
  return card;
}

/** User text such as a name "${x}" must not look like a binding: a zero-width space keeps it inert and visible as typed. */
function neutralise<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('${', '$\u200b{') as T;
  if (Array.isArray(value)) return value.map(neutralise) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutralise(v)])) as T;
  }
  return value;
}

/**
 * Text someone else chose (a display name) shown inside markdown: brackets and emphasis marks are replaced so it
 * cannot become a link or formatting on another person's card.
 */
export function plainText(value: string): string {
  return value.replace(/\[/g, '(').replace(/\]/g, ')').replace(/[*_`~#>|]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Markdown a coordinator wrote for many readers (an announcement's text): paragraphs, lists, bold and italics stay as
 * typed; a link stays only to a web or e-mail address (anything else, e.g. `javascript:`, keeps just its words);
 * an embedded picture, which a card's text cannot show, becomes its description.
 */
export function cardMarkdown(value: string): string {
  let text = value.replace(/\r\n?/g, '\n');
  // Until nothing changes: taking a link apart must not leave a new one behind (`[[x](a:1)](javascript:2)`).
  for (let before = ''; before !== text; ) {
    before = text;
    text = text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)/g, (whole, label: string, url: string) => (/^(https?:\/\/|mailto:)[^\s()]*$/i.test(url) ? whole : label));
  }
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
