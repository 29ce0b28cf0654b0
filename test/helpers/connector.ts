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
  /** The Authorization header of every call, in order (in Teams mode, the bot's own token). */
  readonly authorizations: (string | undefined)[] = [];
  private readonly users = new Map<string, TestUser>();

  constructor(readonly serviceUrl = SERVICE_URL) {
    this.intercept();
  }

  /**
   * (Again) intercepts the Bot Connector for this instance — after the setup file's nock.cleanAll() between tests, a
   * file that keeps one connector calls this in beforeEach. Whichever of its interceptors answers, it records here.
   */
  intercept() {
    const base = new URL(this.serviceUrl);
    const prefix = base.pathname.replace(/\/$/, '');
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- nock's reply functions have their own `this` (the request)
    const connector = this;
    const seen = (req: { headers: Record<string, string | string[] | undefined> }) => connector.authorizations.push([req.headers.authorization].flat()[0]);
    nock(base.origin)
      .persist()
      .post(new RegExp(`^${prefix}/v3/conversations/[^/]+/activities(/[^/]+)?$`))
      .reply(function (uri, body) {
        seen(this.req);
        const conversationId = decodeURIComponent(uri.split('/v3/conversations/')[1]!.split('/')[0]!);
        connector.sent.push({ conversationId, body: body as Record<string, unknown> });
        return [201, { id: `sent-${connector.sent.length}` }];
      })
      .get(new RegExp(`^${prefix}/v3/conversations/[^/]+/members/[^/]+$`))
      .reply(function (uri) {
        seen(this.req);
        const userId = decodeURIComponent(uri.split('/members/')[1]!);
        connector.memberLookups.push(userId);
        const user = connector.users.get(userId);
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
