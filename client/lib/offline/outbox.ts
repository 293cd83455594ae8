// The outbox: requests made in the field are stored first and sent after, one at a time in the order they
// were made (an SOS ahead of everything), retried with backoff while the link is down, and told apart: sent, failed (refused, with why),
// or waiting. No Svelte here: outbox-store.svelte.ts wires it to the session, the socket and the panel.
import { backoffDelayMs } from './backoff';
import { newIdempotencyKey, newItemId } from './keys';
import type { OutboxDb } from './outbox-db';
import { byCreation, type OutboxDraft, type OutboxItem, type OutboxProblem } from './outbox-item';

/** What one delivery attempt came to. */
export type DeliveryOutcome =
  | { type: 'sent'; result: unknown }
  /** Transient (no link, 5xx, signed out): try again later, with the same idempotency key. */
  | { type: 'retry'; problem: OutboxProblem }
  /** Permanent (4xx): retrying the same request cannot help; the user decides. */
  | { type: 'failed'; problem: OutboxProblem };

/** Sends one item; `save` persists progress (the uploaded photo's id) before the next step. */
export type Deliver = (
  item: OutboxItem,
  save: (patch: Partial<OutboxItem>) => Promise<void>,
) => Promise<DeliveryOutcome>;

export interface OutboxOptions {
  db: OutboxDb;
  deliver: Deliver;
  /** The signed-in user's id; null while signed out (nothing is sent). */
  owner: () => string | null;
  now?: () => number;
  random?: () => number;
  /** Runs fn after delayMs; returns a cancel function. */
  schedule?: (delayMs: number, fn: () => void) => () => void;
  /** One sender across tabs (navigator.locks); without it, this tab sends alone. */
  exclusive?: (fn: () => Promise<void>) => Promise<void>;
  onChange?: (items: OutboxItem[]) => void;
  /** Sent items older than this are forgotten when the outbox opens. */
  keepSentMs?: number;
}

const DAY_MS = 86_400_000;

const defaultSchedule = (delayMs: number, fn: () => void): (() => void) => {
  const timer = setTimeout(fn, delayMs);
  return () => clearTimeout(timer);
};

function unexpected(error: unknown): OutboxProblem {
  return { kind: 'network', status: null, code: 'unknown', message: String(error) };
}

export class Outbox {
  readonly #items = new Map<string, OutboxItem>();
  readonly #options: Required<Omit<OutboxOptions, 'exclusive' | 'onChange'>> &
    Pick<OutboxOptions, 'exclusive' | 'onChange'>;
  #sequence = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #cancelWake: (() => void) | null = null;
  #stopped = false;

  private constructor(options: OutboxOptions) {
    this.#options = {
      now: Date.now,
      random: Math.random,
      schedule: defaultSchedule,
      keepSentMs: DAY_MS,
      ...options,
    };
  }

  /**
   * Loads the stored items. One found `sending` was cut off mid-send (a reload, a dead battery): whether the
   * server got it is unknown, so it is queued again — its idempotency key makes the resend safe.
   */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const outbox = new Outbox(options);
    const now = outbox.#options.now();
    for (const item of await options.db.all()) {
      if (item.status === 'sent' && item.sentAt !== null && now - item.sentAt > outbox.#options.keepSentMs) {
        await options.db.delete(item.id);
        continue;
      }
      if (item.status === 'sending') {
        item.status = 'queued';
        await options.db.put(item);
      }
      // A new page is a new chance (often the user reloaded because the link came back): no backoff carried over.
      if (item.status === 'queued') item.nextAttemptAt = Math.min(item.nextAttemptAt, now);
      outbox.#items.set(item.id, item);
    }
    outbox.#changed();
    return outbox;
  }

  /** Every item, oldest first. */
  items(): OutboxItem[] {
    return [...this.#items.values()].sort(byCreation);
  }

  /** Stores the request (durably) and starts sending; resolves once stored, not once sent. */
  async enqueue(draft: OutboxDraft): Promise<OutboxItem> {
    const userId = this.#options.owner();
    if (userId === null) throw new Error('sign in before sending');
    const now = this.#options.now();
    const idempotencyKey = newIdempotencyKey(now);
    const item: OutboxItem = {
      kind: draft.kind,
      path: draft.path,
      body: draft.idempotent ? { ...draft.body, idempotencyKey } : { ...draft.body },
      ref: draft.ref,
      photoInto: draft.photoInto ?? 'photoId',
      idempotent: draft.idempotent,
      id: newItemId(now, this.#sequence++),
      userId,
      idempotencyKey,
      photo: draft.photo ?? null,
      photoId: null,
      createdAt: now,
      status: 'queued',
      failures: 0,
      nextAttemptAt: now,
      problem: null,
      sentAt: null,
      result: null,
    };
    await this.#options.db.put(item);
    this.#items.set(item.id, item);
    this.#changed();
    void this.flush();
    return item;
  }

  /** The link is back (or the user signed in): every waiting item is due now. */
  kick(): void {
    const now = this.#options.now();
    for (const item of this.#items.values()) if (item.status === 'queued') item.nextAttemptAt = now;
    void this.flush();
  }

  /** A failed item, sent again as it was (same key): the user's choice after reading why it failed. */
  async retry(id: string): Promise<void> {
    const item = this.#items.get(id);
    if (!item || item.status !== 'failed') return;
    await this.#save(item, { status: 'queued', failures: 0, nextAttemptAt: this.#options.now() });
    void this.flush();
  }

  /** Forgets a failed or sent item (a queued one is never dropped silently). */
  async remove(id: string): Promise<void> {
    const item = this.#items.get(id);
    if (!item || item.status === 'queued' || item.status === 'sending') return;
    await this.#options.db.delete(id);
    this.#items.delete(id);
    this.#changed();
  }

  /** Sends what is due, in order; resolves when nothing more can be sent now. */
  flush(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#cancelWake?.();
    this.#cancelWake = null;
    const run = async (): Promise<void> => {
      do {
        this.#again = false;
        await (this.#options.exclusive ? this.#options.exclusive(() => this.#drain()) : this.#drain());
      } while (this.#again && !this.#stopped);
    };
    this.#running = run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelWake?.();
    this.#cancelWake = null;
  }

  /** The queued items the current user may send: an SOS first, then the rest oldest first. */
  #queue(owner: string): OutboxItem[] {
    const queued = this.items().filter((item) => item.status === 'queued' && item.userId === owner);
    return [...queued.filter((item) => item.kind === 'sos'), ...queued.filter((item) => item.kind !== 'sos')];
  }

  async #drain(): Promise<void> {
    while (!this.#stopped) {
      const owner = this.#options.owner();
      if (owner === null) return;
      const head = this.#queue(owner)[0];
      if (!head) return;
      const wait = head.nextAttemptAt - this.#options.now();
      // First in, first out: a later item never overtakes one that is waiting for the link.
      if (wait > 0) return this.#wakeIn(wait);
      if (!(await this.#attempt(head))) return this.#wakeIn(head.nextAttemptAt - this.#options.now());
    }
  }

  #wakeIn(delayMs: number): void {
    this.#cancelWake?.();
    this.#cancelWake = this.#options.schedule(Math.max(0, delayMs), () => {
      this.#cancelWake = null;
      void this.flush();
    });
  }

  /** One attempt; false when the item must wait (a transient failure). */
  async #attempt(item: OutboxItem): Promise<boolean> {
    // Another tab may have sent it while this one waited for the lock.
    const stored = await this.#options.db.get(item.id);
    if (stored && stored.status !== 'queued') {
      this.#items.set(item.id, stored);
      this.#changed();
      return true;
    }
    await this.#save(item, { status: 'sending' });
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.#options.deliver(item, (patch) => this.#save(item, patch));
    } catch (error) {
      outcome = { type: 'retry', problem: unexpected(error) };
    }
    const now = this.#options.now();
    switch (outcome.type) {
      case 'sent':
        // The photo has done its job: free the space it took.
        await this.#save(item, {
          status: 'sent',
          sentAt: now,
          result: outcome.result,
          problem: null,
          photo: null,
        });
        return true;
      case 'failed':
        await this.#save(item, { status: 'failed', problem: outcome.problem });
        return true;
      case 'retry': {
        const failures = item.failures + 1;
        const nextAttemptAt = now + backoffDelayMs(failures, this.#options.random);
        await this.#save(item, { status: 'queued', failures, nextAttemptAt, problem: outcome.problem });
        return false;
      }
    }
  }

  async #save(item: OutboxItem, patch: Partial<OutboxItem>): Promise<void> {
    Object.assign(item, patch);
    await this.#options.db.put(item);
    this.#items.set(item.id, item);
    this.#changed();
  }

  /** Copies, so a view holding the last list sees a changed item as a new object. */
  #changed(): void {
    this.#options.onChange?.(this.items().map((item) => ({ ...item })));
  }
}
