// Boundary meshes: the edges that two different owners' rings share (a boundary between provinces or countries,
// not a coast), chained into maximal lines. Vertices match exactly, as in a topology; keys are "lon,lat" strings.
import type { Position } from 'geojson';

export const vertexKey = (p: Position): string => `${p[0]},${p[1]}`;
const edgeKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export interface SharedEdge {
  edge: [string, string];
  /** Indices of the owners whose rings use the edge, ascending. */
  owners: number[];
}

/** Edges used by rings of at least two different owners (in either direction), in a stable order. */
export function sharedEdges(owners: readonly (readonly Position[][])[]): SharedEdge[] {
  const users = new Map<string, Set<number>>();
  owners.forEach((rings, owner) => {
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++) {
        const a = vertexKey(ring[i - 1] as Position);
        const b = vertexKey(ring[i] as Position);
        if (a === b) continue;
        const k = edgeKey(a, b);
        users.set(k, (users.get(k) ?? new Set<number>()).add(owner));
      }
  });
  return [...users.entries()]
    .filter(([, set]) => set.size >= 2)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, set]) => ({ edge: k.split('|') as [string, string], owners: [...set].sort((x, y) => x - y) }));
}

/** Chains edges into maximal lines: first from every vertex that is not a simple pass-through, then the loops. */
export function chainEdges(edges: readonly [string, string][]): Position[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) {
    next.set(a, [...(next.get(a) ?? []), b]);
    next.set(b, [...(next.get(b) ?? []), a]);
  }
  const used = new Set<string>();
  const walk = (start: string, first: string): string[] => {
    const line = [start];
    let cur = first;
    used.add(edgeKey(start, cur));
    for (;;) {
      line.push(cur);
      const around = next.get(cur) ?? [];
      const onward = around.find((n) => !used.has(edgeKey(cur, n)));
      if (around.length !== 2 || onward === undefined) return line;
      used.add(edgeKey(cur, onward));
      cur = onward;
    }
  };
  const lines: string[][] = [];
  const vertices = [...next.keys()].sort();
  for (const pass of ['ends', 'loops'] as const)
    for (const v of vertices) {
      if (pass === 'ends' && next.get(v)?.length === 2) continue;
      for (const n of next.get(v) ?? []) if (!used.has(edgeKey(v, n))) lines.push(walk(v, n));
    }
  return lines.map((l) => l.map((k) => k.split(',').map(Number)));
}
