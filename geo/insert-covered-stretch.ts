// The covered stretches of one segment: disjoint intervals along it, each with the time last covered.

/** [start, end] metres along a segment, last covered at t. */
export interface CoveredStretch {
  start: number;
  end: number;
  t: number;
}

/** Joins touching stretches whose times fall in the same `resolutionMs` bucket (keeping the later time). */
function mergeAdjacent(stretches: CoveredStretch[], resolutionMs: number): CoveredStretch[] {
  const out: CoveredStretch[] = [];
  for (const s of stretches) {
    const last = out[out.length - 1];
    if (last && last.end >= s.start && Math.floor(last.t / resolutionMs) === Math.floor(s.t / resolutionMs)) {
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end), t: Math.max(last.t, s.t) };
    } else out.push(s);
  }
  return out;
}

/**
 * Adds the interval [start, end] covered at time t to sorted, disjoint stretches: where it overlaps
 * older stretches their time becomes the later of the two, the rest keep theirs. Stretches older than
 * `notBefore` are dropped; touching stretches in the same `resolutionMs` bucket merge, so the list
 * stays short and a stretch is kept at most `resolutionMs` longer than its window.
 *
 * @example
 * insertCoveredStretch([{ start: 0, end: 100, t: 1 }], 50, 150, 2, 0, 1);
 * // [{ start: 0, end: 50, t: 1 }, { start: 50, end: 150, t: 2 }]
 */
export function insertCoveredStretch(
  stretches: readonly CoveredStretch[],
  start: number,
  end: number,
  t: number,
  notBefore: number,
  resolutionMs: number,
): CoveredStretch[] {
  const out: CoveredStretch[] = [];
  let cursor = start;
  for (const s of stretches) {
    if (s.t < notBefore) continue;
    if (s.end <= start || s.start >= end) {
      out.push(s);
      continue;
    }
    if (s.start < start) out.push({ start: s.start, end: start, t: s.t });
    if (s.start > cursor) out.push({ start: cursor, end: s.start, t });
    const overlapEnd = Math.min(s.end, end);
    out.push({ start: Math.max(s.start, start), end: overlapEnd, t: Math.max(s.t, t) });
    cursor = overlapEnd;
    if (s.end > end) out.push({ start: end, end: s.end, t: s.t });
  }
  if (cursor < end) out.push({ start: cursor, end, t });
  out.sort((a, b) => a.start - b.start);
  return mergeAdjacent(out, resolutionMs);
}
