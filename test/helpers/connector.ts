import nock from 'nock';
import { SERVICE_URL, type TestUser } from './activities.js';

export type SentActivity = { conversationId: string; body: Record<string, unknown> };

/**
 * The Bot Connector (Teams' REST service) intercepted with nock: the edge we cannot reach from a test.
 * Records proactive sends and answers getMember with the test users' e-mails.
 */
export class FakeConnector {
  readonly sent: SentActivity[] = [];
  readonly memberLookups: string[] = [];
  private readonly users = new Map<string, TestUser>();

  constructor(readonly serviceUrl = SERVICE_URL) {
    const base = new URL(serviceUrl);
    const prefix = base.pathname.replace(/\/$/, '');
    nock(base.origin)
      .persist()
      .post(new RegExp(`^${prefix}/v3/conversations/[^/]+/activities(/[^/]+)?$`))
      .reply((uri, body) => {
        const conversationId = decodeURIComponent(uri.split('/v3/conversations/')[1]!.split('/')[0]!);
        this.sent.push({ conversationId, body: body as Record<string, unknown> });
        return [201, { id: `sent-${this.sent.length}` }];
      })
      .get(new RegExp(`^${prefix}/v3/conversations/[^/]+/members/[^/]+$`))
      .reply((uri) => {
        const userId = decodeURIComponent(uri.split('/members/')[1]!);
        this.memberLookups.push(userId);
        const user = this.users.get(userId);
        if (!user) return [404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } }];
        return [200, { id: user.id, name: user.name, aadObjectId: user.aadObjectId, email: user.email, userPrincipalName: user.email, tenantId: user.tenantId }];
      });
  }

  knows(...users: TestUser[]) {
    for (const u of users) this.users.set(u.id, u);
    return this;
  }

  /** Cards sent to one conversation, as Adaptive Card contents. */
  cardsTo(conversationId: string): Record<string, unknown>[] {
    return this.sent
      .filter((s) => s.conversationId === conversationId)
      .flatMap((s) => ((s.body.attachments as { content: Record<string, unknown> }[] | undefined) ?? []).map((a) => a.content));
  }
}
