// The cost of scoping the live stream, in process and without sockets: one flush's server work for the
// whole picture (the `all` room and its packed twin: one packed encoding, two payload serialisations) and,
// on top of it, for N scoped rooms (each room's share of the delta, its packed encoding, its two payload
// serialisations). The shipped scenario's layers and the load generator's 5,000 walkers, 500 of them moving
// per flush (5,000 fixes/s at FLUSH_MS 100). One JSON line per case.
//   npx tsx tests/bench/scopes.bench.ts   (BENCH_SCOPES_FLUSHES=200 by default; BENCH_SCOPES_CASE=<name> for one)
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { createClassifier } from '../../geo';
import type { Delta, PackedDelta, Snapshot, UnitState, User } from '../../server/contract';
import { createRouter } from '../../server/domain/routing';
import { createPackedEncoder } from '../../server/realtime/packed-encoder';
import { createRoomBook } from '../../server/realtime/room-book';
import { ROOT } from '../support/server';
import { placeWalkers } from './load-generator';
import { describeMachine } from './load-machine';

const UNITS = 5_000;
const MOVING = 500;
const FLUSH_MS = 100;
const FLUSHES = Number(process.env.BENCH_SCOPES_FLUSHES ?? 200);
const WARM = 20;
const KINDS = ['military', 'police', 'civilian'] as const;

const layer = (kind: string): FeatureCollection =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'data', `${kind}.geojson`), 'utf8')) as FeatureCollection;
const grids = layer('grids') as FeatureCollection<Polygon | MultiPolygon>;
const areas = layer('areas');
const sectors = layer('sectors') as FeatureCollection<Polygon | MultiPolygon>;
const segments = layer('segments') as FeatureCollection<LineString | MultiLineString>;
const border = layer('border') as FeatureCollection<LineString | MultiLineString>;
const classifier = createClassifier({
  grids,
  sectors,
  segments,
  borderLine: border,
  borderZoneMeters: 500,
  maxBorderDistanceMeters: 5_000,
});
const router = createRouter({ grids, areas, sectors, segments, posts: layer('posts') });

const walkers = placeWalkers(UNITS);
const live = new Map<string, UnitState>();
function stateOf(i: number, t: number): UnitState {
  const walker = walkers[i];
  if (!walker) throw new Error(`no walker ${i}`);
  walker.lon += 2e-5 * Math.sin(i + t);
  walker.lat += 2e-5 * Math.cos(i + t);
  const where = classifier.classify(walker.lon, walker.lat);
  return {
    id: `lb-${i}`,
    kind: KINDS[i % 3] ?? 'police',
    callsign: `LB-${i}`,
    lon: walker.lon,
    lat: walker.lat,
    headingDeg: walker.headingDeg,
    speedMps: 1.5,
    accuracyMeters: 3 + (i % 10),
    t,
    rx: t,
    gridId: where.gridId,
    sectorId: where.sectorId,
    segmentId: where.segmentId,
    jointPatrolId: null,
    stale: false,
  };
}
for (let i = 0; i < UNITS; i++) {
  const unit = stateOf(i, 0);
  live.set(unit.id, unit);
}

let seq = 0;
let clock = 1_767_225_600_000;
const snapshot = (): Snapshot => ({
  epoch: 'E',
  seq,
  units: [...live.values()],
  incidents: [],
  alerts: [],
  jointPatrols: [],
  layersVersion: 1,
});
/** The next flush: MOVING units (in turn) with a new fix each. */
function nextDelta(): Delta {
  clock += FLUSH_MS;
  const upsert: UnitState[] = [];
  for (let k = 0; k < MOVING; k++) {
    const i = (seq * MOVING + k) % UNITS;
    const unit = stateOf(i, clock);
    live.set(unit.id, unit);
    upsert.push(unit);
  }
  seq++;
  return {
    epoch: 'E',
    seq,
    units: { upsert, remove: [] },
    incidents: [],
    alerts: [],
    events: [],
    jointPatrols: { upsert: [], remove: [] },
  };
}

/** What socket.io does with a payload once per room emit: serialise it (binary attachments aside). */
const serialise = (delta: Delta, packed: PackedDelta): number =>
  JSON.stringify(['delta', delta]).length +
  JSON.stringify(['delta:packed', { ...packed, positions: null }]).length;

const user = (i: number, patch: Partial<User>): User => ({
  id: `u-${i}`,
  username: `u-${i}`,
  role: 'operator',
  unitId: null,
  segmentIds: [],
  areaId: null,
  staffId: null,
  ...patch,
});
const ids = (level: string): string[] =>
  areas.features.filter((f) => f.properties?.level === level).map((f) => String(f.id));
const segmentIds = segments.features.map((f) => String(f.id));

const cases: { name: string; users: User[] }[] = [
  { name: 'whole-only', users: [] },
  { name: 'subdistricts-21', users: ids('subdistrict').map((areaId, i) => user(i, { areaId })) },
  {
    name: 'mixed-70',
    users: [
      ...ids('district').map((areaId, i) => user(i, { areaId })),
      ...ids('subdistrict').map((areaId, i) => user(100 + i, { areaId })),
      ...segmentIds.map((s, i) => user(200 + i, { role: 'leader', unitId: `lb-${i}`, segmentIds: [s] })),
    ],
  },
  {
    name: 'communities-200',
    users: ids('community')
      .slice(0, 200)
      .map((areaId, i) => user(i, { areaId })),
  },
  {
    name: 'district-operators-200',
    // 200 seats over the two cities: the operators of an area share its room, so two rooms.
    users: Array.from({ length: 200 }, (_, i) => user(i, { areaId: ids('district')[i % 2] ?? null })),
  },
  {
    name: 'leaders-200',
    // A leader's room is their own: 200 tablets, four or five leaders to a segment.
    users: Array.from({ length: 200 }, (_, i) =>
      user(i, { role: 'leader', unitId: `lb-${i}`, segmentIds: [segmentIds[i % segmentIds.length] ?? ''] }),
    ),
  },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

console.log(
  JSON.stringify({ machine: describeMachine(), units: UNITS, movingPerFlush: MOVING, flushes: FLUSHES }),
);
let baseline = NaN;
const only = process.env.BENCH_SCOPES_CASE;
for (const { name, users } of cases.filter((c) => !only || c.name === 'whole-only' || c.name === only)) {
  const packer = createPackedEncoder();
  const book = createRoomBook({
    epoch: 'E',
    router: () => router,
    unit: (id) => live.get(id),
    openIncidents: () => [],
    snapshot,
    members: () => 1,
    now: () => clock,
  });
  const base = snapshot();
  const places = book.places();
  for (const who of users) book.open(book.scopeOf(who), base, places);
  const whole: number[] = [];
  const scoped: number[] = [];
  let shared = 0;
  let bytes = 0;
  for (let flush = 0; flush < WARM + FLUSHES; flush++) {
    const delta = nextDelta();
    const t0 = performance.now();
    const packed = packer.encode(delta);
    const wholeBytes = serialise(delta, packed);
    const t1 = performance.now();
    let units = 0;
    let out = 0;
    for (const { share } of book.publish(delta)) {
      units += share.delta.units.upsert.length;
      out += serialise(share.delta, share.packed);
    }
    const t2 = performance.now();
    if (flush < WARM) continue;
    whole.push(t1 - t0);
    scoped.push(t2 - t1);
    shared += units;
    bytes += out + wholeBytes;
  }
  const wholeMs = median(whole);
  const scopedMs = median(scoped);
  if (name === 'whole-only') baseline = wholeMs;
  console.log(
    JSON.stringify({
      case: name,
      rooms: book.size(),
      wholeMsPerFlush: round(wholeMs),
      scopedMsPerFlush: round(scopedMs),
      scopedP99Ms: round([...scoped].sort((a, b) => a - b)[Math.floor(scoped.length * 0.99)] ?? NaN),
      shareOfFlushBudgetPct: Math.round(((wholeMs + scopedMs) / FLUSH_MS) * 1000) / 10,
      vsWholeOnly: Math.round(((wholeMs + scopedMs) / baseline) * 100) / 100,
      unitsPerRoomPerFlush: book.size() ? Math.round(shared / FLUSHES / book.size()) : MOVING,
      serialisedKiBPerFlush: Math.round(bytes / FLUSHES / 1024),
    }),
  );
}
