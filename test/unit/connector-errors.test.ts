import { describe, expect, it } from '@jest/globals';
import { classifySendError } from '../../src/bot/connector-errors.js';

const http = (status: number, code?: string, headers: Record<string, string> = {}) => ({
  statusCode: status,
  response: { status, headers: { get: (n: string) => headers[n.toLowerCase()] ?? null }, bodyAsText: code ? JSON.stringify({ error: { code, message: 'x' } }) : '' },
});

describe('what a Bot Connector answer means', () => {
  it.each([
    [http(429, 'Throttled', { 'retry-after': '7' }), { kind: 'transient', retryAfterMs: 7000, throttled: true }],
    [http(502), { kind: 'transient', throttled: false }],
    [http(403, 'ConversationBlockedByUser'), { kind: 'unreachable', reason: '403 ConversationBlockedByUser' }],
    [http(403, 'BotDisabledByAdmin'), { kind: 'tenant_disabled' }],
    [http(404, 'ConversationNotFound'), { kind: 'unreachable' }],
    [http(413, 'MessageSizeTooBig'), { kind: 'rejected' }],
    [http(500), { kind: 'unknown' }],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { kind: 'transient', reason: 'network ECONNREFUSED' }],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), { kind: 'unknown' }],
    [Object.assign(new Error('AADSTS7000215: Invalid client secret'), { name: 'ServerError', errorCode: 'invalid_client' }), { kind: 'transient', reason: 'auth invalid_client' }],
  ])('%#: classified as %o', (error, expected) => {
    expect(classifySendError(error, Date.now())).toMatchObject(expected);
  });
});
