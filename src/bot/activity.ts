import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ContactInput, ConversationInput } from '../features/people/identity.service.js';

/** Teams' channelData and entities are free-form JSON: each value is read only if it is text. */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const field = (value: unknown, key: string): unknown => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);

/** The team of a channel activity (channelData.team.id), if any. */
export function teamIdOf(activity: Activity): string | undefined {
  return text(field(field(activity.channelData, 'team'), 'id'));
}

/** Reads who sent the activity and from where, without anything Teams-specific leaking past this file. */
export function contactFromActivity(activity: Activity): ContactInput | null {
  const from = activity.from;
  if (!text(from?.id)) return null;
  const clientInfo = (Array.isArray(activity.entities) ? activity.entities : []).find((e) => field(e, 'type') === 'clientInfo');
  return {
    teamsUserId: from.id,
    aadObjectId: text(from.aadObjectId)?.toLowerCase(),
    tenantId: text(field(field(activity.channelData, 'tenant'), 'id')) ?? text(activity.conversation?.tenantId),
    name: text(from.name) || undefined,
    clientLocale: text(field(clientInfo, 'locale')) ?? text(activity.locale),
    timeZone: text(field(clientInfo, 'timezone')),
    conversation: conversationFromActivity(activity),
  };
}

export function conversationFromActivity(activity: Activity): ConversationInput | undefined {
  const conv = activity.conversation;
  if (!conv?.id || !activity.serviceUrl) return undefined;
  const team = field(activity.channelData, 'team');
  const type = conv.conversationType;
  const kind = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  // The id of the activity that happened to arrive last is no part of where to reach someone.
  const { activityId: _activityId, ...reference }: Partial<ConversationReference> = TurnContext.getConversationReference(activity);
  return {
    id: conv.id,
    kind,
    serviceUrl: activity.serviceUrl,
    reference,
    teamId: text(field(team, 'id')),
    teamName: text(field(team, 'name')),
    channelName: text(field(field(activity.channelData, 'channel'), 'name')),
  };
}
