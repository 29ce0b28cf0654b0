import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cardTemplateNames, renderCard } from '../../src/lib/cards.js';
import { cardsDir } from '../../src/lib/paths.js';

const require = createRequire(import.meta.url);
// The package cannot be imported by name on Node 20; its bundle can (see the environment notes).
const AC = require('adaptivecards/dist/adaptivecards.js');

const TEXT_REQUIRED = new Set(['TextBlock']);

/** Parses with the Adaptive Cards SDK and returns every problem it reports, plus the checks the SDK does not make. */
function problems(card: Record<string, unknown>): string[] {
  const found: string[] = [];
  const context = new AC.SerializationContext();
  context.onParseElement = undefined;
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    found.push(`${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
  }
  const version = String(card.version);
  if (!/^1\.[0-5]$/.test(version)) found.push(`version ${version} is above what Teams renders (1.5)`);
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (TEXT_REQUIRED.has(n.type as string) && (typeof n.text !== 'string' || n.text.length === 0)) found.push(`${where}: TextBlock without text`);
    if (n.type === 'TextBlock' && n.wrap !== true) found.push(`${where}: TextBlock without wrap`);
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && !n.label) found.push(`${where}: input without label`);
    if (n.isRequired === true && !n.errorMessage) found.push(`${where}: required input without errorMessage`);
    if (n.type === 'Action.Execute' && (!n.verb || !(n.fallback as { type?: string })?.type)) found.push(`${where}: Action.Execute needs a verb and an Action.Submit fallback`);
    if (n.type === 'Action.Submit' && !(n.data as { verb?: string })?.verb) found.push(`${where}: Action.Submit without data.verb`);
    for (const [k, v] of Object.entries(n)) walk(v, `${where}.${k}`);
  };
  walk(card, 'card');
  return found;
}

describe('card templates', () => {
  const names = cardTemplateNames();

  it('has a sample data file for every template', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(fs.existsSync(path.join(cardsDir, 'samples', `${name}.data.json`))).toBe(true);
  });

  it.each(names)('%s renders its sample data with no unresolved binding and parses cleanly', (name) => {
    const data = JSON.parse(fs.readFileSync(path.join(cardsDir, 'samples', `${name}.data.json`), 'utf8'));
    const card = renderCard(name, data);
    expect(JSON.stringify(card)).not.toMatch(/\$\{/);
    expect(problems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
  });

  it('refuses to render when data is missing a field the template uses', () => {
    expect(() => renderCard('notice', { title: 'x', tone: 'Good', hasFacts: false, facts: [], buttons: [] })).toThrow(/unresolved/);
  });

  it('shows user text that looks like a binding as typed, without evaluating it', () => {
    const card = renderCard('notice', { title: '${title}', text: 'Hi ${1+1}', tone: 'Good', hasFacts: false, facts: [], buttons: [] });
    const body = card.body as { text: string }[];
    expect(body[1]!.text.replace('\u200b', '')).toBe('Hi ${1+1}');
  });

  it('the checks catch a bad card (version 1.6, TextBlock without text, unknown element)', () => {
    const bad = { type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlock', wrap: true }, { type: 'Fancy.Widget' }] };
    const found = problems(bad);
    expect(found.some((p) => p.includes('1.6'))).toBe(true);
    expect(found.some((p) => p.includes('without text'))).toBe(true);
    expect(found.some((p) => /Fancy\.Widget|unknown/i.test(p))).toBe(true);
  });
});
