import type { Env } from '../config/env.js';
import type { Db } from '../db/client.js';
import { createDemoData } from '../features/mapping/demo-data.service.js';
import { AppError } from '../lib/errors.js';

/** `demo-data --org <id> --staff <n>`: fictitious staff for showing and measuring the mapping; refused in production. */
export async function demoData(deps: { env: Env; db: Db }, opts: { org: string; staff: string }, out: (line: string) => void): Promise<number> {
  if (deps.env.NODE_ENV === 'production') {
    out('Refused: demo data is never created in production.');
    return 1;
  }
  const staff = Number(opts.staff);
  if (!Number.isInteger(staff) || staff < 1 || staff > 100_000) {
    out('--staff must be a whole number from 1 to 100000.');
    return 1;
  }
  try {
    const r = await createDemoData(deps.db, { organisationId: opts.org, staff, now: new Date() });
    out(`Created ${r.people} fictitious staff for ${opts.org} (marked demo): ${r.assessments} assessments, ${r.plans} plans, ${r.badges} unsigned demo badges.${r.removed ? ` Replaced ${r.removed} earlier demo staff.` : ''}`);
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'unknown_organisation') {
      out(`No organisation "${opts.org}". See prisma/content/organisations.json.`);
      return 1;
    }
    throw error;
  }
}
