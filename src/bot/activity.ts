import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ContactInput, ConversationInput } from '../features/people/identity.service.js';

type ClientInfo = { type?: string; locale?: string; timezone?: string };
type TeamsChannelData = { tenant?: { id?: string }; team?: { id?: string; name?: string }; channel?: { id?: string; name?: string } };

/** Reads who sent the activity and from where, without anything Teams-specific leaking past this file. */
export function contactFromActivity(activity: Activity): ContactInput | null {
  const from = activity.from;
  if (!from?.id) return null;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const clientInfo = (activity.entities ?? []).find((e) => e.type === 'clientInfo') as ClientInfo | undefined;
  return {
    teamsUserId: from.id,
    aadObjectId: from.aadObjectId?.toLowerCase(),
    tenantId: channelData.tenant?.id ?? activity.conversation?.tenantId,
    name: from.name || undefined,
    clientLocale: clientInfo?.locale ?? activity.locale,
    timeZone: clientInfo?.timezone,
    conversation: conversationFromActivity(activity),
  };
}

export function conversationFromActivity(activity: Activity): ConversationInput | undefined {
  const conv = activity.conversation;
  if (!conv?.id || !activity.serviceUrl) return undefined;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const type = conv.conversationType;
  const kind = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  // The id of the activity that happened to arrive last is no part of where to reach someone.
  const { activityId: _activityId, ...reference }: Partial<ConversationReference> = TurnContext.getConversationReference(activity);
  return {
    id: conv.id,
    kind,
    serviceUrl: activity.serviceUrl,
    reference,
    teamId: channelData.team?.id,
    teamName: channelData.team?.name,
    channelName: channelData.channel?.name,
  };
}
