// Idempotency keys and local ids for outbox items: made once when the item is created, never again.

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A key the server accepts (printable ASCII, ≤ 128) that no other request will carry: time plus 64 random
 * bits. crypto.getRandomValues works on plain http too (randomUUID needs a secure context).
 */
export function newIdempotencyKey(now: number = Date.now()): string {
  return `tab-${now.toString(36)}-${randomHex(8)}`;
}

/** A local id that sorts in creation order (time first, zero-padded), for the outbox's first-in-first-out. */
export function newItemId(now: number, sequence: number): string {
  return `${now.toString(36).padStart(10, '0')}-${sequence.toString(36).padStart(4, '0')}-${randomHex(4)}`;
}
