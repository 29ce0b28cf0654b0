import type { Db } from '../../db/client.js';
import type { BadgesFile, EventsFile, FrameworkFile, ModuleFile, OrganisationsFile, RoleProfilesFile } from './content.schemas.js';
import { zonedToUtc } from '../../lib/time.js';

export class ContentRepository {
  constructor(private readonly db: Db) {}

  versions() {
    return this.db.contentVersion.findMany({ select: { file: true, hash: true, version: true } });
  }

  recordVersion(file: string, version: string, hash: string) {
    return this.db.contentVersion.upsert({
      where: { file },
      create: { file, version, hash },
      update: { version, hash, loadedAt: new Date() },
    });
  }

  async upsertFramework(f: FrameworkFile) {
    const { areas: _areas, version, id, ...meta } = f;
    await this.db.framework.upsert({ where: { id }, create: { id, version, meta }, update: { version, meta } });
    for (const area of f.areas) {
      const { statements, id, position, ...content } = area;
      await this.db.area.upsert({ where: { id }, create: { id, position, content }, update: { position, content } });
      for (const [i, s] of statements.entries()) {
        await this.db.statement.upsert({
          where: { id: s.id },
          create: { id: s.id, areaId: id, position: i + 1, text: s.text },
          update: { areaId: id, position: i + 1, text: s.text },
        });
      }
    }
  }

  /**
   * Badge classes: area × level from the templates (names filled from the framework) and the meta-badges. A class
   * removed from the file is deactivated, never deleted: credentials already issued point at it.
   */
  async upsertBadgeClasses(f: BadgesFile, framework: FrameworkFile) {
    const fill = (text: Record<string, string>, area: Record<string, string>, level: Record<string, string>) =>
      Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang, t.replaceAll('{{area}}', area[lang] ?? area.en ?? '').replaceAll('{{level}}', level[lang] ?? level.en ?? '')]));
    const rows: { id: string; kind: string; areaId: string | null; level: string | null; content: object }[] = [];
    for (const area of framework.areas) {
      for (const level of ['L2', 'L3', 'L4'] as const) {
        const template = f.levels[level];
        const levelName = framework.levels.find((l) => l.id === level)!.name as Record<string, string>;
        const areaName = area.name as Record<string, string>;
        rows.push({
          id: `${area.id}-${level}`, kind: 'area', areaId: area.id, level,
          content: { colour: template.colour, name: fill(template.name, areaName, levelName), description: fill(template.description, areaName, levelName), criteria: fill(template.criteria, areaName, levelName) },
        });
      }
    }
    for (const m of f.meta) rows.push({ id: m.id, kind: 'meta', areaId: null, level: null, content: { colour: m.colour, name: m.name, description: m.description, criteria: m.criteria, requires: m.requires } });
    for (const [position, r] of rows.entries()) {
      await this.db.badgeClass.upsert({ where: { id: r.id }, create: { ...r, position, active: true }, update: { ...r, position, active: true } });
    }
    await this.db.badgeClass.updateMany({ where: { id: { notIn: rows.map((r) => r.id) } }, data: { active: false } });
  }

  /** Events from content; one removed from the file is cancelled (people may have answered it), never deleted. */
  async upsertEvents(f: EventsFile) {
    const ids = f.items.map((e) => e.id);
    await this.db.event.updateMany({ where: { source: 'content', id: { notIn: ids }, cancelledAt: null }, data: { cancelledAt: new Date() } });
    for (const e of f.items) {
      const data = {
        type: e.type, title: e.title, description: e.description ?? undefined, timeZone: e.timeZone,
        startsAt: zonedToUtc(e.start, e.timeZone), endsAt: zonedToUtc(e.end, e.timeZone),
        place: e.place ?? null, link: e.link ?? null, organisationId: e.organisationId, areas: e.areas, source: 'content', cancelledAt: null,
      };
      await this.db.event.upsert({ where: { id: e.id }, create: { id: e.id, ...data }, update: data });
    }
  }

  upsertModule(m: ModuleFile) {
    const { id, area, transition, version, ...content } = m;
    const data = { areaId: area, transition, version, content, active: true };
    return this.db.module.upsert({ where: { id }, create: { id, ...data }, update: data });
  }

  /** Modules are never deleted (progress points at them); one removed from content stops being offered. */
  deactivateModulesExcept(ids: string[]) {
    return this.db.module.updateMany({ where: { id: { notIn: ids } }, data: { active: false } });
  }

  async upsertRoleProfiles(f: RoleProfilesFile) {
    for (const [i, r] of f.roles.entries()) {
      const profile = { default: r.default, targets: r.targets };
      await this.db.jobRole.upsert({
        where: { id: r.id },
        create: { id: r.id, name: r.name, profile, position: i + 1 },
        update: { name: r.name, profile, position: i + 1 },
      });
    }
  }

  /** Organisations and units are never deleted (people point at them); those gone from the file become inactive. */
  async upsertOrganisations(f: OrganisationsFile) {
    const ids = f.organisations.map((o) => o.id);
    await this.db.organisation.updateMany({ where: { id: { notIn: ids } }, data: { active: false } });
    for (const o of f.organisations) {
      const data = { name: o.name, country: o.country, strategy: o.strategy ?? undefined, active: true };
      await this.db.organisation.upsert({ where: { id: o.id }, create: { id: o.id, ...data }, update: data });
      const unitIds = o.units.map((u) => u.id);
      await this.db.unit.updateMany({ where: { organisationId: o.id, id: { notIn: unitIds } }, data: { active: false } });
      for (const [i, u] of o.units.entries()) {
        const unit = { organisationId: o.id, name: u.name, position: i + 1, active: true };
        await this.db.unit.upsert({ where: { id: u.id }, create: { id: u.id, ...unit }, update: unit });
      }
    }
  }

  /** Content rows always follow the file; env rows are replaced only when the caller knows ORG_TENANTS (the bot). */
  async replaceTenantMappings(f: OrganisationsFile, fromEnv: { organisationId: string; tenantId: string }[] | undefined) {
    const rows = [
      ...f.organisations.flatMap((o) => o.tenantIds.map((tenantId) => ({ tenantId, organisationId: o.id, source: 'content' }))),
      ...(fromEnv ?? []).map((t) => ({ ...t, source: 'env' })),
    ];
    await this.db.organisationTenant.deleteMany({ where: fromEnv ? {} : { source: 'content' } });
    const kept = new Set((await this.db.organisationTenant.findMany({ select: { tenantId: true, organisationId: true } })).map((r) => `${r.tenantId}|${r.organisationId}`));
    for (const row of new Map(rows.map((r) => [`${r.tenantId}|${r.organisationId}`, r])).values()) {
      if (!kept.has(`${row.tenantId}|${row.organisationId}`)) await this.db.organisationTenant.create({ data: row });
    }
  }
}
