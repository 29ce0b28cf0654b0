import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { resolveLanguage, supportedLanguages, translator } from '../../src/lib/i18n.js';
import { localesDir } from '../../src/lib/paths.js';

type Tree = { [k: string]: string | Tree };
const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')) as Tree;
function flatten(tree: Tree, prefix = ''): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>((acc, [k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'string' ? { ...acc, [key]: v } : { ...acc, ...flatten(v, key) };
  }, {});
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('speaks English and Finnish, English first', () => {
    expect(supportedLanguages().slice(0, 2)).toEqual(['en', 'fi']);
  });

  const english = flatten(load('en'));
  it.each(supportedLanguages().filter((l) => l !== 'en'))('%s has every English key, with the same placeholders', (lang) => {
    const other = flatten(load(lang));
    expect(Object.keys(other).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english)) {
      expect({ key, placeholders: placeholders(other[key]!) }).toEqual({ key, placeholders: placeholders(text) });
      expect(other[key]!.trim()).not.toBe('');
    }
  });

  it('resolves a Teams locale to a language it speaks, in order of preference, else the fallback', () => {
    expect(resolveLanguage(['fi-FI'])).toBe('fi');
    expect(resolveLanguage([null, 'FI'])).toBe('fi');
    expect(resolveLanguage(['sv-SE', 'fi-FI'])).toBe('fi');
    expect(resolveLanguage(['sv-SE'])).toBe('en');
    expect(resolveLanguage(['de-DE'], 'fi')).toBe('fi');
  });

  it('falls back to English for a language without a file, and interpolates', () => {
    expect(translator('sv')('help.title')).toBe('What I can do for you');
    expect(translator('fi')('help.title')).not.toBe('What I can do for you');
    expect(translator('en')('unknown.text', { text: 'xyz' })).toContain('"xyz"');
  });
});
