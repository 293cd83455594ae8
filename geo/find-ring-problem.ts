// Topology checks the structural validator cannot see: rings that cross themselves or each other, and
// holes that lie outside their shell. Pure; O(n log n + k) sweep over a polygon's edges.
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface RingProblem {
  /** Path below the geometry, e.g. `coordinates[0]` or `coordinates[2][1]` for a MultiPolygon. */
  path: string;
  message: string;
}

interface Edge {
  ring: number;
  index: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  minX: number;
  maxX: number;
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const value = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

/** Proper crossings and overlaps; edges that merely share an endpoint are adjacent, not crossing. */
function cross(e: Edge, f: Edge): boolean {
  const o1 = orientation(e.ax, e.ay, e.bx, e.by, f.ax, f.ay);
  const o2 = orientation(e.ax, e.ay, e.bx, e.by, f.bx, f.by);
  const o3 = orientation(f.ax, f.ay, f.bx, f.by, e.ax, e.ay);
  const o4 = orientation(f.ax, f.ay, f.bx, f.by, e.bx, e.by);
  if (o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return true;
  // Collinear overlap (more than a shared point) also makes the ring invalid.
  if (o1 === 0 && o2 === 0) {
    const shared = (x: number, y: number): boolean =>
      (x === e.ax && y === e.ay) || (x === e.bx && y === e.by);
    const inside = (x: number, y: number): boolean =>
      onSegment(e.ax, e.ay, e.bx, e.by, x, y) && !shared(x, y);
    return inside(f.ax, f.ay) || inside(f.bx, f.by);
  }
  return false;
}

function edgesOf(rings: Position[][]): Edge[] {
  const edges: Edge[] = [];
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      if (ax === bx && ay === by) continue; // repeated vertex: harmless
      edges.push({ ring: r, index: i, ax, ay, bx, by, minX: Math.min(ax, bx), maxX: Math.max(ax, bx) });
    }
  });
  return edges.sort((a, b) => a.minX - b.minX);
}

function adjacent(e: Edge, f: Edge, rings: Position[][]): boolean {
  if (e.ring !== f.ring) return false;
  const last = (rings[e.ring]?.length ?? 0) - 2;
  const d = Math.abs(e.index - f.index);
  return d === 1 || d === last;
}

function firstCrossing(rings: Position[][]): [Edge, Edge] | null {
  const edges = edgesOf(rings);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i] as Edge;
    for (let j = i + 1; j < edges.length && (edges[j] as Edge).minX <= e.maxX; j++) {
      const f = edges[j] as Edge;
      if (Math.max(e.ay, e.by) < Math.min(f.ay, f.by) || Math.max(f.ay, f.by) < Math.min(e.ay, e.by))
        continue;
      if (!adjacent(e, f, rings) && cross(e, f)) return [e, f];
    }
  }
  return null;
}

function insideRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** An edge spanning more than 180° of longitude wraps around the antimeridian: planar tools misread it. */
function antimeridianEdge(rings: Position[][], prefix: string): RingProblem | null {
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r] as Position[];
    for (let i = 0; i + 1 < ring.length; i++) {
      if (Math.abs((ring[i + 1]?.[0] ?? 0) - (ring[i]?.[0] ?? 0)) > 180) {
        return {
          path: `${prefix}[${r}]`,
          message: `edge ${i} crosses the antimeridian: cut the ring at ±180° (RFC 7946 §3.1.9)`,
        };
      }
    }
  }
  return null;
}

function polygonProblem(rings: Position[][], prefix: string): RingProblem | null {
  const wrapped = antimeridianEdge(rings, prefix);
  if (wrapped) return wrapped;
  const crossing = firstCrossing(rings);
  if (crossing) {
    const [e, f] = crossing;
    const where = e.ring === f.ring ? `ring ${e.ring} crosses itself` : `rings ${e.ring} and ${f.ring} cross`;
    return {
      path: `${prefix}[${e.ring}]`,
      message: `self-intersection: ${where} (edges ${e.index} and ${f.index}, near ${f.ax}, ${f.ay})`,
    };
  }
  const shell = rings[0] ?? [];
  for (let h = 1; h < rings.length; h++) {
    // Rings do not cross, so one vertex tells on which side of the shell a hole lies.
    const [x, y] = (rings[h] as Position[])[0] as [number, number];
    if (!insideRing(x, y, shell))
      return { path: `${prefix}[${h}]`, message: `hole ${h} lies outside its shell` };
  }
  return null;
}

/**
 * The first topology problem of a polygon, or null: edges across the antimeridian, self-intersecting
 * rings, rings crossing each other, holes outside their shell.
 * @example
 * findRingProblem({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] });
 * // { path: 'coordinates[0]', message: 'self-intersection: ring 0 crosses itself (…)' }
 */
export function findRingProblem(geometry: Polygon | MultiPolygon): RingProblem | null {
  if (geometry.type === 'Polygon') return polygonProblem(geometry.coordinates, 'coordinates');
  for (let p = 0; p < geometry.coordinates.length; p++) {
    const problem = polygonProblem(geometry.coordinates[p] as Position[][], `coordinates[${p}]`);
    if (problem) return problem;
  }
  return null;
}
