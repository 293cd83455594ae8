// Failed logins counted per account and per client address in a sliding window; over the limit, logins from
// that account or address are refused (429 with Retry-After) until the oldest failure leaves the window.
// Per account stops password guessing against one user from many addresses; per address stops one host from
// spraying many accounts. A successful login clears its account's count (not its address's).

export interface ThrottleLimits {
  windowMs: number;
  perAccount: number;
  perAddress: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 30 };

export interface LoginThrottle {
  /** Seconds to wait before another attempt is allowed, or 0 when it may go ahead. */
  retryAfterS(username: string, address: string): number;
  failed(username: string, address: string): void;
  succeeded(username: string): void;
}

/** Keys kept at most; the oldest entries go first, so a flood of random usernames cannot grow memory. */
const MAX_KEYS = 100_000;

export function createLoginThrottle(
  limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
  now: () => number = Date.now,
): LoginThrottle {
  const failures = new Map<string, number[]>();

  const recent = (key: string, t: number): number[] => {
    const list = (failures.get(key) ?? []).filter((at) => at > t - limits.windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  const wait = (list: number[], limit: number, t: number): number =>
    list.length < limit
      ? 0
      : Math.max(1, Math.ceil((list[list.length - limit]! + limits.windowMs - t) / 1000));
  const record = (key: string, t: number): void => {
    const list = recent(key, t);
    list.push(t);
    failures.delete(key);
    failures.set(key, list);
    if (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value!);
  };
  const account = (username: string): string => `user:${username.toLowerCase()}`;
  const addr = (address: string): string => `addr:${address}`;

  return {
    retryAfterS: (username, address) => {
      const t = now();
      return Math.max(
        wait(recent(account(username), t), limits.perAccount, t),
        wait(recent(addr(address), t), limits.perAddress, t),
      );
    },
    failed: (username, address) => {
      const t = now();
      record(account(username), t);
      record(addr(address), t);
    },
    succeeded: (username) => {
      failures.delete(account(username));
    },
  };
}
