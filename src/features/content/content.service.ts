import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { badgesFile, eventsFile, frameworkFile, moduleFile, organisationsFile, roleProfilesFile, type ModuleFile } from './content.schemas.js';
import { ContentRepository } from './content.repository.js';

export type ContentFileResult = { file: string; version: string; status: 'loaded' | 'updated' | 'unchanged' };

const files = {
  'framework.json': frameworkFile,
  'role-profiles.json': roleProfilesFile,
  'organisations.json': organisationsFile,
  'badges.json': badgesFile,
  'events.json': eventsFile,
} as const;

type Parsed = { [K in keyof typeof files]: z.infer<(typeof files)[K]> };

export class ContentError extends Error {}

const MODULES_DIR = 'modules';

/** Reads one content file: records its hash, and either returns the validated data or adds its problems to the list. */
function readFile<T>(full: string, name: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, hashes: Record<string, string>, problems: string[]): T | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(full, 'utf8');
  } catch {
    problems.push(`${name}: missing`);
    return undefined;
  }
  hashes[name] = crypto.createHash('sha256').update(raw).digest('hex');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    problems.push(`${name}: not valid JSON (${(e as Error).message})`);
    return undefined;
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  for (const issue of result.error.issues.slice(0, 10)) problems.push(`${name}: ${issue.path.join('.')}: ${issue.message}`);
  return undefined;
}

function readAll(dir: string): { parsed: Parsed; modules: Map<string, ModuleFile>; hashes: Record<string, string> } {
  const parsed: Partial<Parsed> = {};
  const hashes: Record<string, string> = {};
  const problems: string[] = [];
  const modules = new Map<string, ModuleFile>();
  const moduleDir = path.join(dir, MODULES_DIR);
  const moduleFiles = fs.existsSync(moduleDir) ? fs.readdirSync(moduleDir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const file of moduleFiles) {
    const name = `${MODULES_DIR}/${file}`;
    const module = readFile(path.join(moduleDir, file), name, moduleFile, hashes, problems);
    if (module && `${module.id}.json` !== file) problems.push(`${name}: the file name must be the module id (${module.id}.json)`);
    else if (module) modules.set(name, module);
  }
  for (const [file, schema] of Object.entries(files)) {
    const data = readFile(path.join(dir, file), file, schema as z.ZodType<unknown, z.ZodTypeDef, unknown>, hashes, problems);
    if (data !== undefined) (parsed as Record<string, unknown>)[file] = data;
  }
  if (problems.length) throw new ContentError(`Content is invalid; nothing was loaded:\n  - ${problems.join('\n  - ')}`);
  return { parsed: parsed as Parsed, modules, hashes };
}

/**
 * Loads the versioned content files into the database, idempotently: a re-run changes nothing,
 * changed files update rows in place (ids are stable), and all files load in one transaction.
 * `extraTenants` comes from ORG_TENANTS in the bot's environment; without it (the CLI) those mappings are kept.
 */
export async function loadContent(
  db: Db,
  opts: { dir: string; extraTenants?: { organisationId: string; tenantId: string }[] },
): Promise<ContentFileResult[]> {
  const { parsed, modules, hashes } = readAll(opts.dir);
  const areaIds = new Set(parsed['framework.json'].areas.map((a) => a.id));
  const orgIdsInContent = new Set(parsed['organisations.json'].organisations.map((o) => o.id));
  const badEvents = parsed['events.json'].items.filter((e) => e.areas.some((a) => !areaIds.has(a)) || (e.organisationId !== null && !orgIdsInContent.has(e.organisationId)));
  if (badEvents.length) throw new ContentError(`Events name unknown areas or organisations: ${badEvents.map((e) => e.id).join(', ')}`);
  const strays = [...modules.values()].filter((m) => !areaIds.has(m.area));
  if (strays.length) throw new ContentError(`Modules name unknown areas: ${strays.map((m) => `${m.id} (${m.area})`).join(', ')}`);
  const orgIds = new Set(parsed['organisations.json'].organisations.map((o) => o.id));
  const unknown = (opts.extraTenants ?? []).filter((t) => !orgIds.has(t.organisationId));
  if (unknown.length) {
    throw new ContentError(`ORG_TENANTS names unknown organisations: ${unknown.map((u) => u.organisationId).join(', ')}`);
  }
  return db.$transaction(async (tx) => {
    const repo = new ContentRepository(tx as unknown as Db);
    const results: ContentFileResult[] = [];
    const previous = new Map((await repo.versions()).map((v) => [v.file, v]));
    for (const file of Object.keys(files) as (keyof Parsed)[]) {
      const before = previous.get(file);
      const version = parsed[file].version;
      if (before?.hash === hashes[file]) {
        results.push({ file, version, status: 'unchanged' });
        continue;
      }
      if (file === 'framework.json') await repo.upsertFramework(parsed[file]);
      if (file === 'role-profiles.json') await repo.upsertRoleProfiles(parsed[file]);
      if (file === 'organisations.json') await repo.upsertOrganisations(parsed[file]);
      if (file === 'events.json') await repo.upsertEvents(parsed[file]);
      if (file === 'badges.json' || (file === 'framework.json' && before)) await repo.upsertBadgeClasses(parsed['badges.json'], parsed['framework.json']);
      await repo.recordVersion(file, version, hashes[file]!);
      results.push({ file, version, status: before ? 'updated' : 'loaded' });
    }
    for (const [file, module] of modules) {
      const before = previous.get(file);
      if (before?.hash === hashes[file]) {
        results.push({ file, version: module.version, status: 'unchanged' });
        continue;
      }
      await repo.upsertModule(module);
      await repo.recordVersion(file, module.version, hashes[file]!);
      results.push({ file, version: module.version, status: before ? 'updated' : 'loaded' });
    }
    await repo.deactivateModulesExcept([...modules.values()].map((m) => m.id));
    await repo.replaceTenantMappings(parsed['organisations.json'], opts.extraTenants);
    return results;
  });
}
