// Groups the nodes of an adjacency graph into k contiguous clusters of similar size by region growing from
// seeds, then evens the sizes out by moving border nodes between neighbouring clusters.
import type { Position } from 'geojson';
import type { Rng } from './prng';

export interface Node {
  at: Position; // planar position (projected or lon/lat scaled), used for distances only
  weight: number;
}

function dist2(a: Position, b: Position): number {
  const dx = (a[0] as number) - (b[0] as number);
  const dy = (a[1] as number) - (b[1] as number);
  return dx * dx + dy * dy;
}

/** k seeds by a few rounds of k-means on the node positions; returns node indices (distinct). */
export function kmeansSeeds(nodes: readonly Node[], k: number, rng: Rng, rounds = 12): number[] {
  let centers: Position[] = rng.sample(nodes, k).map((n) => n.at);
  for (let r = 0; r < rounds; r++) {
    const sum = centers.map(() => [0, 0, 0]);
    for (const n of nodes) {
      let best = 0;
      centers.forEach((c, i) => {
        if (dist2(n.at, c) < dist2(n.at, centers[best] as Position)) best = i;
      });
      const s = sum[best] as number[];
      s[0] = (s[0] as number) + (n.at[0] as number);
      s[1] = (s[1] as number) + (n.at[1] as number);
      s[2] = (s[2] as number) + 1;
    }
    centers = centers.map((c, i) => {
      const [sx, sy, n] = sum[i] as [number, number, number];
      return n ? [sx / n, sy / n] : c;
    });
  }
  return nearestDistinct(nodes, centers);
}

/** For each target position, the nearest node not already chosen (targets taken in order). */
export function nearestDistinct(nodes: readonly Node[], targets: readonly Position[]): number[] {
  const taken = new Set<number>();
  return targets.map((t) => {
    let best = -1;
    nodes.forEach((n, i) => {
      if (taken.has(i)) return;
      if (best < 0 || dist2(n.at, t) < dist2((nodes[best] as Node).at, t)) best = i;
    });
    if (best < 0) throw new Error('more seeds than nodes');
    taken.add(best);
    return best;
  });
}

/**
 * Returns the cluster index of every node; cluster i grows from seeds[i], one node at a time, always by the
 * free neighbour with the lowest cost = distance to the cluster's centre × (size / mean size)^balance.
 * balance 0 grows by proximity alone (compact, uneven sizes); larger values even the sizes out.
 * Each cluster is connected by construction.
 */
export function growClusters(
  nodes: readonly Node[],
  adj: readonly number[][],
  seeds: readonly number[],
  balance = 1,
): number[] {
  const groupOf = nodes.map(() => -1);
  const size = seeds.map(() => 0);
  const sumX = seeds.map(() => 0);
  const sumY = seeds.map(() => 0);
  const mean = nodes.reduce((s, n) => s + n.weight, 0) / seeds.length;
  const take = (node: number, g: number): void => {
    const n = nodes[node] as Node;
    groupOf[node] = g;
    size[g] = (size[g] as number) + n.weight;
    sumX[g] = (sumX[g] as number) + (n.at[0] as number) * n.weight;
    sumY[g] = (sumY[g] as number) + (n.at[1] as number) * n.weight;
  };
  seeds.forEach((s, g) => take(s, g));
  for (let left = nodes.length - seeds.length; left > 0; left--) {
    let best = -1;
    let bestGroup = -1;
    let bestCost = Infinity;
    for (let node = 0; node < nodes.length; node++) {
      const g = groupOf[node] as number;
      if (g < 0) continue;
      const centre: Position = [
        (sumX[g] as number) / (size[g] as number),
        (sumY[g] as number) / (size[g] as number),
      ];
      const factor = ((size[g] as number) / mean) ** balance;
      for (const nb of adj[node] ?? []) {
        if (groupOf[nb] !== -1) continue;
        const cost = Math.sqrt(dist2((nodes[nb] as Node).at, centre)) * factor;
        if (cost < bestCost) [best, bestGroup, bestCost] = [nb, g, cost];
      }
    }
    if (best < 0) throw new Error('graph is not connected: nodes left that no cluster can reach');
    take(best, bestGroup);
  }
  return groupOf;
}

function connectedWithout(
  groupOf: readonly number[],
  adj: readonly number[][],
  g: number,
  removed: number,
): boolean {
  const members: number[] = [];
  groupOf.forEach((x, i) => {
    if (x === g && i !== removed) members.push(i);
  });
  if (members.length === 0) return false;
  const seen = new Set<number>([members[0] as number]);
  const stack = [members[0] as number];
  while (stack.length) {
    const n = stack.pop() as number;
    for (const nb of adj[n] ?? [])
      if (nb !== removed && groupOf[nb] === g && !seen.has(nb)) {
        seen.add(nb);
        stack.push(nb);
      }
  }
  return seen.size === members.length;
}

/**
 * Evens out cluster sizes: moves a border node from a cluster to a neighbouring one at least two units
 * smaller, as long as the donor stays connected. Returns a new assignment; contiguity is preserved.
 */
export function balanceClusters(
  nodes: readonly Node[],
  adj: readonly number[][],
  clusterOf: readonly number[],
  passes = 20,
): number[] {
  const groupOf = clusterOf.slice();
  const k = Math.max(...groupOf) + 1;
  const size = Array.from({ length: k }, () => 0);
  nodes.forEach((n, i) => (size[groupOf[i] as number] = (size[groupOf[i] as number] as number) + n.weight));
  for (let pass = 0; pass < passes; pass++) {
    let moved = 0;
    for (let i = 0; i < nodes.length; i++) {
      const from = groupOf[i] as number;
      const w = (nodes[i] as Node).weight;
      let to = -1;
      for (const nb of adj[i] ?? []) {
        const g = groupOf[nb] as number;
        if (g === from) continue;
        if ((size[g] as number) + w > (size[from] as number) - w) continue; // must strictly even things out
        if (to < 0 || (size[g] as number) < (size[to] as number)) to = g;
      }
      if (to < 0 || !connectedWithout(groupOf, adj, from, i)) continue;
      groupOf[i] = to;
      size[from] = (size[from] as number) - w;
      size[to] = (size[to] as number) + w;
      moved++;
    }
    if (moved === 0) break;
  }
  return groupOf;
}
