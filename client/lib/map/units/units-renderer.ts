// Draws a unit table (live or replayed) once per animation frame, choosing how:
// - aggregate: below AGGREGATE_BELOW_ZOOM, counts by kind per ~80 px cell (symbols would merge into blobs);
// - symbols: up to SYMBOLS_MAX_UNITS, a GeoJSON source with canvas icons, heading chevrons and callsigns
//   (queryable, and MapLibre's collision handling for labels) fed by diffs of the units that changed;
// - gl: above that, the instanced WebGL layer fed from the table's columns. A GeoJSON source re-tiles every
//   feature it is handed in its worker (measured: 45,000 moving points cost 4.6 s of worker time per
//   updateData, 0.5 s per setData), so past a couple of thousand units moving each second it falls behind;
//   the custom layer costs one pass over the columns and one buffer upload. Callsigns there come from a small
//   label source holding only the units in view, once zoomed in far enough that they are few.
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { LIVE, type UnitTable } from '../../state/unit-table';
import { unitCollection, unitDiffSince, unitFeatureAt, type DrawnIds } from '../unit-features';
import { InstancePacker, type Origin } from './instance-buffer';
import {
  CELL_PX,
  aggregateUnits,
  cellCollection,
  cellSize,
  sameCells,
  type UnitCell,
} from './unit-aggregation';
import { UnitsGlLayer } from './units-gl-layer';
import { SOURCES, UNIT_LAYER_IDS, cellLabel, styleLayers, type KindLetters } from './units-style';

export type UnitsMode = 'symbols' | 'gl' | 'aggregate';

export const AGGREGATE_BELOW_ZOOM = 9;
/** Above this many units the WebGL layer draws them; back to symbols below SYMBOLS_RETURN_UNITS (hysteresis). */
export const SYMBOLS_MAX_UNITS = 1500;
export const SYMBOLS_RETURN_UNITS = 1000;
/** Callsigns in gl mode: from this zoom, when at most LABELS_MAX units are in view. */
export const LABELS_MIN_ZOOM = 13;
export const LABELS_MAX = 300;
/** Counts at low zoom are an overview: every 2 s is fresh enough, and counting 50,000 units costs ~2 ms. */
const CELLS_REFRESH_MS = 2000;
const TRAILS_REFRESH_MS = 250;
/** The WebGL origin follows the view when it is farther than this (its Mercator series stays exact). */
const RECENTRE_DEGREES = 1;

export interface UnitSources {
  table(): UnitTable;
  /** Replay trails (or null when live): a version that changes when they do, and their builder. */
  trails(): { version: number; build: () => FeatureCollection } | null;
  gcj02Display(): boolean;
  /** Calls back whenever a table or the trails changed (the renderer then draws at the next frame). */
  subscribe(listener: () => void): () => void;
}

export interface UnitsStats {
  mode: UnitsMode;
  /** Units in the table drawn from. */
  units: number;
  /** Units the WebGL layer drew in its last frame (0 unless gl mode). */
  readonly drawn: number;
  /** Features in the symbol source. */
  symbols: number;
  cells: number;
  labels: number;
  trails: number;
  /** Main-thread time spent in this renderer's frames, and how many frames did work. */
  workMs: number;
  workFrames: number;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function statsOf(gl: UnitsGlLayer): UnitsStats {
  return {
    mode: 'symbols',
    units: 0,
    // The WebGL layer's own count, as of its last frame.
    get drawn(): number {
      return gl.enabled ? gl.drawnCount : 0;
    },
    symbols: 0,
    cells: 0,
    labels: 0,
    trails: 0,
    workMs: 0,
    workFrames: 0,
  };
}

export class UnitsRenderer {
  readonly #map: MapLibreMap;
  readonly #sources: UnitSources;
  readonly #gl = new UnitsGlLayer(UNIT_LAYER_IDS.gl);
  readonly #packer = new InstancePacker();
  readonly #drawn: DrawnIds = new Map();
  #mode: UnitsMode = 'symbols';
  #visible = true;
  /** The animation frame requested, or 0: frames are asked for when something changed, never in a loop
   * (a perpetual requestAnimationFrame makes the browser run a frame 60 times a second for nothing). */
  #frame = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  /** When throttled work (cells, trails) is due again; 0 when none waits. */
  #dueAt = 0;
  readonly #unsubscribe: () => void;
  #table: UnitTable | null = null;
  /** What each consumer last drew: table generation and version. */
  #symbolsAt = { generation: -1, version: -1 };
  #glAt = { generation: -1, version: -1 };
  #cellsAt = { generation: -1, version: -1, level: -1, time: 0 };
  #labelsAt = { generation: -1, version: -1, time: 0 };
  #trailsVersion = -1;
  #trailsTime = 0;
  #origin: Origin | null = null;
  #viewMoved = true;
  /** The cells last handed to the map. */
  #cells: UnitCell[] = [];
  #gcj02 = false;
  readonly stats: UnitsStats = statsOf(this.#gl);

  constructor(map: MapLibreMap, sources: UnitSources, letters: KindLetters) {
    this.#map = map;
    this.#sources = sources;
    for (const id of Object.values(SOURCES)) map.addSource(id, { type: 'geojson', data: EMPTY });
    const layers = styleLayers(letters);
    const [trails, ...rest] = layers;
    if (trails) map.addLayer(trails);
    map.addLayer(this.#gl);
    for (const layer of rest) map.addLayer(layer);
    map.on('move', this.invalidate);
    map.on('moveend', this.#onMoveEnd);
    map.on('styledata', this.#keepTogether);
    this.#unsubscribe = sources.subscribe(this.invalidate);
    this.#applyVisibility();
    this.invalidate();
  }

  destroy(): void {
    cancelAnimationFrame(this.#frame);
    if (this.#retry) clearTimeout(this.#retry);
    this.#unsubscribe();
    const map = this.#map;
    map.off('move', this.invalidate);
    map.off('moveend', this.#onMoveEnd);
    map.off('styledata', this.#keepTogether);
    for (const id of [...Object.values(UNIT_LAYER_IDS)].reverse()) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of Object.values(SOURCES)) if (map.getSource(id)) map.removeSource(id);
  }

  get mode(): UnitsMode {
    return this.#mode;
  }

  setVisible(visible: boolean): void {
    this.#visible = visible;
    this.#applyVisibility();
    this.invalidate();
  }

  /** Draw at the next animation frame (once, however often it is called before). */
  readonly invalidate = (): void => {
    if (this.#frame === 0) this.#frame = requestAnimationFrame(this.#tick);
  };

  setKindLetters(letters: KindLetters): void {
    if (this.#map.getLayer(UNIT_LAYER_IDS.cellsLabel))
      this.#map.setLayoutProperty(UNIT_LAYER_IDS.cellsLabel, 'text-field', cellLabel(letters));
  }

  /**
   * Operational layers are added under the units, before 'units-symbol' (StaticLayer does so), which would
   * put them between our trails or WebGL layer and the symbols: lift the unit layers below them back up.
   */
  readonly #keepTogether = (): void => {
    const map = this.#map;
    const order = map.getLayersOrder();
    const mine = new Set<string>(Object.values(UNIT_LAYER_IDS));
    const first = order.indexOf(UNIT_LAYER_IDS.trails);
    const last = order.indexOf(UNIT_LAYER_IDS.cellsLabel);
    if (first < 0 || last < 0) return;
    let lastForeign = -1;
    for (let i = first; i <= last; i++) if (!mine.has(order[i] as string)) lastForeign = i;
    if (lastForeign < 0) return;
    const before = order[lastForeign + 1] as string;
    for (const id of order.slice(first, lastForeign)) if (mine.has(id)) map.moveLayer(id, before);
  };

  readonly #onMoveEnd = (): void => {
    this.#viewMoved = true;
    this.invalidate();
  };

  readonly #tick = (): void => {
    this.#frame = 0;
    const started = performance.now();
    this.#dueAt = 0;
    if (this.draw()) {
      this.stats.workMs += performance.now() - started;
      this.stats.workFrames++;
    }
    // Work held back by a throttle gets a frame of its own when it is due.
    if (this.#dueAt > 0 && !this.#retry) {
      this.#retry = setTimeout(
        () => {
          this.#retry = null;
          this.invalidate();
        },
        Math.max(0, this.#dueAt - performance.now()),
      );
    }
  };

  /** One frame's work; true when anything was redrawn. Public for tests and the benchmark. */
  draw(): boolean {
    const table = this.#sources.table();
    const gcj02 = this.#sources.gcj02Display();
    if (table !== this.#table || gcj02 !== this.#gcj02) {
      // Another table (live ↔ replay) or datum: every consumer starts over.
      this.#table = table;
      this.#gcj02 = gcj02;
      this.#symbolsAt.generation = this.#glAt.generation = this.#cellsAt.generation = -1;
      this.#labelsAt.generation = -1;
    }
    this.stats.units = table.size;
    let worked = this.#switchMode(this.#chooseMode(table));
    if (this.#visible) {
      if (this.#mode === 'symbols') worked = this.#drawSymbols(table) || worked;
      else if (this.#mode === 'gl') worked = this.#drawGl(table) || worked;
      else worked = this.#drawCells(table) || worked;
      if (this.#mode === 'gl') worked = this.#drawLabels(table) || worked;
      worked = this.#drawTrails() || worked;
    }
    this.#viewMoved = false;
    return worked;
  }

  #chooseMode(table: UnitTable): UnitsMode {
    if (this.#map.getZoom() < AGGREGATE_BELOW_ZOOM) return 'aggregate';
    const many = this.#mode === 'gl' ? table.size >= SYMBOLS_RETURN_UNITS : table.size > SYMBOLS_MAX_UNITS;
    return many ? 'gl' : 'symbols';
  }

  #switchMode(mode: UnitsMode): boolean {
    if (mode === this.#mode) return false;
    const was = this.#mode;
    this.#mode = mode;
    this.stats.mode = mode;
    // Empty what the old mode drew, so its worker holds nothing and nothing shows twice.
    if (was === 'symbols') {
      this.#setData(SOURCES.units, EMPTY);
      this.#drawn.clear();
      this.stats.symbols = 0;
      this.#symbolsAt.generation = -1;
    } else if (was === 'gl') {
      this.#setData(SOURCES.labels, EMPTY);
      this.stats.labels = 0;
      this.#glAt.generation = this.#labelsAt.generation = -1;
    } else {
      this.#setData(SOURCES.cells, EMPTY);
      this.stats.cells = 0;
      this.#cellsAt.generation = -1;
    }
    this.#applyVisibility();
    return true;
  }

  #applyVisibility(): void {
    const map = this.#map;
    const show = (id: string, on: boolean): void => {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on && this.#visible ? 'visible' : 'none');
    };
    const mode = this.#mode;
    show(UNIT_LAYER_IDS.symbol, mode === 'symbols');
    show(UNIT_LAYER_IDS.heading, mode === 'symbols');
    show(UNIT_LAYER_IDS.labels, mode === 'gl');
    show(UNIT_LAYER_IDS.cells, mode === 'aggregate');
    show(UNIT_LAYER_IDS.cellsLabel, mode === 'aggregate');
    show(UNIT_LAYER_IDS.trails, true);
    this.#gl.enabled = mode === 'gl' && this.#visible;
    map.triggerRepaint();
  }

  #setData(source: string, data: FeatureCollection): void {
    void this.#map.getSource<GeoJSONSource>(source)?.setData(data);
  }

  #drawSymbols(table: UnitTable): boolean {
    const at = this.#symbolsAt;
    if (at.generation === table.generation && at.version === table.version) return false;
    const source = this.#map.getSource<GeoJSONSource>(SOURCES.units);
    if (!source) return false;
    if (at.generation !== table.generation) {
      void source.setData(unitCollection(table, this.#drawn, this.#gcj02));
    } else {
      const diff = unitDiffSince(table, at.version, this.#drawn, this.#gcj02);
      if (diff) void source.updateData(diff);
    }
    at.generation = table.generation;
    at.version = table.version;
    this.stats.symbols = this.#drawn.size;
    return true;
  }

  #drawGl(table: UnitTable): boolean {
    const at = this.#glAt;
    const center = this.#map.getCenter();
    const origin = this.#origin;
    const recentre =
      !origin ||
      Math.abs(center.lng - origin.lon) > RECENTRE_DEGREES ||
      Math.abs(center.lat - origin.lat) > RECENTRE_DEGREES;
    if (!recentre && at.generation === table.generation && at.version === table.version) return false;
    if (recentre) this.#origin = { lon: center.lng, lat: center.lat };
    const packer = this.#packer;
    const count = packer.pack(table, this.#origin as Origin, this.#gcj02);
    this.#gl.setInstances(packer.data, count, packer.live, this.#origin as Origin);
    at.generation = table.generation;
    at.version = table.version;
    return true;
  }

  #drawCells(table: UnitTable): boolean {
    const at = this.#cellsAt;
    const level = Math.floor(this.#map.getZoom());
    const now = performance.now();
    const fresh = at.generation === table.generation && at.level === level;
    if (fresh && at.version === table.version) return false;
    if (fresh && now - at.time < CELLS_REFRESH_MS) return this.#holdUntil(at.time + CELLS_REFRESH_MS);
    const size = cellSize(level, this.#map.getCenter().lat);
    const cells = aggregateUnits(table, size);
    Object.assign(at, { generation: table.generation, version: table.version, level, time: now });
    // Handing MapLibre new cells re-lays out every label in its worker: skip it while the counts stand and
    // no cell moved by a pixel (units walk metres a second; a pixel here is hundreds of metres).
    if (fresh && sameCells(cells, this.#cells, size.lon / CELL_PX)) return false;
    this.#cells = cells;
    this.#setData(SOURCES.cells, cellCollection(cells, this.#gcj02));
    this.stats.cells = cells.length;
    return true;
  }

  /** gl mode, zoomed in: callsigns of the units in view, when they are few. */
  #drawLabels(table: UnitTable): boolean {
    const at = this.#labelsAt;
    if (!this.#viewMoved && at.generation === table.generation && at.version === table.version) return false;
    at.generation = table.generation;
    at.version = table.version;
    const inView = this.#map.getZoom() >= LABELS_MIN_ZOOM ? this.#unitsInView(table) : null;
    const shown = inView ?? [];
    if (shown.length === 0 && this.stats.labels === 0) return false;
    this.#setData(SOURCES.labels, { type: 'FeatureCollection', features: shown });
    this.stats.labels = shown.length;
    return true;
  }

  /** Features of the units inside the view, or null as soon as there are more than LABELS_MAX. */
  #unitsInView(table: UnitTable): GeoJSON.Feature[] | null {
    const bounds = this.#map.getBounds();
    // The view is in display coordinates; a GCJ-02 shift is a few hundred metres: test with that margin.
    const margin = this.#gcj02 ? 0.01 : 0;
    const west = bounds.getWest() - margin;
    const east = bounds.getEast() + margin;
    const south = bounds.getSouth() - margin;
    const north = bounds.getNorth() + margin;
    const features: GeoJSON.Feature[] = [];
    for (let slot = 0; slot < table.highWater; slot++) {
      if (!((table.flags[slot] as number) & LIVE)) continue;
      const lon = table.lonAt(slot);
      const lat = table.latAt(slot);
      if (lon < west || lon > east || lat < south || lat > north) continue;
      const feature = unitFeatureAt(table, slot, this.#gcj02);
      if (!feature) continue;
      if (features.length === LABELS_MAX) return null;
      features.push(feature);
    }
    return features;
  }

  /** Notes throttled work due at `time`; nothing was drawn. */
  #holdUntil(time: number): false {
    this.#dueAt = this.#dueAt === 0 ? time : Math.min(this.#dueAt, time);
    return false;
  }

  #drawTrails(): boolean {
    const trails = this.#sources.trails();
    const version = trails?.version ?? -1;
    if (version === this.#trailsVersion) return false;
    const now = performance.now();
    if (trails && this.#trailsVersion !== -1 && now - this.#trailsTime < TRAILS_REFRESH_MS)
      return this.#holdUntil(this.#trailsTime + TRAILS_REFRESH_MS);
    const collection = trails?.build() ?? EMPTY;
    this.#setData(SOURCES.trails, collection);
    this.#trailsVersion = version;
    this.#trailsTime = now;
    this.stats.trails = collection.features.length;
    return true;
  }
}
