// Leader → followers over one Redis stream: every published delta, XADDed before the leader fans it out to
// its own clients, and now and then the whole picture (units, patrols, epoch, seq, and the stream entry it
// is current to) so that a follower that starts, or that finds a gap or a new epoch, starts over from it.
import type { Redis } from 'ioredis';
import type { Delta } from '../contract';
import type { Picture } from './mirror';
import { readStream } from './streams';

/** A minute and more of deltas at the default FLUSH_MS (pictures are rewritten every PICTURE_MS). */
const FEED_MAX_LEN = 2_000;
export const PICTURE_MS = 15_000;
const READ_COUNT = 200;
const BLOCK_MS = 250;

export interface StoredPicture extends Picture {
  /** The feed entry of the delta numbered `seq` ('0' before any). */
  streamId: string;
}

export interface FeedWriter {
  publish(delta: Delta): Promise<void>;
  writePicture(picture: Picture): Promise<void>;
}

export function createFeedWriter(redis: Redis, stream: string, pictureKey: string): FeedWriter {
  let last = '0';
  return {
    async publish(delta) {
      last = (await redis.xadd(stream, 'MAXLEN', '~', FEED_MAX_LEN, '*', 'd', JSON.stringify(delta))) ?? last;
    },
    async writePicture(picture) {
      // The id read back from the stream: the picture is current to every delta published before it.
      const stored: StoredPicture = {
        ...picture,
        streamId: last === '0' ? await lastId(redis, stream) : last,
      };
      await redis.set(pictureKey, JSON.stringify(stored));
    },
  };
}

async function lastId(redis: Redis, stream: string): Promise<string> {
  const entries = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
  return entries[0]?.[0] ?? '0';
}

export interface FeedHandler {
  /** The epoch and seq this node holds (null before it has a picture). */
  position(): { epoch: string; seq: number } | null;
  seed(picture: Picture): void;
  apply(delta: Delta): void;
}

export interface FeedReader {
  start(handler: FeedHandler): void;
  stop(): Promise<void>;
  close(): void;
}

export function createFeedReader(
  redis: Redis,
  stream: string,
  pictureKey: string,
  onError: (error: unknown) => void,
): FeedReader {
  const blocking = redis.duplicate();
  blocking.on('error', onError);
  let running = false;
  let done: Promise<void> = Promise.resolve();

  /** The stored picture, or null while the leader has not written one for the epoch wanted. */
  const picture = async (epoch: string | null): Promise<StoredPicture | null> => {
    const raw = await redis.get(pictureKey);
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredPicture;
    return epoch === null || stored.epoch === epoch ? stored : null;
  };

  const loop = async (handler: FeedHandler): Promise<void> => {
    let cursor: string | null = null;
    /** Start over from the picture (of `epoch` when known): at start, after a gap, on a new epoch. */
    const reseed = async (epoch: string | null): Promise<string | null> => {
      const stored = await picture(epoch);
      if (!stored) return null;
      handler.seed(stored);
      return stored.streamId;
    };
    while (running) {
      try {
        cursor ??= await reseed(null);
        if (cursor === null) {
          await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
          continue;
        }
        const entries = await readStream(blocking, stream, cursor, READ_COUNT, BLOCK_MS);
        for (const [id, fields] of entries) {
          const raw = fields[1];
          if (raw === undefined) continue;
          const delta = JSON.parse(raw) as Delta;
          const at = handler.position();
          if (at && delta.epoch === at.epoch && delta.seq <= at.seq) {
            cursor = id; // already in the picture
            continue;
          }
          if (!at || delta.epoch !== at.epoch || delta.seq !== at.seq + 1) {
            // A gap or a new epoch: the leader writes its picture before the epoch's first delta.
            cursor = await reseed(delta.epoch);
            if (cursor === null) await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
            break;
          }
          handler.apply(delta);
          cursor = id;
        }
      } catch (error) {
        if (!running) return;
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  return {
    start(handler) {
      if (running) return;
      running = true;
      done = loop(handler).catch(onError);
    },
    async stop() {
      running = false;
      await done;
    },
    close: () => blocking.disconnect(),
  };
}
