// The benchmark page. "ours" is the app's own path: lib/net's connect() (socket.io-client, the live stream,
// packed records read into the units store) and the units layer's renderer on a MapLibre map with the built-in
// basemap. "setdata" / "updatedata" are the naive path a first version writes (and this repo had): the
// decoder's UnitState per unit into a Map, and one GeoJSON source fed once per frame with setData of every
// unit, or updateData with the units that changed. "repaint" draws the snapshot with our layer, then only
// repaints the map once per delta without applying it: the cost of a frame of this map, which every path pays.
// The socket opens once the map's load has settled (no long task for a second), so that what the snapshot
// costs is not mixed up with the map's first frames.
import './ws-timing';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { io } from 'socket.io-client';
import type { Feature, FeatureCollection } from 'geojson';
import { BUILTIN_BASEMAP } from '../../../client/lib/map/basemap-config';
import { createBaseStyle } from '../../../client/lib/map/style';
import { addUnitIcons, unitIconName } from '../../../client/lib/map/unit-icons';
import { UnitsRenderer } from '../../../client/lib/map/units/units-renderer';
import { createLiveStream, type LiveSocket } from '../../../client/lib/net/packed-stream';
import { connect } from '../../../client/lib/net/socket';
import { units } from '../../../client/lib/state/units.svelte';
import type { UnitState } from '../../../server/contract';

type Mode = 'ours' | 'setdata' | 'updatedata' | 'repaint';

interface BenchState {
  mode: Mode;
  ready: boolean;
  /** Units the client holds after the snapshot (and each of its parts). */
  held: number;
  /** When the socket was created (after the map's load), and when the snapshot's last part was applied. */
  connectAt: number;
  heldAllAt: number;
  lastSeq: number;
  windowStart: number;
  /** Per update: the stream → store handler. */
  storeMs: number[];
  /** Per frame that drew something: the layer's work. */
  drawMs: number[];
  longTasks: { start: number; duration: number }[];
  /** What the map was last handed: units drawn by the WebGL layer, or features given to the GeoJSON source. */
  drawn: () => number;
  markWindow(): void;
}

const params = new URLSearchParams(location.search);
const mode = (params.get('mode') ?? 'ours') as Mode;
const zoom = Number(params.get('zoom') ?? 10.6);

const bench: BenchState = {
  mode,
  ready: false,
  held: 0,
  connectAt: 0,
  heldAllAt: 0,
  lastSeq: 0,
  windowStart: 0,
  storeMs: [],
  drawMs: [],
  longTasks: [],
  drawn: () => 0,
  markWindow() {
    this.windowStart = performance.now();
    this.storeMs = [];
    this.drawMs = [];
  },
};
(window as unknown as { __bench: BenchState }).__bench = bench;

new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });

/** Times the stream's handler: onAny listeners run before the event's own, ours is registered after it. */
function timeUpdates(socket: LiveSocket, held: () => number): void {
  let started = 0;
  bench.connectAt = performance.now();
  performance.mark('bench-connect');
  socket.onAny(() => (started = performance.now()));
  const onSnapshot = (): void => {
    bench.held = held();
    bench.heldAllAt = performance.now();
  };
  socket.on('snapshot', (snapshot) => {
    bench.lastSeq = snapshot.seq;
    onSnapshot();
  });
  socket.on('snapshot:continued', onSnapshot);
  socket.on('delta:packed', (packed) => {
    bench.storeMs.push(performance.now() - started);
    bench.lastSeq = packed.seq;
  });
}

function feature(unit: UnitState): Feature {
  return {
    type: 'Feature',
    id: unit.id,
    geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
    properties: {
      kind: unit.kind,
      callsign: unit.callsign,
      stale: unit.stale,
      icon: unitIconName(unit.kind, unit.stale),
      headingDeg: unit.headingDeg ?? 0,
    },
  };
}

function startNaive(map: maplibregl.Map): void {
  const held = new Map<string, UnitState>();
  const changed = new Set<string>();
  let reset = false;
  const socket: LiveSocket = io({ transports: ['websocket'] });
  createLiveStream(
    {
      applySnapshot: (snapshot) => {
        held.clear();
        for (const unit of snapshot.units) held.set(unit.id, unit);
        reset = true;
      },
      applyDelta: (delta) => {
        for (const unit of delta.units.upsert) {
          held.set(unit.id, unit);
          changed.add(unit.id);
        }
      },
      get: (id) => held.get(id),
    },
    { epoch: null, seq: 0, lastMessageAt: null },
  ).attach(socket);
  timeUpdates(socket, () => held.size);
  map.addSource('units', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'units-symbol',
    type: 'symbol',
    source: 'units',
    layout: { 'icon-image': ['get', 'icon'], 'icon-allow-overlap': true, 'icon-size': 0.6 },
  });
  let handed = 0;
  bench.drawn = () => handed;
  const frame = (): void => {
    requestAnimationFrame(frame);
    if (!reset && changed.size === 0) return;
    const started = performance.now();
    const source = map.getSource<maplibregl.GeoJSONSource>('units');
    if (mode === 'setdata' || reset) {
      const collection: FeatureCollection = {
        type: 'FeatureCollection',
        features: [...held.values()].map(feature),
      };
      void source?.setData(collection);
      handed = collection.features.length;
    } else {
      const add = [...changed].flatMap((id) => {
        const unit = held.get(id);
        return unit ? [feature(unit)] : [];
      });
      void source?.updateData({ add });
      handed = add.length;
    }
    reset = false;
    changed.clear();
    bench.drawMs.push(performance.now() - started);
  };
  requestAnimationFrame(frame);
}

function startOurs(map: maplibregl.Map): void {
  const socket = connect();
  timeUpdates(socket, () => units.table.size);
  const renderer = new UnitsRenderer(
    map,
    {
      table: () => units.table,
      trails: () => null,
      gcj02Display: () => false,
      subscribe: (listener) => units.subscribe(listener),
    },
    ['军 ', '警 ', '民 ', '失联 '],
  );
  let frames = 0;
  let work = 0;
  // The renderer keeps its own per-frame timing; turn it into one entry per frame that did work.
  const collect = (): void => {
    requestAnimationFrame(collect);
    if (renderer.stats.workFrames === frames) return;
    bench.drawMs.push(renderer.stats.workMs - work);
    frames = renderer.stats.workFrames;
    work = renderer.stats.workMs;
  };
  requestAnimationFrame(collect);
  bench.drawn = () => renderer.stats.drawn;
  (window as unknown as { __renderer: UnitsRenderer }).__renderer = renderer;
}

function startRepaintOnly(map: maplibregl.Map): void {
  const socket: LiveSocket = io({ transports: ['websocket'] });
  socket.on('snapshot', (snapshot) => units.applySnapshot(snapshot));
  socket.on('snapshot:continued', (part) => units.applyDelta({ units: { upsert: part.units, remove: [] } }));
  timeUpdates(socket, () => units.table.size);
  socket.on('delta:packed', () => map.triggerRepaint());
  const renderer = new UnitsRenderer(
    map,
    {
      table: () => units.table,
      trails: () => null,
      gcj02Display: () => false,
      subscribe: (listener) => units.subscribe(listener),
    },
    ['军 ', '警 ', '民 ', '失联 '],
  );
  bench.drawn = () => renderer.stats.drawn;
}

maplibregl.setWorkerUrl(workerUrl);
const map = new maplibregl.Map({
  container: 'map',
  style: createBaseStyle('dark', BUILTIN_BASEMAP, 'zh-CN'),
  center: [106.8, 22.1],
  zoom,
  attributionControl: false,
  localIdeographFontFamily: '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
});
/** Resolves once no long task has ended for QUIET_MS (or after QUIET_MAX_MS). */
const QUIET_MS = 1_000;
const QUIET_MAX_MS = 15_000;
function settled(): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const check = (): void => {
      const now = performance.now();
      const last = bench.longTasks.reduce((end, t) => Math.max(end, t.start + t.duration), started);
      if (now - last >= QUIET_MS || now - started >= QUIET_MAX_MS) resolve();
      else setTimeout(check, 100);
    };
    setTimeout(check, QUIET_MS);
  });
}

map.on('load', () => {
  addUnitIcons(map);
  void settled().then(() => {
    if (mode === 'ours') startOurs(map);
    else if (mode === 'repaint') startRepaintOnly(map);
    else startNaive(map);
    bench.ready = true;
  });
});
