// A packed box tree over the pieces of polylines, with best-first nearest and box searches.

/** Fan-out of the tree: each node covers this many nodes (or pieces) of the level below. */
const FANOUT = 8;

/** What `PieceTree.nearest` looks for. */
export interface NearestQuery {
  /** The query point in the boxes' frame. */
  x: number;
  y: number;
  /** Lowest distance per box-frame unit near the query: box distance × ratio never exceeds a true distance. */
  ratio: number;
  maxDistance: number;
  /** Beyond this best distance, boxes less than a factor (1 + relativeError) nearer are skipped. */
  exactWithin: number;
  relativeError: number;
}

/** A static tree over piece boxes; pieces are grouped in input (line) order. */
export interface PieceTree {
  /**
   * Best-first search: `measure(piece)` returns the piece's distance; the search stops once no box is
   * nearer than the best distance found. Returns the best piece (ties: the lowest `rank(piece)`) or −1
   * when none is within `maxDistance`. Once the best distance exceeds `exactWithin`, the answer may be
   * up to a factor (1 + `relativeError`) farther than the nearest.
   */
  nearest(query: NearestQuery, measure: (piece: number) => number, rank: (piece: number) => number): number;
  /** Pieces whose boxes intersect the box. */
  search(minX: number, minY: number, maxX: number, maxY: number): number[];
}

/** Node boxes (leaves first, root last) and the child range of every inner node. */
interface Tree {
  count: number;
  boxes: Float64Array;
  firstChild: Int32Array;
  endChild: Int32Array;
  heap: Heap;
}

/** A binary min-heap of (node, priority) on typed arrays, owned by one tree and reset per query. */
interface Heap {
  ids: Int32Array;
  priorities: Float64Array;
  size: number;
}

function heapPush(heap: Heap, id: number, priority: number): void {
  if (heap.size === heap.ids.length) {
    heap.ids = Int32Array.from({ length: heap.size * 2 }, (_, k) => heap.ids[k] ?? 0);
    heap.priorities = Float64Array.from({ length: heap.size * 2 }, (_, k) => heap.priorities[k] ?? 0);
  }
  const { ids, priorities } = heap;
  let i = heap.size++;
  for (let parent = (i - 1) >> 1; i > 0 && (priorities[parent] as number) > priority; parent = (i - 1) >> 1) {
    ids[i] = ids[parent] as number;
    priorities[i] = priorities[parent] as number;
    i = parent;
  }
  ids[i] = id;
  priorities[i] = priority;
}

function heapPop(heap: Heap): number {
  const { ids, priorities } = heap;
  const top = ids[0] as number;
  const size = --heap.size;
  const [id, priority] = [ids[size] as number, priorities[size] as number];
  let i = 0;
  for (let child = 1; child < size; child = 2 * i + 1) {
    if (child + 1 < size && (priorities[child + 1] as number) < (priorities[child] as number)) child++;
    if ((priorities[child] as number) >= priority) break;
    ids[i] = ids[child] as number;
    priorities[i] = priorities[child] as number;
    i = child;
  }
  ids[i] = id;
  priorities[i] = priority;
  return top;
}

/** Boxes of all levels, leaves first; levelStarts[L] is the first node of level L. */
function buildLevels(
  pieceBoxes: Float64Array,
  count: number,
): { boxes: Float64Array; levelStarts: number[] } {
  const levelStarts = [0];
  const all: number[] = Array.from(pieceBoxes.subarray(0, count * 4));
  for (let start = 0, size = count; size > 1;) {
    const next = Math.ceil(size / FANOUT);
    for (let n = 0; n < next; n++) {
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      for (let c = start + n * FANOUT, end = Math.min(start + size, c + FANOUT); c < end; c++) {
        for (let k = 0; k < 4; k++)
          box[k] = (k < 2 ? Math.min : Math.max)(box[k] as number, all[4 * c + k] as number);
      }
      all.push(...box);
    }
    start += size;
    size = next;
    levelStarts.push(start);
  }
  return { boxes: Float64Array.from(all), levelStarts };
}

function buildTree(pieceBoxes: Float64Array, count: number): Tree {
  const { boxes, levelStarts } = buildLevels(pieceBoxes, count);
  const nodes = boxes.length / 4;
  const firstChild = new Int32Array(nodes);
  const endChild = new Int32Array(nodes);
  for (let level = 1; level < levelStarts.length; level++) {
    const start = levelStarts[level] as number;
    const below = levelStarts[level - 1] as number;
    for (let node = start; node < (levelStarts[level + 1] ?? nodes); node++) {
      firstChild[node] = below + (node - start) * FANOUT;
      endChild[node] = Math.min(below + (node - start + 1) * FANOUT, start);
    }
  }
  return {
    count,
    boxes,
    firstChild,
    endChild,
    heap: { ids: new Int32Array(64), priorities: new Float64Array(64), size: 0 },
  };
}

function boxDistance(boxes: Float64Array, node: number, qx: number, qy: number): number {
  const dx = Math.max((boxes[4 * node] as number) - qx, qx - (boxes[4 * node + 2] as number), 0);
  const dy = Math.max((boxes[4 * node + 1] as number) - qy, qy - (boxes[4 * node + 3] as number), 0);
  return Math.sqrt(dx * dx + dy * dy);
}

function nearest(
  tree: Tree,
  query: NearestQuery,
  measure: (p: number) => number,
  rank: (p: number) => number,
): number {
  const { boxes, count, firstChild, endChild, heap } = tree;
  const { x, y, ratio, exactWithin } = query;
  const shrink = 1 / (1 + query.relativeError);
  let [best, bestDistance, bound] = [-1, query.maxDistance, query.maxDistance];
  heap.size = 0;
  if (count > 0) heapPush(heap, boxes.length / 4 - 1, boxDistance(boxes, boxes.length / 4 - 1, x, y) * ratio);
  while (heap.size > 0 && (heap.priorities[0] as number) <= bound) {
    const node = heapPop(heap);
    if (node < count) {
      const d = measure(node);
      if (d < bestDistance || (d === bestDistance && (best < 0 || rank(node) < rank(best)))) {
        best = node;
        bestDistance = d;
        bound = d > exactWithin ? d * shrink : d;
      }
      continue;
    }
    for (let c = firstChild[node] as number, end = endChild[node] as number; c < end; c++) {
      const lower = boxDistance(boxes, c, x, y) * ratio;
      if (lower <= bound) heapPush(heap, c, lower);
    }
  }
  return best;
}

function search(tree: Tree, minX: number, minY: number, maxX: number, maxY: number): number[] {
  const { boxes, count, firstChild, endChild } = tree;
  const found: number[] = [];
  const stack = count > 0 ? [boxes.length / 4 - 1] : [];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if ((boxes[4 * node] as number) > maxX || (boxes[4 * node + 1] as number) > maxY) continue;
    if ((boxes[4 * node + 2] as number) < minX || (boxes[4 * node + 3] as number) < minY) continue;
    if (node < count) found.push(node);
    else for (let c = firstChild[node] as number; c < (endChild[node] as number); c++) stack.push(c);
  }
  return found;
}

/**
 * Builds a packed tree (fan-out 8) over `count` piece boxes (minX, minY, maxX, maxY each). Pieces are
 * grouped in input order, which keeps the boxes tight for polylines, whose consecutive pieces touch;
 * layers of many short lines in random order still work, with looser boxes. Not reentrant: one query
 * at a time (the search heap is reused).
 *
 * @example
 * const tree = buildPieceTree(new Float64Array([0, 0, 1, 1, 1, 1, 2, 2]), 2);
 * tree.search(1.5, 1.5, 3, 3); // [1]
 */
export function buildPieceTree(pieceBoxes: Float64Array, count: number): PieceTree {
  const tree = buildTree(pieceBoxes, count);
  return {
    nearest: (query, measure, rank) => nearest(tree, query, measure, rank),
    search: (minX, minY, maxX, maxY) => search(tree, minX, minY, maxX, maxY),
  };
}
