// The rectangle inside which GCJ-02 applies its offset: outside it the datum is plain WGS-84.

/**
 * True where GCJ-02 applies no offset: outside the rectangle lon 72.004–137.8347, lat 0.8293–55.8271 that
 * vendors use as "China". It is a rectangle, not the border: Hanoi and Seoul are inside it and get shifted.
 *
 * @example
 * isOutsideChina(116.39, 39.91); // false (Beijing)
 * isOutsideChina(139.69, 35.69); // true (Tokyo)
 */
export function isOutsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}
