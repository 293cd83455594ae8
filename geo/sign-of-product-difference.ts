// Exact sign of a·b − c·d for doubles: the orientation predicate behind point-in-polygon.
const SPLITTER = 134217729; // 2^27 + 1, splits a double into two 26-bit halves
const EPSILON = 1.1102230246251565e-16; // 2^-53
const ERROR_BOUND = (3 + 16 * EPSILON) * EPSILON;

/** Error of the rounded product p = fl(a·b): a·b = p + result exactly (Dekker). */
function productError(a: number, b: number, p: number): number {
  let c = SPLITTER * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  c = SPLITTER * b;
  const bHi = c - (c - b);
  const bLo = b - bHi;
  return aLo * bLo - (p - aHi * bHi - aLo * bHi - aHi * bLo);
}

/** Sign of the exact sum of the terms, by growing a non-overlapping expansion (Shewchuk). */
function signOfSum(terms: number[]): number {
  const expansion: number[] = [];
  for (const term of terms) {
    let q = term;
    let k = 0;
    for (const e of expansion) {
      const sum = q + e;
      const bVirtual = sum - q;
      const error = q - (sum - bVirtual) + (e - bVirtual);
      q = sum;
      if (error !== 0) expansion[k++] = error;
    }
    expansion.length = k;
    if (q !== 0) expansion.push(q);
  }
  const top = expansion[expansion.length - 1] ?? 0;
  return top > 0 ? 1 : top < 0 ? -1 : 0;
}

/**
 * Exact sign (−1, 0 or 1) of a·b − c·d, with no rounding error: a floating-point filter first, an
 * exact expansion only when the rounded result is too close to zero to trust.
 *
 * @example
 * signOfProductDifference(0.1, 0.3, 0.3, 0.1); // 0, although 0.1*0.3 - 0.3*0.1 rounds either way
 */
export function signOfProductDifference(a: number, b: number, c: number, d: number): number {
  const p = a * b;
  const q = c * d;
  const det = p - q;
  if (Math.abs(det) > ERROR_BOUND * (Math.abs(p) + Math.abs(q))) return det > 0 ? 1 : -1;
  const s = p - q;
  const bVirtual = p - s;
  const sError = p - (s + bVirtual) + (bVirtual - q);
  return signOfSum([productError(a, b, p), -productError(c, d, q), sError, s]);
}
