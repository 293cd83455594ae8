// Local scale of the WGS-84 ellipsoid: metres per degree of longitude and latitude at a latitude.
const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;

/**
 * Metres per degree of longitude (`x`) and latitude (`y`) at `lat`, from the WGS-84 radii of curvature
 * (prime vertical N·cos φ and meridional M). A local equirectangular projection with these factors is
 * accurate to about 1e-5 relative within a few kilometres.
 *
 * @example
 * const { x, y } = metersPerDegree(22.1); // x ≈ 103 200, y ≈ 110 760
 */
export function metersPerDegree(lat: number): { x: number; y: number } {
  const s = Math.sin(lat * RAD);
  const w = 1 - E2 * s * s;
  const n = A / Math.sqrt(w);
  const m = (A * (1 - E2)) / (w * Math.sqrt(w));
  return { x: n * Math.cos(lat * RAD) * RAD, y: m * RAD };
}
