// A packed box tree over the pieces of polylines, with best-first nearest and box searches.

/** Fan-out of the tree: each node covers this many nodes (or pieces) of the level below. */
const FANOUT = 8;

/** A static tree over piece boxes; pieces are grouped in input (line) order. */
export interface PieceTree {
  /**
   * Best-first search: `measure(piece)` returns the piece's distance; the search stops once no box is
   * nearer than the best distance found, given `ratio` = lowest distance per box-frame unit.
   * Returns the best piece (ties: the lowest `rank(piece)`) or −1 when none is within `maxDistance`.
   * Once the best distance exceeds `exactWithin`, boxes less than a factor (1 + `relativeError`)
   * nearer are skipped: the answer is then at most that factor farther than the nearest.
   */
  nearest(
    query: { x: number; y: number; ratio: number; maxDistance: number; exactWithin: number; relativeError: number },
    measure: (piece: number) => number,
    rank: (piece: number) => number,
  ): number;
  /** Pieces whose boxes intersect the box. */
  search(minX: number, minY: number, maxX: number, maxY: number): number[];
}

/** A binary min-heap of (node, priority) on typed arrays, reused across queries (never shared between calls). */
function createHeap() {
  let ids = new Int32Array(64);
  let priorities = new Float64Array(64);
  let size = 0;
  const push = (id: number, priority: number): void => {
    if (size === ids.length) {
      ids = Int32Array.from({ length: size * 2 }, (_, k) => ids[k] ?? 0);
      priorities = Float64Array.from({ length: size * 2 }, (_, k) => priorities[k] ?? 0);
    }
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((priorities[parent] as number) <= priority) break;
      ids[i] = ids[parent] as number;
      priorities[i] = priorities[parent] as number;
      i = parent;
    }
    ids[i] = id;
    priorities[i] = priority;
  };
  const pop = (): number => {
    const top = ids[0] as number;
    size--;
    const id = ids[size] as number;
    const priority = priorities[size] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && (priorities[child + 1] as number) < (priorities[child] as number)) child++;
      if ((priorities[child] as number) >= priority) break;
      ids[i] = ids[child] as number;
      priorities[i] = priorities[child] as number;
      i = child;
    }
    ids[i] = id;
    priorities[i] = priority;
    return top;
  };
  return {
    push,
    pop,
    peek: (): number => (size > 0 ? (priorities[0] as number) : Infinity),
    clear: (): void => void (size = 0),
  };
}

/** Boxes of all levels, leaves first; levelStarts[L] is the first node of level L. */
function buildLevels(pieceBoxes: Float64Array, count: number): { boxes: Float64Array; levelStarts: number[] } {
  const levelStarts = [0];
  const all: number[] = Array.from(pieceBoxes.subarray(0, count * 4));
  for (let start = 0, size = count; size > 1; ) {
    const next = Math.ceil(size / FANOUT);
    for (let n = 0; n < next; n++) {
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      for (let c = start + n * FANOUT, end = Math.min(start + size, c + FANOUT); c < end; c++) {
        for (let k = 0; k < 4; k++) box[k] = (k < 2 ? Math.min : Math.max)(box[k] as number, all[4 * c + k] as number);
      }
      all.push(...box);
    }
    start += size;
    size = next;
    levelStarts.push(start);
  }
  return { boxes: Float64Array.from(all), levelStarts };
}

/**
 * Builds a packed tree (fan-out 8) over `count` piece boxes (minX, minY, maxX, maxY each). Pieces are
 * grouped in input order, which keeps the boxes tight for polylines, whose consecutive pieces touch.
 *
 * @example
 * const tree = buildPieceTree(new Float64Array([0, 0, 1, 1, 1, 1, 2, 2]), 2);
 * tree.search(1.5, 1.5, 3, 3); // [1]
 */
export function buildPieceTree(pieceBoxes: Float64Array, count: number): PieceTree {
  const { boxes, levelStarts } = buildLevels(pieceBoxes, count);
  const nodes = boxes.length / 4;
  const firstChild = new Int32Array(nodes);
  for (let level = 1; level < levelStarts.length; level++) {
    const [start, end, below] = [levelStarts[level], levelStarts[level + 1] ?? nodes, levelStarts[level - 1]] as number[];
    for (let node = start as number; node < (end as number); node++) firstChild[node] = (below as number) + (node - (start as number)) * FANOUT;
  }
  const childEnd = (node: number): number => {
    let level = 1;
    while ((levelStarts[level + 1] ?? nodes) <= node) level++;
    return Math.min((firstChild[node] as number) + FANOUT, levelStarts[level] as number);
  };
  const lastChild = Int32Array.from({ length: nodes }, (_, node) => (node < count ? 0 : childEnd(node)));
  const boxDistance = (node: number, qx: number, qy: number): number => {
    const dx = Math.max((boxes[4 * node] as number) - qx, qx - (boxes[4 * node + 2] as number), 0);
    const dy = Math.max((boxes[4 * node + 1] as number) - qy, qy - (boxes[4 * node + 3] as number), 0);
    return Math.sqrt(dx * dx + dy * dy);
  };
  const root = nodes - 1;
  const heap = createHeap();

  const nearest: PieceTree['nearest'] = (query, measure, rank) => {
    const { x: qx, y: qy, ratio, exactWithin } = query;
    const shrink = 1 / (1 + query.relativeError);
    heap.clear();
    let best = -1;
    let bestDistance = query.maxDistance;
    let bound = bestDistance;
    if (count > 0) heap.push(root, boxDistance(root, qx, qy) * ratio);
    while (heap.peek() <= bound) {
      const node = heap.pop();
      if (node < count) {
        const d = measure(node);
        if (d < bestDistance || (d === bestDistance && (best < 0 || rank(node) < rank(best)))) {
          best = node;
          bestDistance = d;
          bound = d > exactWithin ? d * shrink : d;
        }
        continue;
      }
      for (let c = firstChild[node] as number, end = lastChild[node] as number; c < end; c++) {
        const lower = boxDistance(c, qx, qy) * ratio;
        if (lower <= bound) heap.push(c, lower);
      }
    }
    return best;
  };

  const search: PieceTree['search'] = (minX, minY, maxX, maxY) => {
    const found: number[] = [];
    const stack = count > 0 ? [root] : [];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if ((boxes[4 * node] as number) > maxX || (boxes[4 * node + 1] as number) > maxY) continue;
      if ((boxes[4 * node + 2] as number) < minX || (boxes[4 * node + 3] as number) < minY) continue;
      if (node < count) found.push(node);
      else for (let c = firstChild[node] as number, end = lastChild[node] as number; c < end; c++) stack.push(c);
    }
    return found;
  };
  return { nearest, search };
}
