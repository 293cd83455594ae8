// Device ingest authentication and limits. Traccar trusts a device id alone, so anyone who learns one can
// inject positions; a unit registered with a per-device secret refuses fixes that do not carry it. Secrets are
// random 32-byte tokens made by the server, so a SHA-256 (not a slow password hash) is the right digest: the
// check runs on every fix. Rates are limited per device id, never per address: phones share carrier NAT.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new device secret: 32 random bytes, base64url (43 characters, safe in a URL and a Basic password). */
export function generateDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashDeviceSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export type DeviceCheck = 'ok' | 'missing' | 'wrong';

/** Whether a presented secret opens a unit; a unit without a secret takes any fix (Traccar's behaviour). */
export function checkDeviceSecret(
  secretHash: string | null | undefined,
  presented: string | null,
): DeviceCheck {
  if (!secretHash) return 'ok';
  if (presented === null || presented === '') return 'missing';
  const expected = Buffer.from(secretHash, 'hex');
  const actual = Buffer.from(hashDeviceSecret(presented), 'hex');
  return timingSafeEqual(expected, actual) ? 'ok' : 'wrong';
}

export interface DeviceRateLimit {
  /** True when this device may send one more request now (and counts it). */
  take(deviceId: string): boolean;
}

export interface RateLimitOptions {
  /** Sustained requests per second per device. */
  perSecond: number;
  /** Requests a device may send at once after being quiet (an OsmAnd client flushing its offline buffer). */
  burst: number;
}

/** A phone reports every few seconds; 5/s sustained with a burst of 30 leaves room for retries and batches. */
export const DEFAULT_DEVICE_RATE: RateLimitOptions = { perSecond: 5, burst: 30 };

const MAX_DEVICES = 200_000;

/** A token bucket per device id; the oldest buckets are forgotten first past MAX_DEVICES. */
export function createDeviceRateLimit(
  options: RateLimitOptions = DEFAULT_DEVICE_RATE,
  now: () => number = Date.now,
): DeviceRateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take: (deviceId) => {
      const t = now();
      const bucket = buckets.get(deviceId) ?? { tokens: options.burst, at: t };
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
      bucket.at = t;
      buckets.delete(deviceId);
      buckets.set(deviceId, bucket);
      if (buckets.size > MAX_DEVICES) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}

/** The Basic credentials, or null when the header is missing or malformed. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
