// HTTP for the outbox: bearer token, one refresh-and-retry on 401, a timeout so a hanging link cannot stall
// the queue, and failures sorted into network, server (5xx), signed out, or refused (4xx).
import type { ErrorBody } from '../../../server/contract';
import type { OutboxProblem } from './outbox-item';

export class DeliveryError extends Error {
  constructor(readonly problem: OutboxProblem) {
    super(problem.message);
  }
}

export interface TransportOptions {
  token: () => string | null;
  /** Trades the refresh token for a new access token; false when that is no longer possible. */
  refresh: () => Promise<boolean>;
  /** Prefix for paths (tests against a server on another origin); '' in the browser. */
  baseUrl?: string;
  fetch?: typeof fetch;
  jsonTimeoutMs?: number;
  photoTimeoutMs?: number;
}

export interface Transport {
  getJson<T>(path: string): Promise<T>;
  postJson<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  postPhoto(bytes: ArrayBuffer, contentType: string): Promise<{ photoId: string }>;
}

/** 408 and 429 are "not now", like a 5xx: worth retrying. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

export function problemOf(status: number, body: ErrorBody | null, fallback: string): OutboxProblem {
  const code = body?.error.code ?? 'unknown';
  const message = body?.error.message ?? fallback;
  if (status === 401) return { kind: 'signed_out', status, code, message };
  if (status >= 500 || RETRYABLE_4XX.has(status)) return { kind: 'server', status, code, message };
  return { kind: 'rejected', status, code, message };
}

/** Whether another attempt of the same request may succeed. */
export function isTransient(problem: OutboxProblem): boolean {
  return problem.kind !== 'rejected';
}

export function createTransport(options: TransportOptions): Transport {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl ?? '';

  const once = async (path: string, init: RequestInit, timeoutMs: number): Promise<Response> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${options.token() ?? ''}`);
      return await doFetch(base + path, { ...init, headers, signal: controller.signal });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new DeliveryError({
        kind: 'network',
        status: null,
        code: timedOut ? 'timeout' : 'network',
        message: timedOut ? `no answer within ${timeoutMs / 1000} s` : String(error),
      });
    } finally {
      clearTimeout(timer);
    }
  };

  const send = async <T>(path: string, init: RequestInit, timeoutMs: number): Promise<T> => {
    let response = await once(path, init, timeoutMs);
    if (response.status === 401) {
      let refreshed = false;
      try {
        refreshed = await options.refresh();
      } catch (error) {
        throw new DeliveryError({ kind: 'network', status: null, code: 'network', message: String(error) });
      }
      if (refreshed) response = await once(path, init, timeoutMs);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as ErrorBody | null;
      throw new DeliveryError(problemOf(response.status, body, response.statusText));
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  };

  const jsonTimeout = options.jsonTimeoutMs ?? 20_000;
  return {
    getJson: (path) => send(path, { method: 'GET' }, jsonTimeout),
    postJson: (path, body, headers = {}) =>
      send(
        path,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
        jsonTimeout,
      ),
    postPhoto: (bytes, contentType) =>
      send(
        '/api/photos',
        { method: 'POST', headers: { 'content-type': contentType }, body: bytes },
        options.photoTimeoutMs ?? 120_000,
      ),
  };
}
