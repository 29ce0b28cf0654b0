import { afterEach, describe, expect, it } from '@jest/globals';
import { BotHarness, cardButtons, cardText } from '../helpers/bot.js';
import { TENANT, makeUser, personalConversationId } from '../helpers/activities.js';
import { snapshotTables } from '../helpers/db.js';

let h: BotHarness;
afterEach(async () => h?.close());

describe('onboarding', () => {
  it('greets a person who installs the bot with the welcome card: what it does, privacy, language and job role', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    const [card] = await h.install(tiina);
    const text = cardText(card);
    expect(text).toContain('Welcome to REX VET Mentor');
    expect(text).toContain('Your data');
    expect(text).toContain('Managers see only anonymous totals');
    expect(text).toContain('Language');
    expect(text).toContain('Job role');
    expect(cardButtons(card).map((b) => b.verb)).toEqual(['onboarding.save']);
    const conv = await h.db.conversation.findUniqueOrThrow({ where: { id: personalConversationId(tiina) } });
    expect(conv.kind).toBe('personal');
    expect(conv.serviceUrl).toBe(h.connector.serviceUrl);
  });

  it('shows the welcome card on first contact even when the install event never came', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    const [card] = await h.say(tiina, 'what is this?');
    expect(cardText(card)).toContain('Welcome to REX VET Mentor');
  });

  it('stores the choices, the e-mail from Teams, locale and time zone, and confirms in the chosen language', async () => {
    const tiina = makeUser('Tiina Teacher', { locale: 'fi-FI', timeZone: 'Europe/Helsinki' });
    h = await BotHarness.create({ users: [tiina] });
    const [welcome] = await h.say(tiina, 'moi');
    expect(cardText(welcome)).toContain('Tervetuloa');
    const saved = await h.execute(tiina, 'onboarding.save', { language: 'fi', jobRole: 'teacher', organisationId: 'luovi' });
    expect(cardText(saved)).toContain('Kieli');
    const person = await h.person(tiina);
    expect(person).toMatchObject({ language: 'fi', jobRole: 'teacher', email: tiina.email, clientLocale: 'fi-FI', timeZone: 'Europe/Helsinki', tenantId: TENANT });
    expect(person.onboardedAt).not.toBeNull();
    expect(await h.db.auditLog.count({ where: { action: 'onboarding.save', target: `person:${person.id}` } })).toBe(1);
  });

  it('takes the organisation from a mapped tenant and then offers its units instead of an organisation choice', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `luovi:${TENANT}` } });
    const [welcome] = await h.say(tiina, 'hello');
    const text = cardText(welcome);
    expect(text).toContain('Ammattiopisto Luovi');
    expect(text).toContain('Unit');
    expect(text).not.toContain('Your organisation');
    await h.execute(tiina, 'onboarding.save', { language: 'en', jobRole: 'teacher', unitId: 'luovi-teaching' });
    expect(await h.person(tiina)).toMatchObject({ organisationId: 'luovi', unitId: 'luovi-teaching' });
  });

  it('refuses a forged unit of another organisation, an unknown language or job role, and stores nothing', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina], env: { ORG_TENANTS: `ee-partner:${TENANT}` } });
    await h.say(tiina, 'hello');
    const before = await snapshotTables(h.db);
    for (const data of [
      { language: 'en', jobRole: 'teacher', unitId: 'luovi-teaching' },
      { language: 'xx', jobRole: 'teacher' },
      { language: 'en', jobRole: 'astronaut' },
      { language: 'en', jobRole: 'teacher', organisationId: 'luovi' },
      { language: 'en' },
      { language: 'en', jobRole: 'teacher', unitId: '../../etc' },
    ]) {
      const card = await h.execute(tiina, 'onboarding.save', data);
      expect(cardText(card)).toMatch(/not valid|isn't known/);
    }
    expect(await snapshotTables(h.db)).toEqual(before);
  });

  it('works the same through the Action.Submit fallback', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    await h.say(tiina, 'hello');
    const [card] = await h.submit(tiina, 'onboarding.save', { language: 'en', jobRole: 'support_staff', organisationId: 'luovi' });
    expect(cardText(card)).toContain("You're all set");
    expect((await h.person(tiina)).jobRole).toBe('support_staff');
  });

  it('lets a person change language and job role later in settings', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.onboarded([tiina]);
    const [settings] = await h.say(tiina, 'settings');
    expect(cardText(settings)).toContain('Your settings');
    const saved = await h.execute(tiina, 'settings.save', { language: 'fi', jobRole: 'support_staff', unitId: 'luovi-support' });
    expect(cardText(saved)).toContain('Asetukset tallennettu');
    expect(await h.person(tiina)).toMatchObject({ language: 'fi', jobRole: 'support_staff', unitId: 'luovi-support' });
  });
});

describe('help and unknown text', () => {
  it('answers unknown text with a helpful card and buttons, never silence', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    await h.onboard(tiina, { organisationId: 'luovi' });
    const [card] = await h.say(tiina, 'blorp the widget');
    expect(cardText(card)).toContain("I don't know what to do with \"blorp the widget\"");
    expect(cardButtons(card).map((b) => b.verb)).toEqual(['help.show', 'settings.open']);
  });

  it('understands command words in Finnish too', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    await h.onboard(tiina, { organisationId: 'luovi' });
    const [card] = await h.say(tiina, 'apua');
    expect(cardText(card)).toContain('What I can do for you');
  });

  it('shows each person only the commands their grants allow', async () => {
    const anna = makeUser('Anna Admin');
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [anna, tiina], env: { BOOTSTRAP_ADMINS: anna.aadObjectId } });
    await h.onboard(anna, { organisationId: 'luovi' });
    await h.onboard(tiina, { organisationId: 'luovi' });
    const [adminHelp] = await h.say(anna, 'help');
    const [teacherHelp] = await h.say(tiina, 'help');
    expect(cardText(adminHelp)).toContain('requests');
    expect(cardText(adminHelp)).toContain('admin (whole partnership)');
    expect(cardButtons(adminHelp).map((b) => b.verb)).toContain('requests.list');
    expect(cardText(teacherHelp)).not.toContain('requests');
    expect(cardButtons(teacherHelp).map((b) => b.verb)).not.toContain('requests.list');
  });

  it('answers a button whose verb no longer exists with a fresh start, not silence', async () => {
    const tiina = makeUser('Tiina Teacher');
    h = await BotHarness.create({ users: [tiina] });
    await h.onboard(tiina, { organisationId: 'luovi' });
    const [card] = await h.submit(tiina, 'oldfeature.gone', {});
    expect(cardText(card)).toContain('out of date');
  });
});
