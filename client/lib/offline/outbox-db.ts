// The outbox's IndexedDB store (one object store keyed by item id), with an in-memory stand-in for browsers
// that refuse IndexedDB (private modes): the UI then says items will not survive a reload.
import type { OutboxItem } from './outbox-item';

export interface OutboxDb {
  /** Whether a reload keeps what was put. */
  readonly durable: boolean;
  all(): Promise<OutboxItem[]>;
  get(id: string): Promise<OutboxItem | undefined>;
  /** Resolves once the write is committed ("strict" durability where the browser supports it). */
  put(item: OutboxItem): Promise<void>;
  delete(id: string): Promise<void>;
  close(): void;
}

export const OUTBOX_DB_NAME = 'lianfang-outbox';
const STORE = 'items';
const VERSION = 1;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function openOutboxDb(
  factory: IDBFactory = indexedDB,
  name: string = OUTBOX_DB_NAME,
): Promise<OutboxDb> {
  const open = factory.open(name, VERSION);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE))
      open.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  const db = await request(open);
  // A dead battery between "saved" and the disk is what we guard against: ask for a flushed commit.
  const write = (): IDBTransaction => db.transaction(STORE, 'readwrite', { durability: 'strict' });
  return {
    durable: true,
    all: async () => (await request(db.transaction(STORE).objectStore(STORE).getAll())) as OutboxItem[],
    get: async (id) =>
      (await request(db.transaction(STORE).objectStore(STORE).get(id))) as OutboxItem | undefined,
    async put(item) {
      const tx = write();
      tx.objectStore(STORE).put(item);
      await committed(tx);
    },
    async delete(id) {
      const tx = write();
      tx.objectStore(STORE).delete(id);
      await committed(tx);
    },
    close: () => db.close(),
  };
}

/** Keeps items for this page's life only. */
export function memoryOutboxDb(): OutboxDb {
  const items = new Map<string, OutboxItem>();
  return {
    durable: false,
    all: async () => [...items.values()].map((item) => structuredClone(item)),
    get: async (id) => {
      const item = items.get(id);
      return item && structuredClone(item);
    },
    put: async (item) => void items.set(item.id, structuredClone(item)),
    delete: async (id) => void items.delete(id),
    close: () => undefined,
  };
}
