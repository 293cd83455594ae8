// One blocking read of one Redis stream, typed: the entries after `cursor`, at most `count`, waiting up to
// blockMs for the first.
import type { Redis } from 'ioredis';

export type StreamEntry = [id: string, fields: string[]];

export async function readStream(
  client: Redis,
  stream: string,
  cursor: string,
  count: number,
  blockMs: number,
): Promise<StreamEntry[]> {
  const reply = await client.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, cursor);
  return reply?.[0]?.[1] ?? [];
}
