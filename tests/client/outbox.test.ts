// The outbox over a real IndexedDB implementation (fake-indexeddb): first-in-first-out delivery, the backoff
// schedule, permanent vs transient failures, one idempotency key per item across retries and reloads, and
// recovery of an item cut off mid-send. Delivery is scripted here; outbox-server.test.ts sends for real.
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffDelayMs } from '../../client/lib/offline/backoff';
import { Outbox, type Deliver, type DeliveryOutcome } from '../../client/lib/offline/outbox';
import { memoryOutboxDb, openOutboxDb, type OutboxDb } from '../../client/lib/offline/outbox-db';
import type { OutboxDraft, OutboxItem, OutboxProblem } from '../../client/lib/offline/outbox-item';
import { problemOf } from '../../client/lib/offline/transport';

const NETWORK: OutboxProblem = { kind: 'network', status: null, code: 'network', message: 'offline' };
const SERVER: OutboxProblem = { kind: 'server', status: 503, code: 'unknown', message: 'busy' };
const REFUSED: OutboxProblem = {
  kind: 'rejected',
  status: 403,
  code: 'forbidden',
  message: 'not your segment',
};

const report = (note: string): OutboxDraft => ({
  kind: 'report',
  path: '/api/reports',
  body: { segmentId: 'px-seg-01', status: 'normal', lon: 106.69, lat: 22.27, note },
  ref: 'px-seg-01',
  idempotent: true,
});

interface Attempt {
  note: unknown;
  key: string;
  bodyKey: unknown;
}

/** A clock, a timer list the test fires by hand, and a delivery whose answers the test scripts. */
function harness(
  db: OutboxDb,
  answers: (item: OutboxItem, attempt: number) => DeliveryOutcome | Promise<DeliveryOutcome>,
) {
  const clock = { now: 1_000_000 };
  const timers: { at: number; delay: number; fn: () => void }[] = [];
  const attempts: Attempt[] = [];
  let owner: string | null = 'user-1';
  const deliver: Deliver = async (item) => {
    attempts.push({ note: item.body.note, key: item.idempotencyKey, bodyKey: item.body.idempotencyKey });
    return answers(item, attempts.length);
  };
  const options = {
    db,
    deliver,
    owner: () => owner,
    now: () => clock.now,
    random: () => 0.5,
    schedule: (delay: number, fn: () => void) => {
      const timer = { at: clock.now + delay, delay, fn };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer) >>> 0, 1);
    },
  };
  return {
    clock,
    timers,
    attempts,
    options,
    setOwner: (id: string | null) => (owner = id),
    /** Moves the clock to the next timer and fires it; resolves when the flush it starts is done. */
    async fireNext(outbox: Outbox): Promise<number> {
      const timer = timers.shift();
      if (!timer) throw new Error('no timer pending');
      clock.now = timer.at;
      timer.fn();
      await outbox.flush();
      return timer.delay;
    },
  };
}

const statuses = (outbox: Outbox): string[] =>
  outbox.items().map((i) => `${String(i.body.note)}:${i.status}`);

describe('backoff', () => {
  it('doubles from 2 s to a 30 s cap, ±20 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n, () => 0.5))).toEqual([
      2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelayMs(1, () => 0)).toBe(1_600);
    expect(backoffDelayMs(5, () => 0.999999)).toBe(36_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const delay = backoffDelayMs(n, () => r);
          return delay >= 1_600 && delay <= BACKOFF.maxMs * 1.2;
        },
      ),
    );
  });
});

describe('failure classes', () => {
  it('treats 4xx as permanent, except 401 (sign in), 408 and 429; 5xx as transient', () => {
    const body = { error: { code: 'invalid', message: 'segmentId: unknown' } };
    expect(problemOf(400, body, '')).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'invalid',
      message: 'segmentId: unknown',
    });
    expect(problemOf(403, null, 'Forbidden').kind).toBe('rejected');
    expect(problemOf(409, null, 'Conflict').kind).toBe('rejected');
    expect(problemOf(401, null, '').kind).toBe('signed_out');
    expect(problemOf(429, null, '').kind).toBe('server');
    expect(problemOf(408, null, '').kind).toBe('server');
    expect(problemOf(500, null, '').kind).toBe('server');
    expect(problemOf(503, null, '').kind).toBe('server');
  });
});

describe('outbox', () => {
  it('stores before it sends, and sends in the order the items were made', async () => {
    let linkUp = false;
    const h = harness(await openOutboxDb(new IDBFactory()), () =>
      linkUp ? { type: 'sent', result: { ok: true } } : { type: 'retry', problem: NETWORK },
    );
    const outbox = await Outbox.open(h.options);
    for (const note of ['a', 'b', 'c']) await outbox.enqueue(report(note));
    await outbox.flush();
    // Only the head was tried: b and c never overtake it while it waits for the link.
    expect(h.attempts.map((a) => a.note)).toEqual(['a']);
    expect(statuses(outbox)).toEqual(['a:queued', 'b:queued', 'c:queued']);
    expect(outbox.items()[0]?.problem).toEqual(NETWORK);

    linkUp = true;
    outbox.kick();
    await outbox.flush();
    expect(h.attempts.map((a) => a.note)).toEqual(['a', 'a', 'b', 'c']);
    expect(statuses(outbox)).toEqual(['a:sent', 'b:sent', 'c:sent']);
    expect(outbox.items().every((i) => i.photo === null && i.sentAt === h.clock.now)).toBe(true);
  });

  it('waits 2, 4, 8, 16, 30, 30 s between attempts while the link is down', async () => {
    const h = harness(memoryOutboxDb(), (_item, attempt) =>
      attempt <= 6
        ? { type: 'retry', problem: attempt % 2 ? NETWORK : SERVER }
        : { type: 'sent', result: null },
    );
    const outbox = await Outbox.open(h.options);
    await outbox.enqueue(report('x'));
    await outbox.flush();
    const waits: number[] = [];
    while (h.timers.length > 0) waits.push(await h.fireNext(outbox));
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(h.attempts).toHaveLength(7);
    expect(statuses(outbox)).toEqual(['x:sent']);
  });

  it('sends an SOS ahead of reports that were waiting for the link', async () => {
    let linkUp = false;
    const h = harness(memoryOutboxDb(), () =>
      linkUp ? { type: 'sent', result: null } : { type: 'retry', problem: NETWORK },
    );
    const outbox = await Outbox.open(h.options);
    await outbox.enqueue(report('first'));
    await outbox.enqueue(report('second'));
    await outbox.enqueue({
      kind: 'sos',
      path: '/api/sos',
      body: { note: 'sos' },
      ref: null,
      idempotent: true,
    });
    await outbox.flush();
    linkUp = true;
    outbox.kick();
    await outbox.flush();
    // Tried at once when pressed (the reports wait their backoff), and first when the link returns.
    expect(h.attempts.map((a) => a.note)).toEqual(['first', 'sos', 'sos', 'first', 'second']);
  });

  it('fails a refused item for good, says why, and goes on with the next', async () => {
    const h = harness(memoryOutboxDb(), (item) =>
      item.body.note === 'bad'
        ? { type: 'failed', problem: REFUSED }
        : { type: 'sent', result: { id: 'r1' } },
    );
    const outbox = await Outbox.open(h.options);
    await outbox.enqueue(report('bad'));
    await outbox.enqueue(report('good'));
    await outbox.flush();
    expect(statuses(outbox)).toEqual(['bad:failed', 'good:sent']);
    expect(outbox.items()[0]?.problem).toEqual(REFUSED);
    expect(h.attempts.map((a) => a.note)).toEqual(['bad', 'good']);
    expect(h.timers).toEqual([]);

    // The user may send it again as it was (same key), or discard it; a queued item cannot be discarded.
    const failed = outbox.items()[0]!;
    await outbox.retry(failed.id);
    await outbox.flush();
    expect(h.attempts.map((a) => a.key)).toEqual([
      failed.idempotencyKey,
      expect.any(String),
      failed.idempotencyKey,
    ]);
    await outbox.remove(failed.id);
    expect(statuses(outbox)).toEqual(['good:sent']);
  });

  it('keeps one idempotency key per item across retries and reloads, in the body and for the header', async () => {
    const factory = new IDBFactory();
    const first = harness(await openOutboxDb(factory), () => ({ type: 'retry', problem: NETWORK }));
    const before = await Outbox.open(first.options);
    const item = await before.enqueue(report('once'));
    await before.flush();
    await first.fireNext(before);
    before.stop();

    // A reload: a new page opens the same database and finds the item still queued.
    const second = harness(await openOutboxDb(factory), () => ({ type: 'sent', result: { id: 'r1' } }));
    const after = await Outbox.open(second.options);
    expect(statuses(after)).toEqual(['once:queued']);
    await after.flush();
    const keys = [...first.attempts, ...second.attempts].map((a) => [a.key, a.bodyKey]);
    expect(keys).toEqual([
      [item.idempotencyKey, item.idempotencyKey],
      [item.idempotencyKey, item.idempotencyKey],
      [item.idempotencyKey, item.idempotencyKey],
    ]);
    expect(item.idempotencyKey).toMatch(/^[\x21-\x7e]{1,128}$/);
    expect(statuses(after)).toEqual(['once:sent']);
  });

  it('queues again an item found "sending" after a dead battery, with the same key', async () => {
    const factory = new IDBFactory();
    const db = await openOutboxDb(factory);
    const h = harness(db, () => new Promise<never>(() => undefined));
    const outbox = await Outbox.open(h.options);
    const item = await outbox.enqueue(report('cut'));
    // The delivery never answers: the page dies with the item stored as "sending".
    await expect.poll(async () => (await db.get(item.id))?.status).toBe('sending');
    outbox.stop();

    const reboot = harness(await openOutboxDb(factory), () => ({ type: 'sent', result: { id: 'r9' } }));
    const recovered = await Outbox.open(reboot.options);
    expect(statuses(recovered)).toEqual(['cut:queued']);
    await recovered.flush();
    expect(reboot.attempts).toEqual([
      { note: 'cut', key: item.idempotencyKey, bodyKey: item.idempotencyKey },
    ]);
    expect(recovered.items()[0]).toMatchObject({ status: 'sent', result: { id: 'r9' } });
  });

  it('sends only the signed-in user’s items, and nothing while signed out', async () => {
    let linkUp = false;
    const h = harness(memoryOutboxDb(), () =>
      linkUp ? { type: 'sent', result: null } : { type: 'retry', problem: NETWORK },
    );
    const outbox = await Outbox.open(h.options);
    h.setOwner('user-1');
    await outbox.enqueue(report('mine'));
    await outbox.flush();
    h.setOwner(null);
    await expect(outbox.enqueue(report('nobody'))).rejects.toThrow('sign in');
    // Another user signs in on this tablet; the link is back.
    h.setOwner('user-2');
    linkUp = true;
    await outbox.enqueue(report('theirs'));
    await outbox.flush();
    expect(statuses(outbox)).toEqual(['mine:queued', 'theirs:sent']);
    h.setOwner('user-1');
    outbox.kick();
    await outbox.flush();
    expect(statuses(outbox)).toEqual(['mine:sent', 'theirs:sent']);
  });

  it('forgets sent items after a day, never queued ones', async () => {
    const factory = new IDBFactory();
    const h = harness(await openOutboxDb(factory), (item) =>
      item.body.note === 'old' ? { type: 'sent', result: null } : { type: 'retry', problem: NETWORK },
    );
    const outbox = await Outbox.open(h.options);
    await outbox.enqueue(report('old'));
    await outbox.flush();
    await outbox.enqueue(report('waiting'));
    await outbox.flush();
    outbox.stop();
    const later = harness(await openOutboxDb(factory), () => ({ type: 'retry', problem: NETWORK }));
    later.clock.now = h.clock.now + 86_400_001;
    expect(statuses(await Outbox.open(later.options))).toEqual(['waiting:queued']);
  });

  it('for any script of answers: each item is tried in order, keeps its key, and ends sent or failed', async () => {
    const answer = fc.constantFrom<DeliveryOutcome>(
      { type: 'sent', result: null },
      { type: 'retry', problem: NETWORK },
      { type: 'retry', problem: SERVER },
      { type: 'failed', problem: REFUSED },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(answer, { maxLength: 30 }),
        async (count, script) => {
          let next = 0;
          // After the script runs out the link is good for ever.
          const h = harness(memoryOutboxDb(), () => script[next++] ?? { type: 'sent', result: null });
          const outbox = await Outbox.open(h.options);
          const made: OutboxItem[] = [];
          for (let i = 0; i < count; i++) made.push(await outbox.enqueue(report(`n${i}`)));
          await outbox.flush();
          while (h.timers.length > 0) await h.fireNext(outbox);

          const items = outbox.items();
          expect(items.every((i) => i.status === 'sent' || i.status === 'failed')).toBe(true);
          // Attempts never go back to an earlier item once a later one was tried.
          const order = h.attempts.map((a) => Number(String(a.note).slice(1)));
          expect(order).toEqual([...order].sort((a, b) => a - b));
          for (const a of h.attempts) {
            const item = made.find((m) => m.body.note === a.note)!;
            expect(a.key).toBe(item.idempotencyKey);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
