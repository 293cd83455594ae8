// Patrolling: while on, every fix goes to the server over the socket `position` command, one at a time with
// its acknowledgement; fixes taken with no link wait in a FixBuffer and follow in order when it returns.
// Starting and ending a patrol is the unit going on and off duty (POST /api/me/duty, docs/tablet.md).
import type { Ack } from '../../../server/contract';
import { apiSend } from '../../lib/net/api';
import { currentSocket } from '../../lib/net/socket';
import { FixBuffer } from './fix-buffer';
import { myLocation, type Fix } from './location.svelte';

const STORAGE_KEY = 'lianfang.patrol';
const ACK_TIMEOUT_MS = 10_000;
/** How long to wait when the server says the socket sends too fast (it refills 10 messages a second). */
const RATE_LIMITED_PAUSE_MS = 1_000;

class Patrol {
  /** Sharing positions; remembered so a reload mid-patrol carries on. */
  active = $state(typeof localStorage !== 'undefined' && localStorage.getItem(STORAGE_KEY) === 'on');
  /** When the server last acknowledged a fix. */
  lastAckAt = $state<number | null>(null);
  /** Fixes taken and not yet acknowledged. */
  waiting = $state(0);
  /** The server refused to take positions from this account (e.g. no unit). */
  refused = $state<string | null>(null);
  readonly #buffer = new FixBuffer();
  #sending: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;

  /** Follows the location watch; call once the tablet view is up. */
  attach(): () => void {
    this.#unsubscribe ??= myLocation.onFix((fix) => this.#onFix(fix));
    return () => {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
    };
  }

  start(): void {
    this.active = true;
    this.refused = null;
    localStorage.setItem(STORAGE_KEY, 'on');
    myLocation.start();
    if (myLocation.fix) this.#onFix(myLocation.fix);
    void apiSend('POST', '/api/me/duty', { onDuty: true }).catch(() => undefined);
  }

  /** Ends the patrol: what was not sent is dropped (the unit is going off the map anyway). */
  stop(): void {
    this.active = false;
    localStorage.setItem(STORAGE_KEY, 'off');
    this.#buffer.clear();
    this.waiting = 0;
    // After the fix in flight (if any), or it would put the unit back on the map. With no link the unit
    // simply goes stale after UNIT_STALE_MS; with one it leaves the map now.
    void (this.#sending ?? Promise.resolve()).then(() =>
      apiSend('POST', '/api/me/duty', { onDuty: false }).catch(() => undefined),
    );
  }

  /** The link is back: send what waited. */
  resume(): void {
    void this.#drain();
  }

  #onFix(fix: Fix): void {
    if (!this.active) return;
    this.#buffer.push(fix);
    this.waiting = this.#buffer.size;
    void this.#drain();
  }

  #drain(): Promise<void> {
    this.#sending ??= this.#send().finally(() => {
      this.#sending = null;
      this.waiting = this.#buffer.size;
    });
    return this.#sending;
  }

  async #send(): Promise<void> {
    for (let fix = this.#buffer.take(); fix; fix = this.#buffer.take()) {
      const socket = currentSocket();
      if (!socket?.connected || !this.active) {
        if (this.active) this.#buffer.putBack(fix);
        return;
      }
      let ack: Ack<{ t: number }>;
      try {
        ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('position', fix)) as Ack<{ t: number }>;
      } catch {
        this.#buffer.putBack(fix); // no acknowledgement in time: the link is not really there
        return;
      }
      this.waiting = this.#buffer.size;
      if (ack.ok) this.lastAckAt = Date.now();
      else if (ack.error.code === 'rate_limited') {
        // A long backlog after a dead zone outruns the server's per-socket pace: keep the fix, wait, go on.
        this.#buffer.putBack(fix);
        await new Promise((resolve) => setTimeout(resolve, RATE_LIMITED_PAUSE_MS));
      } else if (ack.error.code === 'forbidden') {
        this.refused = ack.error.message;
        this.stop();
        return;
      }
      // Any other refusal (an invalid fix) is that fix's problem only: it is dropped, the next goes.
    }
  }
}

export const patrol = new Patrol();
