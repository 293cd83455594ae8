// GCJ-02 → WGS-84: the iterative inverse of the forward formula (which has no closed-form inverse).
import { isOutsideChina } from './is-outside-china';
import { wgs84ToGcj02 } from './wgs84-to-gcj02';

/** Inverse iterations stop once the forward image is this close to the target (degrees; ~1 mm). */
const INVERSE_TOLERANCE_DEG = 1e-8;
const INVERSE_MAX_ITERATIONS = 20;

/**
 * Converts a GCJ-02 position back to WGS-84. The formula has no closed-form inverse: this is a fixed-point
 * iteration on the forward formula (the offset changes by well under 1 % per degree, so each step gains
 * more than two digits), stopping within about 1 mm. Identity outside the {@link isOutsideChina} rectangle.
 *
 * @example
 * gcj02ToWgs84(116.397516, 39.908506); // ≈ [116.391275, 39.907105]
 */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    const eLon = gLon - lon;
    const eLat = gLat - lat;
    wLon -= eLon;
    wLat -= eLat;
    if (Math.abs(eLon) < INVERSE_TOLERANCE_DEG && Math.abs(eLat) < INVERSE_TOLERANCE_DEG) break;
  }
  return [wLon, wLat];
}
