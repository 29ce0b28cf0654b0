import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { buildPackage } from '../../src/cli/package-app.js';

describe('npm run package', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rexvet-pkg-')), 'appPackage.zip');
  const env = { TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', BOT_ID: '7d9f1c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f', PUBLIC_BASE_URL: 'https://rexvet.example.org' };

  it('zips the manifest with its placeholders filled, the icons and the Finnish localisation', async () => {
    await buildPackage(env, out);
    const zip = await JSZip.loadAsync(fs.readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'fi-fi.json', 'manifest.json', 'outline.png']);
    const manifest = await zip.file('manifest.json')!.async('string');
    expect(manifest).not.toContain('${{');
    const parsed = JSON.parse(manifest);
    expect(parsed.id).toBe(env.TEAMS_APP_ID);
    expect(parsed.bots[0].botId).toBe(env.BOT_ID);
    expect(parsed.validDomains).toContain('rexvet.example.org');
  });

  it('says which values are missing or malformed instead of producing a broken package', async () => {
    await expect(buildPackage({ BOT_ID: env.BOT_ID }, out)).rejects.toThrow(/TEAMS_APP_ID, BOT_DOMAIN/);
    await expect(buildPackage({ ...env, BOT_ID: 'my-bot' }, out)).rejects.toThrow(/BOT_ID must be a GUID/);
  });
});
