import type { Activity } from 'botbuilder';

export const TENANT = 'a1b2c3d4-0000-4000-8000-00000000beef';
export const SERVICE_URL = 'https://smba.example.test/teams/';
export const BOT = { id: '28:rexvet-bot', name: 'REX VET Mentor' };

export type TestUser = { id: string; name: string; aadObjectId: string; email: string; locale?: string; timeZone?: string; tenantId?: string };

let next = 0;
export const uid = (prefix: string) => `${prefix}-${++next}-${Math.random().toString(36).slice(2, 8)}`;

export function makeUser(name: string, overrides: Partial<TestUser> = {}): TestUser {
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '.');
  const n = (++next).toString(16).padStart(12, '0');
  return { id: `29:${slug}-${n}`, name, aadObjectId: `00000000-0000-4000-8000-${n}`, email: `${slug}@luovi.example`, locale: 'en-US', timeZone: 'Europe/Helsinki', ...overrides };
}

export function personalConversationId(user: TestUser) {
  return `a:personal-${user.id.replace(/[^a-z0-9]/gi, '')}`;
}

/** A Teams activity as the Teams service (or the Playground) sends it, from this user in their 1:1 chat with the bot. */
export function activityFrom(user: TestUser, fields: Partial<Activity>): Partial<Activity> {
  return {
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: { id: personalConversationId(user), conversationType: 'personal', tenantId: user.tenantId ?? TENANT, isGroup: false, name: '' },
    channelData: { tenant: { id: user.tenantId ?? TENANT } },
    entities: [{ type: 'clientInfo', locale: user.locale ?? 'en-US', timezone: user.timeZone ?? 'Europe/Helsinki', platform: 'Web' }],
    locale: user.locale ?? 'en-US',
    ...fields,
  };
}

export const message = (user: TestUser, text: string) => activityFrom(user, { type: 'message', text, id: uid('msg') });

export const executeAction = (user: TestUser, verb: string, data: Record<string, unknown> = {}) =>
  activityFrom(user, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: uid('invoke'),
    replyToId: uid('card'),
    value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } }, trigger: 'manual' },
  });

export const submitAction = (user: TestUser, verb: string, data: Record<string, unknown> = {}) =>
  activityFrom(user, { type: 'message', id: uid('submit'), value: { verb, ...data }, replyToId: uid('card') });

export const installed = (user: TestUser) =>
  activityFrom(user, { type: 'conversationUpdate', id: uid('cu'), membersAdded: [{ id: BOT.id, name: BOT.name }, { id: user.id, name: user.name }] });
