// Sparkline geometry: day curves (x in hours 0–24) to SVG path data on one shared y scale; gaps stay gaps.
export interface CurvePoint {
  x: number;
  y: number | null;
}

export interface SparkBox {
  width: number;
  height: number;
  /** Inset so the stroke is not clipped at the edges. */
  pad: number;
}

/** The y range both curves share: from 0 (figures here are counts, rates, hours) to the largest value. */
export function yRange(...curves: readonly (readonly CurvePoint[])[]): [number, number] {
  let max = 0;
  for (const curve of curves) for (const p of curve) if (p.y !== null && p.y > max) max = p.y;
  return [0, max > 0 ? max : 1];
}

function toXY(p: { x: number; y: number }, range: [number, number], box: SparkBox): [number, number] {
  const [lo, hi] = range;
  const w = box.width - 2 * box.pad;
  const h = box.height - 2 * box.pad;
  return [box.pad + (Math.min(Math.max(p.x, 0), 24) / 24) * w, box.pad + h - ((p.y - lo) / (hi - lo)) * h];
}

/** Where the last value of a curve sits, or null when it has none. */
export function lastPoint(
  curve: readonly CurvePoint[],
  range: [number, number],
  box: SparkBox,
): [number, number] | null {
  for (let i = curve.length - 1; i >= 0; i--) {
    const p = curve[i]!;
    if (p.y !== null) return toXY({ x: p.x, y: p.y }, range, box);
  }
  return null;
}

/** "M x y L x y …", a new "M" after every gap (null); "" for a curve without values. */
export function sparkPath(curve: readonly CurvePoint[], range: [number, number], box: SparkBox): string {
  let path = '';
  let pen = false;
  for (const p of curve) {
    if (p.y === null) {
      pen = false;
      continue;
    }
    const [x, y] = toXY({ x: p.x, y: p.y }, range, box);
    path += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = true;
  }
  return path;
}
