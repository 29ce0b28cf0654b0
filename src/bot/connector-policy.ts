import http from 'node:http';
import https from 'node:https';
import type { CloudAdapter } from 'botbuilder';

/**
 * botbuilder's connector clients keep @azure/core-rest-pipeline's default retry policy (retries 5xx and 429 with
 * long waits). That stalls card actions beyond Teams' invoke budget and would hide from the queue what happened to
 * a send. Every connector client this adapter creates — for turns, proactive sends and new conversations — loses
 * that policy and gets a request timeout instead; the proactive sender (proactive.ts) owns retries.
 */
export function useOwnConnectorPolicy(adapter: CloudAdapter, timeoutMs: number): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication?: { createConnectorFactory?: unknown } }).botFrameworkAuthentication;
  if (!auth || typeof auth.createConnectorFactory !== 'function') throw new Error('botbuilder changed: CloudAdapter has no botFrameworkAuthentication.createConnectorFactory');
  const createFactory = (auth.createConnectorFactory as (claims: unknown) => ConnectorFactoryLike).bind(auth);
  auth.createConnectorFactory = (claims: unknown) => {
    const factory = createFactory(claims);
    const create = factory.create.bind(factory);
    factory.create = async (serviceUrl: string, audience?: string) => withoutSdkRetries(await create(serviceUrl, audience), timeoutMs);
    return factory;
  };
}

type ConnectorFactoryLike = { create(serviceUrl: string, audience?: string): Promise<unknown> };
type PipelineLike = {
  removePolicy(options: { phase?: string; name?: string }): unknown;
  addPolicy(policy: { name: string; sendRequest(request: { timeout: number; url: string; agent?: unknown }, next: (r: unknown) => Promise<unknown>): Promise<unknown> }): void;
  getOrderedPolicies(): { name: string }[];
};

const TIMEOUT_POLICY = 'rexvetRequestTimeout';

/**
 * Keep-alive sockets that sit idle are closed by the client after 4 s — before common servers' 5 s keep-alive —
 * and reused oldest-first, so a request is not written into a socket the server is closing at that moment (which
 * ends in a connection reset and a send nobody can account for).
 */
const agents = {
  http: new http.Agent({ keepAlive: true, timeout: 4_000, scheduling: 'fifo' }),
  https: new https.Agent({ keepAlive: true, timeout: 4_000, scheduling: 'fifo' }),
};

function withoutSdkRetries<T>(connectorClient: T, timeoutMs: number): T {
  const pipeline = (connectorClient as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (!pipeline) throw new Error('botbuilder changed: ConnectorClient has no core-rest-pipeline');
  pipeline.removePolicy({ phase: 'Retry' });
  if (!pipeline.getOrderedPolicies().some((p) => p.name === TIMEOUT_POLICY)) {
    pipeline.addPolicy({
      name: TIMEOUT_POLICY,
      sendRequest: (request, next) => {
        if (!request.timeout) request.timeout = timeoutMs;
        if (!request.agent) request.agent = request.url.startsWith('https:') ? agents.https : agents.http;
        return next(request);
      },
    });
  }
  return connectorClient;
}
