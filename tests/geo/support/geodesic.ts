// Reference geodesics for tests: Vincenty's inverse formula on WGS-84 and a point-to-line search.
import type { Position } from 'geojson';

const A = 6378137;
const F = 1 / 298.257223563;
const B = A * (1 - F);
const RAD = Math.PI / 180;

/** Geodesic distance in metres (Vincenty 1975, iterated to 1e-13 rad; sub-millimetre here). */
export function vincentyMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const L = (lon2 - lon1) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
  const [sinU1, cosU1, sinU2, cosU2] = [Math.sin(U1), Math.cos(U1), Math.sin(U2), Math.cos(U2)];
  let lambda = L;
  for (let iteration = 0; iteration < 200; iteration++) {
    const [sinL, cosL] = [Math.sin(lambda), Math.cos(lambda)];
    const sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const previous = lambda;
    lambda =
      L +
      (1 - C) *
        F *
        sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - previous) < 1e-13) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const a = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const b = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma =
        b *
        sinSigma *
        (cos2SigmaM +
          (b / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM ** 2) -
              (b / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
      return B * a * (sigma - deltaSigma);
    }
  }
  throw new Error('Vincenty did not converge (nearly antipodal points)');
}

/** Minimum geodesic distance from a point to a lon/lat-straight segment (golden-section search). */
export function geodesicToSegment(p: Position, a: Position, b: Position): number {
  const [px = 0, py = 0] = p;
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  const at = (t: number): number => vincentyMeters(px, py, ax + t * (bx - ax), ay + t * (by - ay));
  const g = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = [0, 1];
  let [x1, x2] = [hi - g * (hi - lo), lo + g * (hi - lo)];
  let [f1, f2] = [at(x1), at(x2)];
  for (let i = 0; i < 80; i++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = at(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = at(x2);
    }
  }
  return Math.min(at(0), at(1), at((lo + hi) / 2));
}

/** Minimum geodesic distance from a point to a polyline, checking only segments that could be nearest. */
export function geodesicToLine(
  p: Position,
  line: Position[],
  approximate: (a: Position, b: Position) => number,
): number {
  const approx = line.slice(1).map((b, i) => approximate(line[i] as Position, b));
  const best = Math.min(...approx);
  let result = Infinity;
  approx.forEach((d, i) => {
    if (d <= best * 1.05 + 1)
      result = Math.min(result, geodesicToSegment(p, line[i] as Position, line[i + 1] as Position));
  });
  return result;
}
