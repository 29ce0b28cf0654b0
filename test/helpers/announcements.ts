import { BotHarness } from './bot.js';
import { TENANT, makeUser } from './activities.js';

export const EE_TENANT = 'ee000000-0000-4000-8000-000000000001';

/**
 * The people of the announcement tests, onboarded: Anna (bootstrap partnership admin), Cora (coordinator of Luovi),
 * Tiina (a Luovi teacher) and Otto (staff of the Estonian partner, in its own tenant).
 */
export async function announcementCast() {
  const anna = makeUser('Anna Admin');
  const cora = makeUser('Cora Coordinator');
  const tiina = makeUser('Tiina Teacher');
  const otto = makeUser('Otto Outsider', { tenantId: EE_TENANT });
  const h = await BotHarness.create({ users: [anna, cora, tiina, otto], env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT},ee-partner:${EE_TENANT}` } });
  for (const u of [anna, cora, tiina, otto]) await h.onboard(u);
  const coraId = (await h.person(cora)).id;
  await h.db.grant.create({ data: { personId: coraId, role: 'coordinator', scope: 'luovi', grantedBy: 'test' } });
  return { h, anna, cora, coraId, tiina, otto };
}
