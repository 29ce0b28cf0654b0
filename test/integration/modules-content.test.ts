import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { moduleFile, type ModuleFile } from '../../src/features/content/content.schemas.js';
import { contentDir } from '../../src/lib/paths.js';

/** The promised course content: what a reader of the modules can rely on, checked on the files themselves. */
const dir = path.join(contentDir, 'modules');
const modules: ModuleFile[] = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => moduleFile.parse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))));
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
const AREAS = ['EU', 'VET', 'LANG', 'ICC', 'CURR', 'LEARN', 'MOB', 'STRAT'];

describe('training module content', () => {
  it('has a module for every area at Rookie → Explorer and at least two at Explorer → Practitioner', () => {
    expect(modules.filter((m) => m.transition === 'L1->L2').map((m) => m.area).sort()).toEqual([...AREAS].sort());
    expect(modules.filter((m) => m.transition === 'L2->L3').length).toBeGreaterThanOrEqual(2);
  });

  it.each(modules.map((m) => [m.id, m] as const))('%s: 3–6 lessons of 120–250 words in English and Finnish', (_id, m) => {
    expect(m.lessons.length).toBeGreaterThanOrEqual(3);
    expect(m.lessons.length).toBeLessThanOrEqual(6);
    for (const l of m.lessons) {
      for (const lang of ['en', 'fi'] as const) {
        const n = words(l.body[lang] ?? '');
        expect({ lesson: l.id, lang, inRange: n >= 120 && n <= 250 }).toEqual({ lesson: l.id, lang, inRange: true });
      }
    }
  });

  it.each(modules.map((m) => [m.id, m] as const))('%s: ≥ 5 questions, feedback for every option in both languages, sources', (_id, m) => {
    expect(m.quiz.questions.length).toBeGreaterThanOrEqual(5);
    for (const q of m.quiz.questions) for (const o of q.options) expect(!!o.feedback.en && !!o.feedback.fi).toBe(true);
    expect(m.sources.length).toBeGreaterThanOrEqual(1);
    expect(m.reflection.fi).toBeTruthy();
  });
});
