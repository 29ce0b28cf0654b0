import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText, type CardJson } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId, type TestUser } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';
import { loadEnv } from '../../src/config/env.js';
import { revokeBadge } from '../../src/features/badges/badges.service.js';
import { badgesDeps } from '../../src/jobs/runtime.js';
import { silentLogger } from '../../src/lib/logger.js';

let h: BotHarness;
afterEach(async () => h?.close());

const EE_TENANT = 'ee000000-0000-4000-8000-0000000000ee';

async function setup() {
  const anna = makeUser('Anna Admin');
  const lea = makeUser('Lea Luovi-Admin');
  const cora = makeUser('Cora Coordinator');
  const tiina = makeUser('Tiina Teacher');
  const eeva = makeUser('Eeva Estonia', { tenantId: EE_TENANT, email: 'eeva@ee-partner.example' });
  const users = [anna, lea, cora, tiina, eeva];
  h = await BotHarness.create({ users, env: { BOOTSTRAP_ADMINS: anna.aadObjectId, ORG_TENANTS: `luovi:${TENANT},ee-partner:${EE_TENANT}` } });
  for (const u of users) await h.onboard(u);
  await h.db.grant.create({ data: { personId: (await h.person(lea)).id, role: 'admin', scope: 'luovi', grantedBy: 'test' } });
  await h.db.grant.create({ data: { personId: (await h.person(eeva)).id, role: 'mentor', scope: 'ee-partner', grantedBy: 'test' } });
  return { anna, lea, cora, tiina, eeva };
}

const grantsOf = async (user: TestUser) => (await h.person(user)).grants.map((g) => `${g.role}@${g.scope}`).sort();
const revokeButton = (card: CardJson, personId: string, role: string) => cardButtons(card).find((b) => b.verb === 'grants.revoke' && b.data.personId === personId && b.data.role === role);
const choices = (card: CardJson, id: string) =>
  ((card.body as { id?: string; choices?: { title: string; value: string }[] }[]).find((e) => e.id === id)?.choices ?? []).map((c) => c.title);

describe('admins manage permissions in Teams', () => {
  it("an organisation admin sees only their organisation's grants and people, grants from the list, and the person is told", async () => {
    const { lea, cora, eeva } = await setup();
    const [card] = await h.say(lea, 'roles');
    expect(cardText(card)).toContain('Permissions');
    expect(cardText(card)).toContain('Lea Luovi-Admin (lea.luovi.admin@luovi.example)');
    expect(cardText(card)).not.toContain('Eeva Estonia'); // another organisation's grant
    expect(cardText(card)).not.toContain('whole partnership'); // Anna's partnership grant is not Lea's to manage
    expect(revokeButton(card, (await h.person(lea)).id, 'admin')).toBeUndefined(); // her own last admin grant
    expect(choices(card, 'scope')).toEqual(['Ammattiopisto Luovi']);
    expect(choices(card, 'personId')).toContain('Cora Coordinator (cora.coordinator@luovi.example)');
    expect(choices(card, 'personId').join()).not.toContain('Eeva');

    const coraId = (await h.person(cora)).id;
    const granted = await h.execute(lea, 'grants.grant', { role: 'coordinator', scope: 'luovi', personId: coraId, email: '' });
    expect(cardText(granted)).toContain('Granted coordinator (Ammattiopisto Luovi) to Cora Coordinator.');
    expect(revokeButton(granted, coraId, 'coordinator')).toBeDefined();
    expect(await grantsOf(cora)).toEqual(['coordinator@luovi']);
    const audit = await h.db.auditLog.findMany({ where: { action: 'grant', actor: { startsWith: 'person:' } } });
    expect(audit).toMatchObject([{ actor: `person:${(await h.person(lea)).id}`, target: `person:${coraId}`, details: { role: 'coordinator', scope: 'luovi' } }]);
    const [notice] = h.connector.cardsTo(personalConversationId(cora));
    expect(cardText(notice)).toContain('You are now coordinator (Ammattiopisto Luovi).');
    // The new permission works at once: Cora may award badges now.
    expect(cardText((await h.say(cora, 'award'))[0])).toContain('Award a badge');
    expect(h.connector.cardsTo(personalConversationId(eeva))).toEqual([]);
  });

  it('a double click or a replayed grant grants once, audits once and tells the person once', async () => {
    const { lea, cora } = await setup();
    const form = { role: 'mentor', scope: 'luovi', personId: (await h.person(cora)).id };
    const [a, b] = await Promise.all([h.execute(lea, 'grants.grant', form), h.execute(lea, 'grants.grant', form)]);
    expect([cardText(a), cardText(b)].join('\n')).toContain('Granted mentor');
    const before = await snapshotTables(h.db);
    const replay = await h.execute(lea, 'grants.grant', form);
    expect(cardText(replay)).toContain('Cora Coordinator already has mentor (Ammattiopisto Luovi); nothing changed.');
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(await grantsOf(cora)).toEqual(['mentor@luovi']);
    expect(await h.db.auditLog.count({ where: { action: 'grant', actor: `person:${(await h.person(lea)).id}` } })).toBe(1);
    expect(h.connector.cardsTo(personalConversationId(cora)).filter((c) => cardText(c).includes('new permission'))).toHaveLength(1);
  });

  it('grants by e-mail (any case), and says so when nobody with that e-mail has talked to the bot', async () => {
    const { lea, tiina } = await setup();
    const done = await h.execute(lea, 'grants.grant', { role: 'manager', scope: 'luovi', email: 'Tiina.Teacher@LUOVI.example' });
    expect(cardText(done)).toContain('Granted manager (Ammattiopisto Luovi) to Tiina Teacher.');
    expect(await grantsOf(tiina)).toEqual(['manager@luovi']);
    const before = await snapshotTables(h.db);
    const unknown = await h.execute(lea, 'grants.grant', { role: 'manager', scope: 'luovi', email: 'nobody@luovi.example' });
    expect(cardText(unknown)).toContain('Nobody with that e-mail has talked to me yet');
    const none = await h.execute(lea, 'grants.grant', { role: 'manager', scope: 'luovi' });
    expect(cardText(none)).toContain('Choose a person from the list or type their e-mail.');
    const bad = await h.execute(lea, 'grants.grant', { role: 'emperor', scope: 'luovi', email: 'tiina.teacher@luovi.example' });
    expect(cardText(bad)).toContain('Some of what was sent is not valid');
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it("an organisation admin's e-mail lookup cannot tell someone of another organisation from nobody", async () => {
    const { lea } = await setup();
    const before = await snapshotTables(h.db);
    const nobody = cardText(await h.execute(lea, 'grants.grant', { role: 'mentor', scope: 'luovi', email: 'nobody@ee-partner.example' }));
    const elsewhere = cardText(await h.execute(lea, 'grants.grant', { role: 'mentor', scope: 'luovi', email: 'Eeva@ee-partner.example' }));
    expect(nobody).toContain('Nobody with that e-mail has talked to me yet');
    expect(elsewhere).toBe(nobody);
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it("an erased badge holder's tombstone is nobody: not listed, never granted or revoked anything, never messaged", async () => {
    const { anna, tiina } = await setup();
    const annaId = (await h.person(anna)).id;
    await h.db.grant.create({ data: { personId: annaId, role: 'coordinator', scope: 'partnership', grantedBy: 'test' } });
    await h.execute(anna, 'badges.award', { personId: (await h.person(tiina)).id, badgeId: 'MOB-L2', note: 'Organised the Tallinn visit.' });
    const confirm = cardButtons((await h.say(tiina, 'delete my data'))[0]).find((b) => b.verb === 'privacy.eraseConfirm')!;
    await h.execute(tiina, confirm.verb, confirm.data);
    const tombstone = await h.db.person.findFirstOrThrow({ where: { erasedAt: { not: null } }, include: { badges: true } });
    expect(tombstone.badges).toHaveLength(1);

    const [card] = await h.say(anna, 'roles');
    expect(cardButtons(card).filter((b) => b.data.personId === tombstone.id)).toEqual([]);
    expect(choices(card, 'personId').filter((title) => title.startsWith('?'))).toEqual([]);
    expect(choices(card, 'personId')).toHaveLength(4);
    const before = await snapshotTables(h.db);
    for (const role of ['admin', 'coordinator']) {
      const refused = await h.execute(anna, 'grants.grant', { role, scope: 'partnership', personId: tombstone.id });
      expect(cardText(refused)).toContain("I couldn't find that any more");
    }
    expect(cardText(await h.execute(anna, 'grants.revoke', { personId: tombstone.id, role: 'coordinator', scope: 'partnership' }))).toContain("I couldn't find that any more");
    // Revoking the kept badge (an operator's correction) tells nobody: there is nobody to tell.
    await revokeBadge(badgesDeps({ env: loadEnv({ NODE_ENV: 'test' }), db: h.db, clock: h.clock, logger: silentLogger, badges: h.badges }), { ref: tombstone.badges[0]!.id, reason: 'Awarded by mistake', actor: 'cli:test' });
    const after = await snapshotTables(h.db);
    expect(after.Grant).toEqual(before.Grant);
    expect(after.Job).toEqual(before.Job);
  });

  it('revoke takes the grant away (audited); a second click changes nothing', async () => {
    const { lea, cora } = await setup();
    const coraId = (await h.person(cora)).id;
    const granted = await h.execute(lea, 'grants.grant', { role: 'coordinator', scope: 'luovi', personId: coraId });
    const revoke = revokeButton(granted, coraId, 'coordinator')!;
    const revoked = await h.execute(lea, revoke.verb, revoke.data);
    expect(cardText(revoked)).toContain('Revoked coordinator (Ammattiopisto Luovi) from Cora Coordinator.');
    expect(await grantsOf(cora)).toEqual([]);
    expect(await h.db.auditLog.findFirst({ where: { action: 'revoke' } })).toMatchObject({ actor: `person:${(await h.person(lea)).id}`, details: { role: 'coordinator', scope: 'luovi' } });
    const before = await snapshotTables(h.db);
    const again = await h.execute(lea, revoke.verb, revoke.data);
    expect(cardText(again)).toContain('Cora Coordinator does not have coordinator (Ammattiopisto Luovi); nothing changed.');
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(cardText((await h.say(cora, 'award'))[0])).toContain('needs a permission you don');
  });

  it('a bootstrap admin whose grant was revoked does not get it back by writing again', async () => {
    const { anna, lea } = await setup();
    await h.db.grant.create({ data: { personId: (await h.person(lea)).id, role: 'admin', scope: 'partnership', grantedBy: 'test' } });
    const annaId = (await h.person(anna)).id;
    const revoked = await h.execute(lea, 'grants.revoke', { personId: annaId, role: 'admin', scope: 'partnership' });
    expect(cardText(revoked)).toContain('Revoked admin');
    const [card] = await h.say(anna, 'requests');
    expect(cardText(card)).toContain('needs a permission you don');
    expect(await grantsOf(anna)).toEqual([]);
  });

  it('an organisation admin cannot grant for the partnership or another organisation, nor to its people, nor revoke there', async () => {
    const { lea, cora, eeva } = await setup();
    const coraId = (await h.person(cora)).id;
    const eevaId = (await h.person(eeva)).id;
    const before = await snapshotTables(h.db);
    const sent = h.connector.sent.length;
    for (const forged of [
      { role: 'admin', scope: 'partnership', personId: coraId },
      { role: 'coordinator', scope: 'ee-partner', personId: eevaId },
      { role: 'coordinator', scope: 'luovi', personId: eevaId },
      { role: 'coordinator', scope: 'ee-partner', email: 'eeva@ee-partner.example' },
    ]) {
      expect({ forged, text: cardText(await h.execute(lea, 'grants.grant', forged)) }).toEqual({ forged, text: expect.stringContaining('needs a permission you don') });
    }
    const refused = await h.execute(lea, 'grants.revoke', { personId: eevaId, role: 'mentor', scope: 'ee-partner' });
    expect(cardText(refused)).toContain('needs a permission you don');
    expect(await snapshotTables(h.db)).toEqual(before);
    expect(h.connector.sent.length).toBe(sent);
  });

  it('nobody revokes their own last admin grant; with another admin grant left, they may', async () => {
    const { anna, lea } = await setup();
    const leaId = (await h.person(lea)).id;
    const before = await snapshotTables(h.db);
    const refused = await h.execute(lea, 'grants.revoke', { personId: leaId, role: 'admin', scope: 'luovi' });
    expect(cardText(refused)).toContain('This is your last admin permission');
    expect(await snapshotTables(h.db)).toEqual(before);

    // A partnership admin also makes Lea admin of the Estonian partner: now she may give up Luovi.
    await h.execute(anna, 'grants.grant', { role: 'admin', scope: 'luovi', personId: (await h.person(anna)).id });
    await h.db.grant.create({ data: { personId: leaId, role: 'admin', scope: 'ee-partner', grantedBy: 'test' } });
    const [card] = await h.say(lea, 'roles');
    expect(revokeButton(card, leaId, 'admin')).toBeDefined();
    expect(cardText(await h.execute(lea, 'grants.revoke', { personId: leaId, role: 'admin', scope: 'luovi' }))).toContain('Revoked admin (Ammattiopisto Luovi) from Lea Luovi-Admin.');
    expect(cardText(await h.execute(lea, 'grants.revoke', { personId: leaId, role: 'admin', scope: 'ee-partner' }))).toContain('This is your last admin permission');
    expect(await grantsOf(lea)).toEqual(['admin@ee-partner']);
  });

  it("a partnership admin sees every organisation's grants, grants partnership scope, and an organisation's role only to its people", async () => {
    const { anna, cora, eeva } = await setup();
    const [card] = await h.say(anna, 'roles');
    expect(cardText(card)).toContain('Eeva Estonia');
    expect(cardText(card)).toContain('Lea Luovi-Admin');
    expect(choices(card, 'scope')[0]).toBe('whole partnership');
    expect(choices(card, 'personId')).toContain('Eeva Estonia (eeva@ee-partner.example) · Partner VET centre (Estonia)');
    const done = await h.execute(anna, 'grants.grant', { role: 'coordinator', scope: 'partnership', personId: (await h.person(cora)).id });
    expect(cardText(done)).toContain('Granted coordinator (whole partnership) to Cora Coordinator.');
    const before = await snapshotTables(h.db);
    const mismatch = await h.execute(anna, 'grants.grant', { role: 'manager', scope: 'luovi', personId: (await h.person(eeva)).id });
    expect(cardText(mismatch)).toContain('that person does not work at this organisation');
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('speaks Finnish: roolit, and the grantee is told in their language', async () => {
    const { lea, tiina } = await setup();
    await h.execute(lea, 'settings.save', { language: 'fi', jobRole: 'teacher' });
    await h.execute(tiina, 'settings.save', { language: 'fi', jobRole: 'teacher' });
    const [card] = await h.say(lea, 'roolit');
    expect(cardText(card)).toContain('Käyttöoikeudet');
    expect(cardText(card)).toContain('Myönnä käyttöoikeus');
    const done = await h.execute(lea, 'grants.grant', { role: 'mentor', scope: 'luovi', personId: (await h.person(tiina)).id });
    expect(cardText(done)).toContain('Käyttöoikeus mentori (Ammattiopisto Luovi) myönnetty: Tiina Teacher.');
    expect(cardText(h.connector.cardsTo(personalConversationId(tiina)).at(-1))).toContain('Käyttöoikeutesi: mentori (Ammattiopisto Luovi).');
  });

  it('help offers the command and the button to admins only', async () => {
    const { lea, tiina } = await setup();
    const [adminHelp] = await h.say(lea, 'help');
    expect(cardText(adminHelp)).toContain('Who holds which permission');
    expect(cardButtons(adminHelp).map((b) => b.verb)).toContain('grants.open');
    const [teacherHelp] = await h.say(tiina, 'help');
    expect(cardText(teacherHelp)).not.toContain('Who holds which permission');
    expect(cardButtons(teacherHelp).map((b) => b.verb)).not.toContain('grants.open');
  });
});
