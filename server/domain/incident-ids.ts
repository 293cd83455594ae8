// Monotonic ULIDs for the closed loop: ids made in the same millisecond still sort in creation order,
// so "newest first" lists and ULID cursors follow the order things happened (the ULID monotonic factory).
import { newId } from './ids';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let last = '';

/** The id after `id`: its random part plus one, in Crockford base32. */
function increment(id: string): string {
  const chars = id.split('');
  for (let i = chars.length - 1; i >= 10; i--) {
    const value = ALPHABET.indexOf(chars[i] ?? '0');
    if (value < ALPHABET.length - 1) {
      chars[i] = ALPHABET[value + 1] ?? '0';
      return chars.join('');
    }
    chars[i] = '0';
  }
  throw new RangeError('ULID random part overflow');
}

/** A ULID for `ms` that sorts after every id this process made before (even if the clock went back). */
export function nextId(ms: number): string {
  const fresh = newId(ms);
  last = fresh > last ? fresh : increment(last);
  return last;
}
