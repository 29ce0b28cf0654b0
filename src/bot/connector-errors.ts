/**
 * What a Bot Connector answer means for a send (../shared/reference/teams-platform.md). Only this file reads the
 * SDK's error shapes.
 */
export type SendFailure =
  /** Not delivered; worth another try (after `retryAfterMs` when Teams said so). */
  | { kind: 'transient'; reason: string; retryAfterMs?: number; throttled: boolean }
  /** The person blocked or removed the bot, or the conversation is gone: stop until they write again. */
  | { kind: 'unreachable'; reason: string }
  /** The tenant's admin disabled the bot: stop sending to that tenant. */
  | { kind: 'tenant_disabled'; reason: string }
  /** Our request is wrong (400, 401, 413…): retrying cannot help. */
  | { kind: 'rejected'; reason: string }
  /** The call may have reached Teams (timeout, connection reset): it may or may not have been shown. */
  | { kind: 'unknown'; reason: string };

/** Errors raised before any byte reached Teams: safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED_BEFORE_SEND']);

type ErrorLike = {
  statusCode?: number;
  code?: string;
  message?: string;
  cause?: unknown;
  response?: { status?: number; headers?: { get?(name: string): string | undefined | null } | Record<string, string>; bodyAsText?: string | null; parsedBody?: unknown };
  body?: unknown;
};

export function classifySendError(error: unknown, nowMs: number): SendFailure {
  const e = (error ?? {}) as ErrorLike;
  const status = e.statusCode ?? e.response?.status;
  const code = connectorCode(e);
  const label = `${status ?? 'network'}${code ? ` ${code}` : ''}`;
  if (status === undefined) {
    // Getting the bot's token failed (MSAL): nothing was sent to Teams. Retried, then dead-lettered with the reason.
    const msal = e as { errorCode?: unknown; name?: string };
    if (typeof msal.errorCode === 'string' || /Auth|Msal/i.test(msal.name ?? '')) return { kind: 'transient', reason: `auth ${String(msal.errorCode ?? msal.name)}`, throttled: false };
    const sysCode = systemCode(e);
    if (sysCode && NOT_SENT_CODES.has(sysCode)) return { kind: 'transient', reason: `network ${sysCode}`, throttled: false };
    return { kind: 'unknown', reason: `network ${sysCode ?? e.message ?? 'error'}` };
  }
  if (status === 429) return { kind: 'transient', reason: label, retryAfterMs: retryAfter(e, nowMs), throttled: true };
  if ([412, 502, 503, 504].includes(status)) return { kind: 'transient', reason: label, retryAfterMs: retryAfter(e, nowMs), throttled: false };
  if (status === 403 && code === 'BotDisabledByAdmin') return { kind: 'tenant_disabled', reason: label };
  if (status === 403 || status === 404) return { kind: 'unreachable', reason: label };
  // 500 and other 5xx: Teams failed while handling the message; it may have been stored. Not resent.
  if (status >= 500) return { kind: 'unknown', reason: label };
  return { kind: 'rejected', reason: label };
}

function connectorCode(e: ErrorLike): string | undefined {
  const fromBody = (body: unknown): string | undefined => {
    if (typeof body === 'string') {
      try {
        return fromBody(JSON.parse(body));
      } catch {
        return undefined;
      }
    }
    const err = (body as { error?: { code?: unknown } } | null)?.error;
    return typeof err?.code === 'string' ? err.code : undefined;
  };
  return fromBody(e.response?.parsedBody) ?? fromBody(e.response?.bodyAsText) ?? fromBody(e.body) ?? (e.code && !/^E[A-Z]+$/.test(e.code) && e.code !== 'REQUEST_SEND_ERROR' ? e.code : undefined);
}

function systemCode(e: ErrorLike): string | undefined {
  let current: unknown = e;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const c = current as ErrorLike;
    if (c.code && /^E[A-Z]+$/.test(c.code)) return c.code;
    current = c.cause;
  }
  return undefined;
}

function retryAfter(e: ErrorLike, nowMs: number): number | undefined {
  const headers = e.response?.headers;
  const raw = headers && typeof (headers as { get?: unknown }).get === 'function'
    ? (headers as { get(name: string): string | undefined | null }).get('retry-after')
    : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}
