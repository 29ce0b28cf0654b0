import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { loadEnvFile } from '../config/env.js';
import { projectRoot } from '../lib/paths.js';
import { isEntryPoint } from './entry.js';

/**
 * `npm run package`: builds the Teams app package (build/appPackage.zip) from teamsapp/, filling the manifest's
 * ${{…}} placeholders from the environment: TEAMS_APP_ID, BOT_ID and BOT_DOMAIN (or PUBLIC_BASE_URL's host).
 */
export async function buildPackage(env: Record<string, string | undefined>, outFile: string): Promise<string[]> {
  const dir = path.join(projectRoot, 'teamsapp');
  const domain = env.BOT_DOMAIN || (env.PUBLIC_BASE_URL ? new URL(env.PUBLIC_BASE_URL).host : '');
  const values: Record<string, string | undefined> = { TEAMS_APP_ID: env.TEAMS_APP_ID, BOT_ID: env.BOT_ID, BOT_DOMAIN: domain };
  const manifestText = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
  const wanted = [...new Set([...manifestText.matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]!))];
  const missing = wanted.filter((name) => !values[name]);
  if (missing.length) throw new Error(`Set ${missing.join(', ')} to build the app package (see README, "Run it in Teams").`);
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const name of ['TEAMS_APP_ID', 'BOT_ID']) {
    if (wanted.includes(name) && !guid.test(values[name]!)) throw new Error(`${name} must be a GUID`);
  }
  const manifest = manifestText.replace(/\$\{\{([A-Z_]+)\}\}/g, (_m, name: string) => values[name]!);
  const parsed = JSON.parse(manifest) as { localizationInfo?: { additionalLanguages?: { file: string }[] }; icons: { color: string; outline: string } };
  const zip = new JSZip();
  zip.file('manifest.json', manifest);
  const files = [parsed.icons.color, parsed.icons.outline, ...(parsed.localizationInfo?.additionalLanguages ?? []).map((l) => l.file)];
  for (const file of files) zip.file(file, fs.readFileSync(path.join(dir, file)));
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return ['manifest.json', ...files];
}

if (isEntryPoint(import.meta.url)) {
  loadEnvFile(projectRoot);
  const out = path.join(projectRoot, 'build', 'appPackage.zip');
  buildPackage(process.env, out)
    .then((files) => process.stdout.write(`Wrote ${path.relative(process.cwd(), out)} (${files.join(', ')}). Upload it in Teams: Apps → Manage your apps → Upload an app.\n`))
    .catch((error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    });
}
