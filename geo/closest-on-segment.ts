// Closest point of a straight lon/lat segment to a point, in a local metric frame.

/**
 * Parameter t ∈ [0, 1] of the point of segment A→B (straight in lon/lat, as RFC 7946 draws lines)
 * closest to (lon, lat), measured in a local frame scaled by `kx`, `ky` metres per degree (see
 * `metersPerDegree`). The closest point is A + t·(B − A).
 *
 * @example
 * const { x, y } = metersPerDegree(22.1);
 * closestOnSegment(106.75, 22.1005, 106.74, 22.1, 106.76, 22.1, x, y); // 0.5
 */
export function closestOnSegment(
  lon: number,
  lat: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  kx: number,
  ky: number,
): number {
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return 0;
  const t = ((lon - ax) * kx * dx + (lat - ay) * ky * dy) / lengthSquared;
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}
