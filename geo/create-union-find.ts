// Disjoint sets over 0…n−1 (union by size, path halving) for single-link clustering.

/** Disjoint-set forest over the integers 0…n−1. */
export interface UnionFind {
  find(i: number): number;
  union(a: number, b: number): void;
}

/**
 * A union-find structure over `n` elements.
 *
 * @example
 * const sets = createUnionFind(3);
 * sets.union(0, 2);
 * sets.find(0) === sets.find(2); // true
 */
export function createUnionFind(n: number): UnionFind {
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    let x = i;
    while (parent[x] !== x) {
      const grand = parent[parent[x] as number] as number;
      parent[x] = grand;
      x = grand;
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if ((size[ra] as number) < (size[rb] as number)) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra] = (size[ra] as number) + (size[rb] as number);
  };
  return { find, union };
}
