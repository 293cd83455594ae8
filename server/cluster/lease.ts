// The engine leader's lease in Redis: SET key id NX PX ttl to take it, a compare-and-extend script to keep
// it; a holder that cannot renew in time steps down before the key can lapse, so two leaders never overlap
// by more than one renewal round trip.
import type { Redis } from 'ioredis';

/** Extends the lease only while we still hold it (a lapsed lease taken by another node stays theirs). */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Gives the lease back on a clean shutdown, so a follower takes over at once. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface LeaseOptions {
  key: string;
  nodeId: string;
  ttlMs: number;
  /** Called when this node becomes the leader (awaited before the next round; a rejection gives it back). */
  onGain(): Promise<void>;
  /** Called when this node stops being the leader (lost, lapsed or released). */
  onLose(): void;
  onError(error: unknown): void;
}

export interface Lease {
  holding(): boolean;
  start(): void;
  stop(): Promise<void>;
}

export function createLease(redis: Redis, options: LeaseOptions): Lease {
  const { key, nodeId, ttlMs } = options;
  const roundMs = Math.max(100, Math.floor(ttlMs / 3));
  let holding = false;
  /** When our hold ends if no renewal succeeds (local clock, measured from before the request). */
  let heldUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  /** Steps down on its own clock, even while a renewal hangs on a dead connection. */
  let expiry: NodeJS.Timeout | null = null;
  let stopped = false;

  const lose = (): void => {
    if (expiry) clearTimeout(expiry);
    expiry = null;
    if (!holding) return;
    holding = false;
    options.onLose();
  };
  const held = (sent: number): void => {
    heldUntil = sent + ttlMs;
    if (expiry) clearTimeout(expiry);
    expiry = setTimeout(lose, Math.max(0, heldUntil - roundMs - Date.now()));
  };

  const round = async (): Promise<void> => {
    const sent = Date.now();
    try {
      if (holding) {
        const renewed = await redis.eval(RENEW, 1, key, nodeId, String(ttlMs));
        if (renewed === 1) held(sent);
        else lose();
      } else {
        const taken = await redis.set(key, nodeId, 'PX', ttlMs, 'NX');
        if (taken === 'OK') {
          holding = true;
          held(sent);
          try {
            await options.onGain();
          } catch (error) {
            // A holder that could not take over must not sit on the lease: give it back at once.
            lose();
            await redis.eval(RELEASE, 1, key, nodeId).catch(() => undefined);
            throw error;
          }
        }
      }
    } catch (error) {
      options.onError(error);
    }
    // Unrenewed for most of the ttl: step down before another node may take the lapsed key.
    if (holding && Date.now() > heldUntil - roundMs) lose();
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void round().finally(schedule);
    }, roundMs);
  };

  return {
    holding: () => holding,
    start() {
      void round().finally(schedule);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (!holding) return;
      lose();
      await redis.eval(RELEASE, 1, key, nodeId).catch((error: unknown) => options.onError(error));
    },
  };
}
