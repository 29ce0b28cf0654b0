import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { localesDir } from './paths.js';

export type Translate = TFunction;

/** Every `src/locales/<lang>.json` is a language: adding a language is adding a file. */
function readLocales(dir: string): Record<string, { translation: Record<string, unknown> }> {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    resources[path.basename(file, '.json')] = { translation: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) };
  }
  return resources;
}

let instance: I18n | undefined;

export function i18n(): I18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      resources: readLocales(localesDir),
      fallbackLng: 'en',
      initImmediate: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    });
  }
  return instance;
}

export function supportedLanguages(): string[] {
  return Object.keys(i18n().options.resources ?? {}).sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
}

/** "fi-FI" → "fi" when Finnish exists; anything unknown → the fallback. */
export function resolveLanguage(candidates: (string | null | undefined)[], fallback = 'en'): string {
  const langs = supportedLanguages();
  for (const c of candidates) {
    if (!c) continue;
    const base = c.toLowerCase().split(/[-_]/)[0]!;
    if (langs.includes(base)) return base;
  }
  return langs.includes(fallback) ? fallback : 'en';
}

export function translator(lang: string): Translate {
  return i18n().getFixedT(lang);
}

/** Picks a language from content's localised objects ({"en": "...", "fi": "..."}), falling back to English. */
export function localised(value: unknown, lang: string): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, string>;
    return v[lang] ?? v.en ?? Object.values(v)[0] ?? '';
  }
  return '';
}
