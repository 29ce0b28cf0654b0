import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { hashLinkToken, newLinkToken } from '../../lib/link-token.js';
import { AppError } from '../../lib/errors.js';
import { authorise, type Actor } from '../people/authorise.js';
import { LEVEL_IDS, type PublishedGroup } from './anonymise.js';
import { organisationMapping, type MappingDeps } from './mapping.service.js';

export type ExportFormat = 'csv' | 'xlsx';
const VALID_MS = 15 * 60_000;

type ExportData = { organisationId: string; k: number; at: string; asOf?: string | null; groups: { breakdown: string; group: PublishedGroup }[] };

/** A download link valid for 15 minutes, for what the manager may see now (published counts only). */
export async function createExport(deps: MappingDeps, actor: Actor, organisationId: string, format: ExportFormat): Promise<{ token: string; expiresAt: Date }> {
  if (!authorise(actor, 'mapping.view', { organisationId }).allowed) throw new AppError('forbidden');
  const m = await organisationMapping(deps, organisationId);
  const data: ExportData = {
    organisationId,
    k: m.k,
    at: m.at,
    asOf: m.asOf,
    groups: [{ breakdown: 'organisation', group: m.overall }, ...m.byUnit.map((g) => ({ breakdown: 'unit', group: g })), ...m.byRole.map((g) => ({ breakdown: 'role', group: g }))],
  };
  const { token, tokenHash } = newLinkToken();
  const expiresAt = new Date(deps.clock.now().getTime() + VALID_MS);
  await deps.db.exportLink.create({ data: { tokenHash, organisationId, format, data, expiresAt, createdBy: `person:${actor.personId}` } });
  return { token, expiresAt };
}

/** The rows of an export: one per group × area × level; a hidden count is the word "hidden", never a number. */
export function exportRows(data: ExportData): (string | number)[][] {
  // as_of: the moment the published numbers describe (they change only after k people's results have).
  const header = ['organisation', 'breakdown', 'group', 'people', 'area', 'level', 'count', 'as_of'];
  const asOf = data.asOf ?? '';
  const rows: (string | number)[][] = [header];
  for (const { breakdown, group } of data.groups) {
    for (const [area, counts] of Object.entries(group.counts)) {
      for (const l of LEVEL_IDS) rows.push([data.organisationId, breakdown, group.key, group.n ?? 'hidden', area, l, counts[l] ?? 'hidden', asOf]);
    }
  }
  return rows;
}

/** A cell a spreadsheet will not run: one starting like a formula (also after a tab or carriage return) gets a leading quote. */
const csvCell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n\r;]/.test(v) || /^[=+\-@\t\r]/.test(v) ? `"${v.replace(/^([=+\-@\t\r])/, "'$1").replace(/"/g, '""')}"` : v);

/** The file behind a link, while it is valid. */
export async function exportFile(db: Db, clock: Clock, token: string): Promise<{ body: Buffer; contentType: string; filename: string } | null> {
  const link = await db.exportLink.findUnique({ where: { tokenHash: hashLinkToken(token) } });
  if (!link || link.expiresAt <= clock.now()) return null;
  const stored = link.data as ExportData | { kind: 'rows'; name: string; at: string; rows: (string | number)[][]; note: string };
  const rows = 'kind' in stored ? stored.rows : exportRows(stored);
  const filename = 'kind' in stored ? `${stored.name}-${stored.at.slice(0, 10)}.${link.format}` : `rexvet-mapping-${stored.organisationId}-${stored.at.slice(0, 10)}.${link.format}`;
  const note = 'kind' in stored ? stored.note : `Counts of fewer than ${stored.k} people are hidden, with as many others as needed so that none can be worked out. No individual data.`;
  if (link.format === 'csv') {
    return { body: Buffer.from(`\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8', filename };
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('kind' in stored ? 'Delivery' : 'Mapping');
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  book.addWorksheet('About').addRow([note]);
  return { body: Buffer.from(await book.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename };
}

/** A 15-minute link to a table the caller has already authorised (e.g. an announcement's delivery report). */
export async function createRowsExport(db: Db, clock: Clock, input: { organisationId: string; name: string; rows: (string | number)[][]; note: string; createdBy: string; format: ExportFormat }) {
  const { token, tokenHash } = newLinkToken();
  const expiresAt = new Date(clock.now().getTime() + VALID_MS);
  await db.exportLink.create({ data: { tokenHash, organisationId: input.organisationId, format: input.format, data: { kind: 'rows', name: input.name, at: clock.now().toISOString(), rows: input.rows, note: input.note }, expiresAt, createdBy: input.createdBy } });
  return { token, expiresAt };
}
