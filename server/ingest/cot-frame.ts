// Splits a CoT TCP byte stream into events at each `</event>`, whatever the chunk boundaries, within size limits.
const DELIMITER = Buffer.from('</event>');
const KEEP = DELIMITER.length - 1;

export interface CotFramerOptions {
  /** An event larger than this is dropped (the connection carries on). */
  maxEventBytes: number;
  /** This many bytes without a complete event, and the connection should be dropped. */
  maxBufferBytes: number;
}

export interface FrameResult {
  /** Complete events as text, each ending in `</event>`; may start with whitespace and an XML declaration. */
  events: string[];
  /** Byte sizes of events dropped for exceeding maxEventBytes. */
  oversize: number[];
  /** True once maxBufferBytes passed without a complete event: drop the connection. */
  overflow: boolean;
}

export interface CotFramer {
  push(chunk: Buffer): FrameResult;
}

/**
 * A framer for one connection. Memory stays under about maxEventBytes + one chunk: an event that grows past the
 * limit is skipped (only its byte count is kept) until its `</event>` arrives.
 * @example createCotFramer({ maxEventBytes: 65536, maxBufferBytes: 1 << 20 }).push(chunk).events
 */
export function createCotFramer(options: CotFramerOptions): CotFramer {
  let rest: Buffer = Buffer.alloc(0);
  /** Bytes of the current (oversize) event already thrown away. */
  let skipped = 0;

  return {
    push(chunk) {
      const out: FrameResult = { events: [], oversize: [], overflow: false };
      const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      // `rest` never holds a whole delimiter, so the search may start just before the new bytes.
      let from = Math.max(0, rest.length - KEEP);
      let start = 0;
      for (let end = buffer.indexOf(DELIMITER, from); end !== -1; end = buffer.indexOf(DELIMITER, from)) {
        const stop = end + DELIMITER.length;
        const size = skipped + (stop - start);
        if (size > options.maxEventBytes) out.oversize.push(size);
        else out.events.push(buffer.toString('utf8', start, stop));
        skipped = 0;
        start = stop;
        from = stop;
      }
      let tail = buffer.subarray(start);
      if (skipped > 0 || tail.length > options.maxEventBytes) {
        // Too big already: keep only what could be the start of the delimiter.
        const drop = Math.max(0, tail.length - KEEP);
        skipped += drop;
        tail = tail.subarray(drop);
      }
      rest = Buffer.from(tail);
      out.overflow = skipped + rest.length > options.maxBufferBytes;
      return out;
    },
  };
}
