import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One accepted (201) proactive send, as the Bot Connector saw it. */
export type Delivery = { conversationId: string; jobIds: string[]; at: number; activityId: string };

export type FakeConnectorStats = {
  /** Every POST to an activities path (accepted, throttled or blocked). */
  requests: number;
  accepted: number;
  throttled: number;
  /** Permanent 403 ConversationBlockedByUser answers (only for conversations passed to `block`). */
  blocked: number;
  /** Requests to any other path (404). */
  notFound: number;
  /** TCP connections the sender opened (more than it runs at once: idle keep-alive sockets were closed and replaced). */
  connections: number;
  /** The most accepted sends seen in any one window (never above the ceiling: proves the fake enforces it). */
  maxInWindow: number;
  firstAcceptedAt: number | null;
  lastAcceptedAt: number | null;
};

const ACTIVITIES_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?\/?$/;
const JOB_ID = /"jobId"\s*:\s*"([^"]+)"/g;

/**
 * A local stand-in for the Bot Connector (Teams' REST service) for one tenant. It enforces the tenant ceiling the
 * way Teams does: over `ratePerSecond` accepted sends within a sliding window it answers 429 with Retry-After.
 * Every accepted send is recorded with its conversation and the job ids its card carries (the reminder card's
 * Snooze / Stop buttons hold the job id), so the bench can count duplicates and losses. Conversations passed to
 * `block` answer a permanent 403 ConversationBlockedByUser instead (counted per conversation, never as a delivery).
 */
export class FakeConnector {
  readonly deliveries: Delivery[] = [];
  readonly stats: FakeConnectorStats = { requests: 0, accepted: 0, throttled: 0, blocked: 0, notFound: 0, connections: 0, maxInWindow: 0, firstAcceptedAt: null, lastAcceptedAt: null };
  /** Accepted sends per conversation id. */
  readonly perConversation = new Map<string, number>();
  /** 403 answers per blocked conversation id. */
  readonly blockedPerConversation = new Map<string, number>();
  /** Conversations whose user blocked the bot: every send to them that passes the ceiling is answered 403. */
  private readonly blockedConversations = new Set<string>();
  private readonly windowMs: number;
  private readonly capacity: number;
  /** Times (ms) of the accepted sends still inside the window, oldest first. */
  private readonly window: number[] = [];
  private readonly server: http.Server;
  private baseUrl = '';

  /**
   * For a whole number of sends per second the window is exactly one second holding `ratePerSecond` sends; a
   * fractional ceiling (e.g. 2.5/s) becomes floor(rate) sends per floor(rate)/rate seconds.
   */
  constructor(readonly ratePerSecond: number, private readonly nowMs: () => number = Date.now) {
    if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    this.capacity = Math.max(1, Math.floor(ratePerSecond));
    this.windowMs = (1000 * this.capacity) / ratePerSecond;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.server.on('connection', () => (this.stats.connections += 1));
  }

  /** The service URL to store in conversation references (with a trailing slash, as Teams gives it). */
  get url(): string {
    if (!this.baseUrl) throw new Error('the fake connector is not listening');
    return this.baseUrl;
  }

  /**
   * From now on, sends to these conversation ids are refused for good, as Teams does when the user blocked the bot:
   * 403 {"error":{"code":"ConversationBlockedByUser"}}. The ceiling is checked first (a throttled send is answered
   * 429 whoever it is for), and a refused send takes its place in the window like any request Teams handled.
   */
  block(conversationIds: Iterable<string>): void {
    for (const id of conversationIds) this.blockedConversations.add(id);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const match = req.method === 'POST' ? ACTIVITIES_PATH.exec(path) : null;
      if (!match) {
        this.stats.notFound += 1;
        return this.reply(res, 404, { error: { code: 'NotFound', message: `${req.method} ${path} is not served by the fake Bot Connector` } });
      }
      this.stats.requests += 1;
      const now = this.nowMs();
      while (this.window.length > 0 && this.window[0]! <= now - this.windowMs) this.window.shift();
      if (this.window.length >= this.capacity) {
        this.stats.throttled += 1;
        return this.reply(res, 429, { error: { code: 'Throttled', message: `over the tenant ceiling of ${this.ratePerSecond} sends per second` } }, { 'Retry-After': '1' });
      }
      this.window.push(now);
      this.stats.maxInWindow = Math.max(this.stats.maxInWindow, this.window.length);
      const conversationId = decodeURIComponent(match[1]!);
      if (this.blockedConversations.has(conversationId)) {
        this.stats.blocked += 1;
        this.blockedPerConversation.set(conversationId, (this.blockedPerConversation.get(conversationId) ?? 0) + 1);
        return this.reply(res, 403, { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } });
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const jobIds = [...new Set([...body.matchAll(JOB_ID)].map((m) => m[1]!))];
      const activityId = randomUUID();
      this.deliveries.push({ conversationId, jobIds, at: now, activityId });
      this.perConversation.set(conversationId, (this.perConversation.get(conversationId) ?? 0) + 1);
      this.stats.accepted += 1;
      this.stats.firstAcceptedAt ??= now;
      this.stats.lastAcceptedAt = now;
      this.reply(res, 201, { id: activityId });
    });
  }

  private reply(res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}
