// The page's outbox, opened on first use: sends with the session's tokens (refreshed by api.ts), wakes up
// when the browser says the link is back or the page is shown again, and keeps its items as state for panels.
import { refreshSession } from '../net/api';
import { session } from '../state/session.svelte';
import { createDeliver } from './delivery';
import { Outbox } from './outbox';
import { memoryOutboxDb, openOutboxDb } from './outbox-db';
import type { OutboxDraft, OutboxItem } from './outbox-item';
import { createTransport } from './transport';

/** One sender across this browser's tabs; each tab still shows every item. */
function acrossTabs(): ((fn: () => Promise<void>) => Promise<void>) | undefined {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return undefined;
  return (fn) => navigator.locks.request('lianfang-outbox', fn);
}

class OutboxStore {
  /** Every item, oldest first. */
  items = $state.raw<OutboxItem[]>([]);
  /** False when IndexedDB is refused (private browsing): items then last only as long as this page. */
  durable = $state(true);
  #opening: Promise<Outbox> | null = null;

  /** Items of the signed-in user not yet delivered. */
  get waiting(): number {
    const me = session.current?.user.id;
    return this.items.filter((i) => i.userId === me && (i.status === 'queued' || i.status === 'sending'))
      .length;
  }

  #open(): Promise<Outbox> {
    this.#opening ??= (async () => {
      const db = await openOutboxDb().catch(() => memoryOutboxDb());
      this.durable = db.durable;
      const transport = createTransport({
        token: () => session.current?.token ?? null,
        refresh: refreshSession,
      });
      const outbox = await Outbox.open({
        db,
        deliver: createDeliver(transport),
        owner: () => session.current?.user.id ?? null,
        onChange: (items) => (this.items = items),
        exclusive: acrossTabs(),
      });
      addEventListener('online', () => outbox.kick());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') outbox.kick();
      });
      void outbox.flush();
      return outbox;
    })();
    return this.#opening;
  }

  /** Opens the outbox (and sends what an earlier page left) without waiting. */
  start(): void {
    void this.#open();
  }

  /** Resolves once the item is stored on the device; it is sent when it can be. */
  async enqueue(draft: OutboxDraft): Promise<OutboxItem> {
    return (await this.#open()).enqueue(draft);
  }

  /** The link is back (the socket reconnected): try everything now. */
  kick(): void {
    void this.#open().then((outbox) => outbox.kick());
  }

  retry(id: string): void {
    void this.#open().then((outbox) => outbox.retry(id));
  }

  remove(id: string): void {
    void this.#open().then((outbox) => outbox.remove(id));
  }
}

export const outbox = new OutboxStore();
