// The cluster's Redis parts against a real redis-server: the leader lease (one holder at a time, taken over
// when the holder goes silent), the relay's replay of what a dead leader read but never published, and the
// feed's start from a picture and restart on a gap.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedReader, createFeedWriter } from '../../server/cluster/feed';
import { createLease } from '../../server/cluster/lease';
import type { Picture } from '../../server/cluster/mirror';
import { createRelayReader, createRelaySender, type Forwarded } from '../../server/cluster/relay';
import type { Delta, UnitState } from '../../server/contract';
import { startRedis, type TestRedis } from '../support/redis';
import { until } from '../support/until';

let redis: TestRedis;
const clients: Redis[] = [];

function client(): Redis {
  const made = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  made.on('error', () => undefined);
  clients.push(made);
  return made;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const made of clients) made.disconnect();
  await redis.stop();
});

describe('leader lease', () => {
  it('has one holder at a time, and a follower takes over when the holder goes silent', async () => {
    const holders = { a: false, b: false };
    const lease = (name: 'a' | 'b', connection: Redis) =>
      createLease(connection, {
        key: 'test:leader',
        nodeId: name,
        ttlMs: 600,
        onGain: async () => {
          holders[name] = true;
        },
        onLose: () => {
          holders[name] = false;
        },
        onError: () => undefined,
      });
    const connectionA = client();
    const a = lease('a', connectionA);
    a.start();
    await until(() => holders.a, 'a to hold the lease');
    const b = lease('b', client());
    b.start();
    // Both running: never two holders.
    let overlap = false;
    const watch = setInterval(() => (overlap ||= holders.a && holders.b), 5);
    await sleep(1_000);
    expect(holders).toEqual({ a: true, b: false });
    // a's Redis goes away (a hung or partitioned node): it steps down, and b takes the lapsed lease.
    connectionA.disconnect();
    const ms = await until(() => holders.b, 'b to take over');
    clearInterval(watch);
    console.log(`lease taken over ${ms} ms after the holder went silent (ttl 600 ms)`);
    expect(holders.a).toBe(false);
    expect(overlap).toBe(false);
    await Promise.all([a.stop(), b.stop()]);
    expect(await client().get('test:leader')).toBeNull(); // released on a clean stop
  });
});

function fix(unitId: string, t: number): Forwarded {
  return {
    kind: 'fix',
    fix: {
      unitId,
      t,
      rx: t,
      source: 'osmand',
      lon: 106.7,
      lat: 22.1,
      accuracyMeters: null,
      headingDeg: null,
      speedMps: null,
    },
  };
}

describe('relay (followers → leader)', () => {
  it('replays to the next leader what the last one read but did not commit, and nothing it committed', async () => {
    const sender = createRelaySender(client(), 'test:relay');
    const readBy = async (
      expected: number,
    ): Promise<{ seen: Forwarded[]; mark: string | null; stop(): Promise<void> }> => {
      const seen: Forwarded[] = [];
      const reader = createRelayReader(client(), 'test:relay', 'test:relay:cursor', () => undefined);
      reader.start((entry) => seen.push(entry));
      await until(() => seen.length >= expected, `${expected} entries`);
      await sleep(100); // and no more
      return {
        seen,
        mark: reader.mark(),
        stop: async () => {
          await reader.stop();
          reader.close();
        },
      };
    };
    for (const t of [1, 2, 3]) await sender.send(fix('u1', t));
    const first = await readBy(3);
    await first.stop(); // died before publishing: nothing committed
    const second = await readBy(3);
    expect(second.seen.map((entry) => (entry.kind === 'fix' ? entry.fix.t : null))).toEqual([1, 2, 3]);
    // This one publishes and commits: its successor starts after what it published.
    const reader = createRelayReader(client(), 'test:relay', 'test:relay:cursor', () => undefined);
    await reader.commit(second.mark);
    await second.stop();
    await sender.send(fix('u1', 4));
    const third = await readBy(1);
    expect(third.seen.map((entry) => (entry.kind === 'fix' ? entry.fix.t : null))).toEqual([4]);
    await third.stop();
    reader.close();
  });
});

function unit(id: string, lon: number): UnitState {
  return {
    id,
    kind: 'police',
    callsign: id,
    lon,
    lat: 22.1,
    headingDeg: null,
    speedMps: null,
    accuracyMeters: null,
    t: 1,
    rx: 1,
    gridId: null,
    sectorId: null,
    segmentId: null,
    jointPatrolId: null,
    stale: false,
  };
}

function delta(epoch: string, seq: number, units: UnitState[]): Delta {
  return { epoch, seq, units: { upsert: units, remove: [] }, incidents: [], alerts: [], events: [] };
}

describe('feed (leader → followers)', () => {
  it('starts a follower from the picture, applies deltas in order, and starts over on a gap', async () => {
    const writer = createFeedWriter(client(), 'test:feed', 'test:picture');
    await writer.publish(delta('e1', 1, [unit('u1', 1)])); // before the picture: covered by it
    await writer.writePicture({
      epoch: 'e1',
      seq: 1,
      units: [unit('u1', 1), unit('u2', 2)],
      jointPatrols: [],
    });
    await writer.publish(delta('e1', 2, [unit('u1', 3)]));

    let position: { epoch: string; seq: number } | null = null;
    const seeded: Picture[] = [];
    const applied: number[] = [];
    const reader = createFeedReader(client(), 'test:feed', 'test:picture', () => undefined);
    reader.start({
      position: () => position,
      seed(picture) {
        seeded.push(picture);
        position = { epoch: picture.epoch, seq: picture.seq };
      },
      apply(next) {
        applied.push(next.seq);
        position = { epoch: next.epoch, seq: next.seq };
      },
    });
    await until(() => applied.includes(2), 'delta 2');
    expect(seeded.map((p) => p.seq)).toEqual([1]);
    expect(seeded[0]?.units.map((u) => u.id)).toEqual(['u1', 'u2']);

    // A gap (seq 4 after 2): the follower starts over from the newer picture, then goes on.
    await writer.writePicture({ epoch: 'e1', seq: 4, units: [unit('u1', 4)], jointPatrols: [] });
    await writer.publish(delta('e1', 4, [unit('u1', 4)]));
    await writer.publish(delta('e1', 5, [unit('u1', 5)]));
    await until(() => applied.includes(5), 'delta 5');
    expect(seeded.map((p) => p.seq)).toEqual([1, 4]);
    expect(applied).toEqual([2, 5]);

    // A new epoch (a new leader) with its picture: started over again.
    await writer.writePicture({ epoch: 'e2', seq: 0, units: [], jointPatrols: [] });
    await writer.publish(delta('e2', 1, [unit('u9', 9)]));
    await until(() => position?.epoch === 'e2' && position.seq === 1, 'the new epoch');
    expect(seeded.map((p) => `${p.epoch}/${p.seq}`)).toEqual(['e1/1', 'e1/4', 'e2/0']);
    await reader.stop();
    reader.close();
  });
});
