// Geo engine benchmarks: ours against the naive Turf way, same data, same run; one JSON line per benchmark.
// Run: npx tsx tests/bench/geo.bench.ts   (results and the machine go in docs/benchmarks.md)
import { booleanPointInPolygon, pointToLineDistance } from '@turf/turf';
import type { FeatureCollection, LineString, Polygon, Position } from 'geojson';
import { cpus, loadavg } from 'node:os';
import {
  createClassifier,
  createJointPatrolDetector,
  createLineIndex,
  createLocator,
  distanceMeters,
  metersPerDegree,
} from '../../geo';
import type { PatrolUnit, PolygonLayer } from '../../geo';
import { createMeshLayer, densify, loadChinaVietnamBorder, splitLine } from '../geo/support/layers';
import { createRandom } from '../geo/support/random';

interface Result {
  name: string;
  /** Milliseconds for the whole batch of n items (median of repeated runs). */
  ours_ms: number;
  /** The fastest and the 90th-percentile run: the spread on a shared machine. */
  ours_best_ms: number;
  ours_p90_ms: number;
  /** Milliseconds the naive way for the same n (measured on naive_n items and scaled when naive_n < n). */
  naive_ms: number;
  ratio: number;
  n: number;
  naive_n: number;
  ours_per_s: number;
  /** Throughput of the fastest run. */
  best_per_s: number;
  /**
   * The naive way at its fastest: its sample is timed in five chunks and the fastest chunk's rate is
   * scaled to n (contention from other work inflates a long single run); best_ratio = naive_best_ms /
   * ours_best_ms, both sides at their least disturbed.
   */
  naive_best_ms: number;
  best_ratio: number;
  /** 1-minute load average of the machine when the benchmark ended (2 cores). */
  load: number;
  note?: string;
}

interface Timing {
  median: number;
  best: number;
  p90: number;
}

/** Milliseconds of one call, after a warm-up, repeating for at least `minMs` (and at least 5 times). */
function time(fn: () => unknown, minMs = 400): Timing {
  fn();
  const runs: number[] = [];
  for (let total = 0; total < minMs || runs.length < 5;) {
    const started = performance.now();
    fn();
    const elapsed = performance.now() - started;
    runs.push(elapsed);
    total += elapsed;
  }
  runs.sort((a, b) => a - b);
  const at = (q: number): number => runs[Math.min(runs.length - 1, Math.floor(q * runs.length))] as number;
  return { median: at(0.5), best: runs[0] as number, p90: at(0.9) };
}

/** Milliseconds of a one-off call (an index build). */
function timeBuild<T>(build: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = build();
  return { value, ms: round(performance.now() - started) };
}

interface NaiveTiming {
  /** Milliseconds for the whole sample. */
  ms: number;
  /** The same at the rate of the fastest of (up to) five chunks. */
  bestMs: number;
}

/** Times the naive way once over `count` items (too slow to repeat), in up to five chunks. */
function timeNaive(count: number, item: (i: number) => unknown): NaiveTiming {
  const chunks = Math.min(5, count);
  let [ms, bestPerItem] = [0, Infinity];
  for (let c = 0; c < chunks; c++) {
    const [from, to] = [Math.floor((c * count) / chunks), Math.floor(((c + 1) * count) / chunks)];
    const started = performance.now();
    for (let i = from; i < to; i++) item(i);
    const elapsed = performance.now() - started;
    ms += elapsed;
    bestPerItem = Math.min(bestPerItem, elapsed / (to - from));
  }
  return { ms, bestMs: bestPerItem * count };
}

function report(
  name: string,
  n: number,
  ours: Timing,
  naiveN: number,
  naive: NaiveTiming,
  note?: string,
): void {
  const naiveMs = (naive.ms * n) / naiveN;
  const naiveBestMs = (naive.bestMs * n) / naiveN;
  const result: Result = {
    ...{
      name,
      ours_ms: round(ours.median),
      ours_best_ms: round(ours.best),
      ours_p90_ms: round(ours.p90),
      naive_ms: round(naiveMs),
      ratio: round(naiveMs / ours.median),
      n,
      naive_n: naiveN,
    },
    ours_per_s: Math.round((n / ours.median) * 1000),
    best_per_s: Math.round((n / ours.best) * 1000),
    naive_best_ms: round(naiveBestMs),
    best_ratio: round(naiveBestMs / ours.best),
    load: round(loadavg()[0] ?? NaN),
    ...(note === undefined ? {} : { note }),
  };
  console.log(JSON.stringify(result));
}

const round = (x: number): number => Number(x.toPrecision(4));

function boxes(layer: PolygonLayer): [number, number, number, number][] {
  return layer.features.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const xs = polygons.flat(2).map((p) => p[0] as number);
    const ys = polygons.flat(2).map((p) => p[1] as number);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  });
}

function pointsIn(layer: PolygonLayer, n: number, seed: number): Float64Array {
  const all = boxes(layer);
  const [x0, y0, x1, y1] = [0, 1, 2, 3].map((k) =>
    (k < 2 ? Math.min : Math.max)(...all.map((b) => b[k] as number)),
  );
  const random = createRandom(seed);
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++)
    xy.set(
      [
        (x0 as number) + random() * ((x1 as number) - (x0 as number)),
        (y0 as number) + random() * ((y1 as number) - (y0 as number)),
      ],
      2 * i,
    );
  return xy;
}

/** The naive locate: Turf on every feature in order until one holds the point. */
function naiveLocate(layer: PolygonLayer, x: number, y: number): string | null {
  for (const feature of layer.features) if (booleanPointInPolygon([x, y], feature)) return String(feature.id);
  return null;
}

function benchLocate(name: string, cols: number, rows: number, n: number, naiveN: number): void {
  const layer = createMeshLayer({ cols, rows, pointsPerSide: 6, seed: 11 });
  const { value: locator, ms: buildMs } = timeBuild(() => createLocator(layer));
  const xy = pointsIn(layer, n, 5);
  let found = 0;
  const ours = time(() => {
    found = 0;
    for (let i = 0; i < n; i++)
      if (locator.locate(xy[2 * i] as number, xy[2 * i + 1] as number) !== null) found++;
  });
  const answers: (string | null)[] = [];
  const naive = timeNaive(naiveN, (i) =>
    answers.push(naiveLocate(layer, xy[2 * i] as number, xy[2 * i + 1] as number)),
  );
  const mismatches = answers.filter(
    (a, i) => a !== locator.locate(xy[2 * i] as number, xy[2 * i + 1] as number),
  ).length;
  if (mismatches > 0) throw new Error(`${name}: ${mismatches} answers differ from Turf`);
  report(
    name,
    n,
    ours,
    naiveN,
    naive,
    `${layer.features.length} polygons of 29 vertices; ${found} of ${n} points located; built in ${buildMs} ms`,
  );
}

/** The Guangxi border: the real China–Vietnam line densified to about 2,000 vertices, in 47 segments. */
function borderLayers() {
  const raw = loadChinaVietnamBorder('10m').coordinates[0] as Position[];
  const line = densify(raw, 0.0055);
  const segments = splitLine(line, 47);
  const border: LineString = { type: 'LineString', coordinates: line };
  return { line, segments, border };
}

function naiveBorderDistance(segments: FeatureCollection<LineString>, x: number, y: number): number {
  let best = Infinity;
  for (const segment of segments.features)
    best = Math.min(best, pointToLineDistance([x, y], segment, { units: 'meters' }));
  return best;
}

function benchBorderDistance(name: string, near: boolean, n: number, naiveN: number): void {
  const { line, segments, border } = borderLayers();
  const empty: FeatureCollection<Polygon> = { type: 'FeatureCollection', features: [] };
  const { value: classifier, ms: classifierMs } = timeBuild(() =>
    createClassifier({ grids: empty, sectors: empty, segments, borderLine: border }),
  );
  const { value: index, ms: indexMs } = timeBuild(() => createLineIndex(border, { gridMeters: 5_000 }));
  // The far grids (5–150 km) are built on the first query that needs them: timed apart, before the runs.
  const { ms: farMs } = timeBuild(() => index.nearest(102.1, 23.4));
  const random = createRandom(near ? 21 : 22);
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [vx = 0, vy = 0] = line[Math.floor(random() * line.length)] as Position;
    const p = near
      ? [vx + (random() - 0.5) * 0.04, vy + (random() - 0.5) * 0.04]
      : [102.1 + random() * 5.9, 21.5 + random() * 1.9];
    xy.set(p, 2 * i);
  }
  const ours = time(() => {
    for (let i = 0; i < n; i++) classifier.classify(xy[2 * i] as number, xy[2 * i + 1] as number);
  });
  const distanceOnly = time(() => {
    for (let i = 0; i < n; i++) index.nearest(xy[2 * i] as number, xy[2 * i + 1] as number);
  });
  const turf: number[] = [];
  const naive = timeNaive(naiveN, (i) =>
    turf.push(naiveBorderDistance(segments, xy[2 * i] as number, xy[2 * i + 1] as number)),
  );
  let worst = 0;
  turf.forEach((d, i) => {
    const mine = classifier.classify(xy[2 * i] as number, xy[2 * i + 1] as number)
      .borderDistanceMeters as number;
    worst = Math.max(worst, Math.abs(mine - d) / d);
  });
  const where = near
    ? 'within about 2 km of the line'
    : 'anywhere in the border region (on average ~45 km away)';
  const data = `${line.length}-vertex border, 47 segments, points ${where}`;
  const turfNote = `largest difference from Turf's spherical distance ${(worst * 100).toFixed(3)} %`;
  const built = `built in ${classifierMs} ms`;
  report(
    name,
    n,
    ours,
    naiveN,
    naive,
    `classify (distance, zone, segment in zone); ${data}; ${turfNote}; ${built}`,
  );
  report(
    `${name}-only`,
    n,
    distanceOnly,
    naiveN,
    naive,
    `createLineIndex.nearest alone (grids to 5 and 150 km); ${data}; built in ${indexMs} ms, far grids in ${farMs} ms`,
  );
}

function benchClassifyBatch(name: string, maxBorderDistanceMeters: number, n: number, naiveN: number): void {
  const grids = createMeshLayer({ cols: 24, rows: 25, pointsPerSide: 6, seed: 11 });
  const sectors = createMeshLayer({ cols: 6, rows: 5, cellDegrees: 0.04, pointsPerSide: 12, seed: 12 });
  const { segments, border } = borderLayers();
  const { value: classifier, ms: buildMs } = timeBuild(() =>
    createClassifier({ grids, sectors, segments, borderLine: border, maxBorderDistanceMeters }),
  );
  const xy = pointsIn(grids, n, 9);
  let inZone = 0;
  const ours = time(() => {
    inZone = 0;
    for (let i = 0; i < n; i++) {
      if (classifier.classify(xy[2 * i] as number, xy[2 * i + 1] as number).inBorderZone) inZone++;
    }
  });
  const naive = timeNaive(naiveN, (i) => {
    const [x, y] = [xy[2 * i] as number, xy[2 * i + 1] as number];
    naiveLocate(grids, x, y);
    naiveLocate(sectors, x, y);
    naiveBorderDistance(segments, x, y);
  });
  const limit = `border distance up to ${maxBorderDistanceMeters} m`;
  report(
    name,
    n,
    ours,
    naiveN,
    naive,
    `grid (600), sector (30), ${limit}, segment in zone; ${inZone} of ${n} in the zone; built in ${buildMs} ms`,
  );
}

/** 10,000 units in groups of 2–5 over 60 × 40 km, drifting a few metres per update. */
function crowd(count: number, step: number): PatrolUnit[] {
  const random = createRandom(3);
  const kinds = ['military', 'police', 'civilian'] as const;
  const k = metersPerDegree(22.1);
  const units: PatrolUnit[] = [];
  while (units.length < count) {
    const [cx, cy] = [random() * 60_000, random() * 40_000];
    for (let i = 0, size = 2 + Math.floor(random() * 4); i < size && units.length < count; i++) {
      const [x, y] = [cx + (random() - 0.5) * 60 + step * 3, cy + (random() - 0.5) * 60];
      const kind = kinds[Math.floor(random() * 3)] as PatrolUnit['kind'];
      units.push({
        id: `u-${String(units.length).padStart(5, '0')}`,
        kind,
        lon: 106.5 + x / k.x,
        lat: 21.9 + y / k.y,
        t: step * 10_000,
      });
    }
  }
  return units;
}

/** The naive clustering step: all pairs within 100 m (the detector's link radius), O(n²). */
function naivePairs(units: PatrolUnit[]): number {
  let pairs = 0;
  for (let i = 0; i < units.length; i++) {
    const a = units[i] as PatrolUnit;
    for (let j = i + 1; j < units.length; j++) {
      const b = units[j] as PatrolUnit;
      if (distanceMeters(a.lon, a.lat, b.lon, b.lat) <= 100) pairs++;
    }
  }
  return pairs;
}

function benchJointPatrols(n: number): void {
  const detector = createJointPatrolDetector();
  const updates = Array.from({ length: 12 }, (_, step) => crowd(n, step));
  for (let step = 0; step < 8; step++) detector.update(updates[step] as PatrolUnit[], step * 10_000);
  let step = 8;
  let patrols = 0;
  const ours = time(() => {
    const s = Math.min(step, 11);
    patrols = detector.update(updates[s] as PatrolUnit[], s * 10_000 + (step - s) * 10_000).patrols.length;
    step++;
  }, 1_000);
  const naive = timeNaive(1, () => naivePairs(updates[0] as PatrolUnit[]));
  report(
    'joint-patrols-10000',
    n,
    ours,
    n,
    naive,
    `one full update (links, hysteresis, regrouping) vs the naive all-pairs link search alone; ${patrols} patrols`,
  );
}

function main(): void {
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.error(
    `# ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, node ${process.version}, load ${load}`,
  );
  // BENCH_ONLY=region,batch runs the benchmarks whose names contain one of the words.
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  const wanted = (name: string): boolean => only.length === 0 || only.some((word) => name.includes(word));
  const benches: [string, () => void][] = [
    ['locate-600', () => benchLocate('locate-600', 24, 25, 200_000, 2_000)],
    ['locate-10000', () => benchLocate('locate-10000', 100, 100, 400_000, 200)],
    ['border-distance-near', () => benchBorderDistance('border-distance-near', true, 100_000, 100)],
    ['border-distance-region', () => benchBorderDistance('border-distance-region', false, 20_000, 50)],
    ['classify-batch-5000', () => benchClassifyBatch('classify-batch-5000', 2_000, 5_000, 50)],
    [
      'classify-batch-5000-zone-only',
      () => benchClassifyBatch('classify-batch-5000-zone-only', 500, 5_000, 50),
    ],
    ['joint-patrols-10000', () => benchJointPatrols(10_000)],
  ];
  for (const [name, run] of benches) if (wanted(name)) run();
}

main();
