// Positions waiting for the socket: sent oldest first when the link is up; while it is down, thinned to one
// every few seconds and capped, so an hour in a valley comes back as a walkable track, not a flood.
import type { PositionMessage } from '../../../server/contract';

export interface FixBufferOptions {
  /** While fixes wait, they are kept about this far apart (a newer one replaces the provisional last). */
  minGapMs: number;
  /** The oldest are dropped beyond this many. */
  capacity: number;
}

export const FIX_BUFFER: FixBufferOptions = { minGapMs: 5_000, capacity: 720 };

export class FixBuffer {
  readonly #fixes: PositionMessage[] = [];
  constructor(readonly options: FixBufferOptions = FIX_BUFFER) {}

  get size(): number {
    return this.#fixes.length;
  }

  push(fix: PositionMessage): void {
    const last = this.#fixes[this.#fixes.length - 1];
    if (last && fix.t <= last.t) return;
    // The newest fix is always kept; the one before it is kept only once it is minGapMs past its own predecessor.
    const before = this.#fixes[this.#fixes.length - 2];
    if (before && fix.t - before.t < this.options.minGapMs) this.#fixes[this.#fixes.length - 1] = fix;
    else this.#fixes.push(fix);
    if (this.#fixes.length > this.options.capacity) this.#fixes.shift();
  }

  /** Removes and returns the oldest (the one to send now). */
  take(): PositionMessage | undefined {
    return this.#fixes.shift();
  }

  /** Puts back a fix whose send failed, ahead of the rest. */
  putBack(fix: PositionMessage): void {
    const first = this.#fixes[0];
    if (first && first.t <= fix.t) return;
    this.#fixes.unshift(fix);
  }

  clear(): void {
    this.#fixes.length = 0;
  }
}
