// Small planar geometry helpers shared by the scenario generators: ring cleaning, rounding, winding,
// a local equirectangular projection and feature constructors with a top-level string id.
import type { Feature, Geometry, MultiPolygon, Polygon, Position } from 'geojson';

export type Ring = Position[];
export type Area = Polygon | MultiPolygon;

export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r; // never -0
}

export function samePos(a: Position | undefined, b: Position | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

/** Drops repeated vertices and zero-width spikes (A B A), and closes the ring. */
export function cleanRing(ring: readonly Position[]): Ring {
  const out: Ring = [];
  for (const p of ring) if (!samePos(out[out.length - 1], p)) out.push([p[0] as number, p[1] as number]);
  if (out.length > 1 && samePos(out[0], out[out.length - 1])) out.pop();
  let changed = true;
  while (changed && out.length >= 3) {
    changed = false;
    for (let i = 0; i < out.length && out.length >= 3; i++) {
      const prev = out[(i - 1 + out.length) % out.length];
      const next = out[(i + 1) % out.length];
      if (samePos(prev, next)) {
        // remove the spike tip and one copy of its base
        const drop = [i, (i + 1) % out.length].sort((x, y) => y - x);
        for (const k of drop) out.splice(k, 1);
        changed = true;
      } else if (samePos(out[i], next)) {
        out.splice(i, 1);
        changed = true;
      }
    }
  }
  const first = out[0];
  if (first) out.push([first[0] as number, first[1] as number]);
  return out;
}

/** Shoelace area in coordinate units; positive when counter-clockwise. */
export function signedArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    s += (a[0] as number) * (b[1] as number) - (b[0] as number) * (a[1] as number);
  }
  return s / 2;
}

/** Polygons of an areal geometry as a list of ring lists. */
export function polygonsOf(g: Area): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function normalisePolygon(rings: Position[][], digits: number): Position[][] | null {
  const out: Position[][] = [];
  for (const [k, ring] of rings.entries()) {
    const cleaned = cleanRing(
      ring.map((p) => [roundTo(p[0] as number, digits), roundTo(p[1] as number, digits)]),
    );
    if (cleaned.length < 4 || signedArea(cleaned) === 0) {
      if (k === 0) return null;
      continue;
    }
    const ccw = signedArea(cleaned) > 0;
    if ((k === 0) !== ccw) cleaned.reverse(); // RFC 7946: exterior counter-clockwise, holes clockwise
    out.push(cleaned);
  }
  return out;
}

/** Rounds every coordinate, drops degenerate rings and fixes the winding (RFC 7946 right-hand rule). */
export function normaliseArea(g: Area, digits: number): Area {
  const polys = polygonsOf(g)
    .map((p) => normalisePolygon(p, digits))
    .filter((p): p is Position[][] => p !== null);
  if (polys.length === 0) throw new Error('geometry vanished when rounded');
  if (polys.length === 1) return { type: 'Polygon', coordinates: polys[0] as Position[][] };
  return { type: 'MultiPolygon', coordinates: polys };
}

/** Rounds any geometry for output; areal geometries are also cleaned and rewound. */
export function roundGeometry(g: Geometry, digits = 6): Geometry {
  const r = (p: Position): Position => [roundTo(p[0] as number, digits), roundTo(p[1] as number, digits)];
  const line = (l: Position[]): Position[] => l.map(r).filter((p, i, a) => i === 0 || !samePos(a[i - 1], p));
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: r(g.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map(r) };
    case 'LineString':
      return { type: 'LineString', coordinates: line(g.coordinates) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map(line) };
    case 'Polygon':
    case 'MultiPolygon':
      return normaliseArea(g, digits);
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((x) => roundGeometry(x, digits)) };
  }
}

/** Local equirectangular projection (x scaled by cos of the reference latitude), for planar work in degrees. */
export interface LocalProjection {
  fwd(p: Position): Position;
  inv(p: Position): Position;
  area(g: Area): Area;
  areaInv(g: Area): Area;
}

export function localProjection(lat0: number): LocalProjection {
  const k = Math.cos((lat0 * Math.PI) / 180);
  const fwd = (p: Position): Position => [(p[0] as number) * k, p[1] as number];
  const inv = (p: Position): Position => [(p[0] as number) / k, p[1] as number];
  const mapArea = (g: Area, f: (p: Position) => Position): Area =>
    g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(f)) }
      : { type: 'MultiPolygon', coordinates: g.coordinates.map((pl) => pl.map((r) => r.map(f))) };
  return { fwd, inv, area: (g) => mapArea(g, fwd), areaInv: (g) => mapArea(g, inv) };
}

export type Props = { id: string } & Record<string, unknown>;

/** A Feature whose top-level id equals properties.id (as every scenario file requires). */
export function feature<G extends Geometry, P extends Props>(geometry: G, properties: P): Feature<G, P> {
  return { type: 'Feature', id: properties.id, properties, geometry };
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
