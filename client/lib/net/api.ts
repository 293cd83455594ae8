// REST calls with the session's bearer token; a 401 refreshes the token once and retries.
import { LoginResponse, type ErrorBody } from '../../../server/contract';
import { session } from '../state/session.svelte';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiFailure> {
  const body = (await response.json().catch(() => null)) as ErrorBody | null;
  return new ApiFailure(
    response.status,
    body?.error.code ?? 'unknown',
    body?.error.message ?? response.statusText,
  );
}

export async function login(username: string, password: string): Promise<void> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await failure(response);
  session.set(LoginResponse.parse(await response.json()));
}

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh token for new tokens; false (and signed out) when it is no longer valid. Calls made
 * while one is under way share it: a wall that wakes with an expired token fires many requests at once.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= refreshOnce().finally(() => (refreshing = null));
  return refreshing;
}

async function refreshOnce(): Promise<boolean> {
  const current = session.current;
  if (!current) return false;
  // The server gone again between the refusal and this call: not signed out, just not refreshed yet.
  const response = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: current.refreshToken }),
  }).catch(() => null);
  if (!response) return false;
  if (response.status === 401) {
    session.clear();
    return false;
  }
  if (!response.ok) return false;
  session.set(LoginResponse.parse(await response.json()));
  return true;
}

export async function apiGet<T>(path: string): Promise<T> {
  const attempt = (): Promise<Response> =>
    fetch(path, { headers: { authorization: `Bearer ${session.current?.token ?? ''}` } });
  let response = await attempt();
  if (response.status === 401 && (await refreshSession())) response = await attempt();
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** A JSON request (POST, PATCH, PUT, DELETE) with the same refresh-once retry; undefined for a 204. */
export async function apiSend<T>(method: string, path: string, body?: unknown): Promise<T> {
  const attempt = (): Promise<Response> =>
    fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${session.current?.token ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await attempt();
  if (response.status === 401 && (await refreshSession())) response = await attempt();
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
