/**
 * Teams app package checks, offline: teamsapp/manifest.json against the JSON Schema bundled in
 * @microsoft/app-manifest for its manifestVersion, teamsapp/fi-fi.json against the localization
 * schema, the Finnish command list against the manifest's, and the two icons' size and colours.
 */
import { describe, it, expect } from '@jest/globals';
import { deflateSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import { decodePng, PNG_SIGNATURE, readPngHeader } from '../helpers/png.js';

// CommonJS packages: under Node's ESM loader the default import is module.exports, which carries `.default`.
const Ajv = Ajv04.default;
const addFormats = ajvFormats.default;

type Json = Record<string, unknown>;
interface Command {
  title: string;
  description: string;
}
interface Manifest extends Json {
  $schema: string;
  manifestVersion: string;
  icons: { color: string; outline: string };
  localizationInfo: { defaultLanguageTag: string; additionalLanguages?: { languageTag: string; file: string }[] };
  bots: { botId: string; commandLists: { scopes: string[]; commands: Command[] }[] }[];
}

const ROOT = process.cwd();
const APP_DIR = path.join(ROOT, 'teamsapp');
const SCHEMA_ROOT = path.join(ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');
const PUBLIC_SCHEMA_ROOT = 'https://developer.microsoft.com/en-us/json-schemas/teams';

const SAMPLE = {
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  BOT_ID: '7d9f1c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f',
  BOT_DOMAIN: 'rexvet.example.org',
} as const;

const readText = (file: string) => readFileSync(path.join(APP_DIR, file), 'utf8');
const readJson = <T = Json>(file: string): T => JSON.parse(readText(file)) as T;

/** The manifest as `npm run package` / the Agents Toolkit would ship it: placeholders filled in. */
function resolvedManifest(): Manifest {
  let text = readText('manifest.json');
  for (const [name, value] of Object.entries(SAMPLE)) text = text.replaceAll(`\${{${name}}}`, value);
  return JSON.parse(text) as Manifest;
}

const rawManifest = readJson<Manifest>('manifest.json');
const schemaDir = path.join(SCHEMA_ROOT, `v${rawManifest.manifestVersion}`);

function compile(schemaFile: string): ValidateFunction {
  // The Teams schemas are draft-04 (hence ajv-draft-04, as @microsoft/app-manifest does). Some of the
  // localization schema's patterns (e.g. `\b]`) are not valid in unicode mode, so use plain RegExps.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(schemaDir, schemaFile), 'utf8')) as Json);
}

const formatErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

describe('teamsapp/manifest.json', () => {
  const validateManifest = compile('MicrosoftTeams.schema.json');

  it('names a manifest version whose schema ships locally, and the matching public $schema URL', () => {
    expect(existsSync(path.join(schemaDir, 'MicrosoftTeams.schema.json'))).toBe(true);
    expect(rawManifest.$schema).toBe(`${PUBLIC_SCHEMA_ROOT}/v${rawManifest.manifestVersion}/MicrosoftTeams.schema.json`);
  });

  it('uses only the placeholders the packaging step substitutes', () => {
    const used = new Set([...readText('manifest.json').matchAll(/\$\{\{([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(SAMPLE).sort());
    expect(JSON.stringify(resolvedManifest())).not.toContain('${{');
  });

  it('is valid against the bundled schema once placeholders are filled in', () => {
    const manifest = resolvedManifest();
    validateManifest(manifest);
    expect(formatErrors(validateManifest.errors)).toEqual([]);
    expect(manifest.id).toBe(SAMPLE.TEAMS_APP_ID);
    expect(manifest.bots[0]?.botId).toBe(SAMPLE.BOT_ID);
  });

  it('is rejected by the schema when the short description is too long (the check can fail)', () => {
    const manifest = resolvedManifest();
    (manifest.description as { short: string }).short = 'x'.repeat(200);
    expect(validateManifest(manifest)).toBe(false);
    expect(formatErrors(validateManifest.errors).join('\n')).toMatch(/^\/description\/short must NOT have more than 80 characters/m);
  });

  it('is rejected when a placeholder is left unsubstituted (botId must be a GUID)', () => {
    const manifest = resolvedManifest();
    manifest.bots[0]!.botId = '${{BOT_ID}}';
    expect(validateManifest(manifest)).toBe(false);
  });

  it('references icon and localization files that exist', () => {
    expect(existsSync(path.join(APP_DIR, rawManifest.icons.color))).toBe(true);
    expect(existsSync(path.join(APP_DIR, rawManifest.icons.outline))).toBe(true);
    const languages = rawManifest.localizationInfo.additionalLanguages ?? [];
    expect(languages.map((l) => l.languageTag)).toContain('fi-fi');
    for (const l of languages) expect(existsSync(path.join(APP_DIR, l.file))).toBe(true);
  });
});

describe('teamsapp/fi-fi.json', () => {
  const validateLocalization = compile('MicrosoftTeams.Localization.schema.json');
  const fi = readJson<Record<string, string>>('fi-fi.json');
  const commandKey = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/;

  it('is valid against the bundled localization schema', () => {
    validateLocalization(fi);
    expect(formatErrors(validateLocalization.errors)).toEqual([]);
    expect(fi.$schema).toBe(`${PUBLIC_SCHEMA_ROOT}/v${rawManifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
  });

  it('is rejected by the localization schema when a key is misspelt (the check can fail)', () => {
    expect(validateLocalization({ ...fi, 'bots[0].commandLists[0].commands[0].titel': 'ohje' })).toBe(false);
  });

  it('translates exactly the commands of the manifest, title and description of each', () => {
    const manifestKeys = rawManifest.bots[0]!.commandLists.flatMap((list, i) =>
      list.commands.flatMap((_, j) => [
        `bots[0].commandLists[${i}].commands[${j}].title`,
        `bots[0].commandLists[${i}].commands[${j}].description`,
      ]),
    );
    const fiCommandKeys = Object.keys(fi).filter((k) => k.startsWith('bots['));
    for (const key of fiCommandKeys) {
      const m = commandKey.exec(key);
      expect(m).not.toBeNull();
      const command = rawManifest.bots[0]!.commandLists[Number(m![1])]?.commands[Number(m![2])];
      expect({ key, inManifest: command !== undefined }).toEqual({ key, inManifest: true });
    }
    expect(fiCommandKeys.sort()).toEqual([...manifestKeys].sort());
  });

  it('gives each command a distinct, non-empty Finnish title within its list', () => {
    rawManifest.bots[0]!.commandLists.forEach((list, i) => {
      const titles = list.commands.map((_, j) => fi[`bots[0].commandLists[${i}].commands[${j}].title`] ?? '');
      for (const t of titles) expect(t.trim()).not.toBe('');
      expect(new Set(titles).size).toBe(titles.length);
    });
  });

  it('translates the name and descriptions', () => {
    for (const key of ['name.short', 'name.full', 'description.short', 'description.full']) {
      expect(typeof fi[key]).toBe('string');
      expect(fi[key]!.trim()).not.toBe('');
    }
    expect(fi['description.full']).not.toBe((rawManifest.description as { full: string }).full);
  });
});

describe('teamsapp icons', () => {
  it('color.png is a 192×192 PNG', () => {
    const png = readFileSync(path.join(APP_DIR, rawManifest.icons.color));
    const header = readPngHeader(png);
    expect({ width: header.width, height: header.height }).toEqual({ width: 192, height: 192 });
    expect(decodePng(png).rgba).toHaveLength(192 * 192 * 4);
  });

  it('outline.png is a 32×32 PNG with an alpha channel', () => {
    const header = readPngHeader(readFileSync(path.join(APP_DIR, rawManifest.icons.outline)));
    expect({ width: header.width, height: header.height }).toEqual({ width: 32, height: 32 });
    expect([4, 6]).toContain(header.colorType);
  });

  it('outline.png is white on a transparent background', () => {
    const { rgba, width, height } = decodePng(readFileSync(path.join(APP_DIR, rawManifest.icons.outline)));
    const nonWhite: string[] = [];
    let visible = 0;
    for (let p = 0; p < width * height; p++) {
      const [r, g, b, a] = rgba.subarray(p * 4, p * 4 + 4);
      if (a === 0) continue;
      visible++;
      if (r !== 255 || g !== 255 || b !== 255) nonWhite.push(`(${p % width},${Math.floor(p / width)}) rgba(${r},${g},${b},${a})`);
    }
    expect(nonWhite.slice(0, 10)).toEqual([]);
    expect(visible).toBeGreaterThan(0); // there is a shape
    expect(visible).toBeLessThan(width * height); // and a transparent background
    expect(rgba[3]).toBe(0); // top-left corner is background
  });
});

describe('test/helpers/png.ts', () => {
  /** Builds a 3×5 RGBA PNG whose rows use filter types 0-4, so every unfilter path is exercised. */
  function filteredPng(pixels: number[][]): Buffer {
    const width = 3;
    const bpp = 4;
    const stride = width * bpp;
    const rows = pixels.map((row) => Uint8Array.from(row));
    const paeth = (a: number, b: number, c: number) => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    const raw: number[] = [];
    rows.forEach((row, y) => {
      const filter = y % 5;
      raw.push(filter);
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? row[i - bpp]! : 0;
        const b = y > 0 ? rows[y - 1]![i]! : 0;
        const c = i >= bpp && y > 0 ? rows[y - 1]![i - bpp]! : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]!;
        raw.push((row[i]! - predictor) & 0xff);
      }
    });
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      return Buffer.concat([len, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]); // CRC is not checked
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(rows.length, 4);
    ihdr[8] = 8;
    ihdr[9] = 6;
    return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from(raw))), chunk('IEND', Buffer.alloc(0))]);
  }

  it('decodes rows filtered with None, Sub, Up, Average and Paeth', () => {
    const pixels = Array.from({ length: 5 }, (_, y) => Array.from({ length: 12 }, (_, i) => (y * 53 + i * 37 + ((i * y) % 7) * 29) % 256));
    const decoded = decodePng(filteredPng(pixels));
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 3, height: 5 });
    expect(Array.from(decoded.rgba)).toEqual(pixels.flat());
  });
});
