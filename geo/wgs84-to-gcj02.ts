// WGS-84 → GCJ-02 ("Mars coordinates" of Chinese web maps): the published forward formula. GCJ-02 is WGS-84 plus a
// deterministic, smoothly varying offset of a few hundred metres inside a rectangle around China; Lianfang stores
// WGS-84 and uses this for data that arrives in GCJ-02 and for drawing over GCJ-02 basemaps.
import { isOutsideChina } from './is-outside-china';

/** Krasovsky 1940 ellipsoid, which the published formula uses. */
const SEMI_MAJOR_AXIS_M = 6378245.0;
const ECCENTRICITY_SQUARED = 0.006693421622965943;
const DEG = Math.PI / 180;

/** The formula's polynomial-plus-sines in "metres", for the latitude offset; x, y relative to 105 E, 35 N. */
function rawLatOffset(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** The same for the longitude offset. */
function rawLonOffset(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** The GCJ-02 offset (degrees) at a WGS-84 position inside the rectangle. */
function offsetDeg(lon: number, lat: number): [number, number] {
  const x = lon - 105;
  const y = lat - 35;
  const sinLat = Math.sin(lat * DEG);
  const w = 1 - ECCENTRICITY_SQUARED * sinLat * sinLat;
  const sqrtW = Math.sqrt(w);
  // metres → degrees on the Krasovsky ellipsoid: meridian radius M and prime-vertical radius N
  const meridianRadius = (SEMI_MAJOR_AXIS_M * (1 - ECCENTRICITY_SQUARED)) / (w * sqrtW);
  const primeVerticalRadius = SEMI_MAJOR_AXIS_M / sqrtW;
  const dLat = rawLatOffset(x, y) / (meridianRadius * DEG);
  const dLon = rawLonOffset(x, y) / (primeVerticalRadius * Math.cos(lat * DEG) * DEG);
  return [dLon, dLat];
}

/**
 * Converts a WGS-84 position to GCJ-02 (the published forward formula). Identity outside the
 * {@link isOutsideChina} rectangle.
 *
 * @example
 * wgs84ToGcj02(116.391275, 39.907105); // ≈ [116.397516, 39.908506] (天安门: ~+533 m E, ~+156 m N)
 */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  const [dLon, dLat] = offsetDeg(lon, lat);
  return [lon + dLon, lat + dLat];
}
