// Packs the unit table into the WebGL layer's instance buffer: per slot [Δlon°, Δlat°, heading°, style] as
// float32, positions relative to an origin near the view (float32 keeps ~1 cm there; absolute degrees would
// wobble by metres at street zoom). Mercator is done by the vertex shader, so packing is subtractions only.
// While the origin stays, only the slots changed since the last pack are rewritten (at the server's 10
// flushes a second each carries a tenth of the units).
import { wgs84ToGcj02 } from '../../../../geo';
import { LIVE, POSITION_FIELDS as F, POSITION_STRIDE, STALE, type UnitTable } from '../../state/unit-table';

export const INSTANCE_FLOATS = 4;
/** The style of an empty slot: the vertex shader drops it. */
export const EMPTY_STYLE = -1;
/** Heading of a unit that reported none. */
export const NO_HEADING = -1;
/**
 * GCJ-02's offset changes by about 6·10⁻⁴ of the distance moved: a shift is reused while the unit stays within
 * this (≈ 200 m, so off by at most ≈ 0.15 m) and recomputed beyond it.
 */
export const SHIFT_REUSE_DEGREES = 0.002;

export interface Origin {
  lon: number;
  lat: number;
}

/** kind code (0 military, 1 police, 2 civilian) + 4 when stale. */
export function styleCode(kindCode: number, stale: boolean): number {
  return kindCode + (stale ? 4 : 0);
}

export class InstancePacker {
  data = new Float32Array(1024 * INSTANCE_FLOATS);
  /** Instances in `data` (one per table slot, empty ones included). */
  count = 0;
  /** Units among them. */
  live = 0;
  #shiftLon = new Float32Array(0);
  #shiftLat = new Float32Array(0);
  #shiftAtLon = new Float64Array(0);
  #shiftAtLat = new Float64Array(0);
  #shiftGeneration = -1;
  /** What `data` holds: the table, generation and version it was packed from, around which origin. */
  #packed: {
    table: UnitTable | null;
    generation: number;
    version: number;
    lon: number;
    lat: number;
    gcj02: boolean;
  } = { table: null, generation: -1, version: -1, lon: NaN, lat: NaN, gcj02: false };
  /** Slots rewritten by the last pack (all of them, or only the changed ones). */
  written = 0;

  /**
   * Brings `data` up to the table: every slot, or, when the table, its generation, the origin and the datum are
   * those of the last pack, only the slots changed since (their version is past the last pack's). Returns the
   * instance count.
   */
  pack(table: UnitTable, origin: Origin, gcj02Display = false): number {
    const n = table.highWater;
    const last = this.#packed;
    let since =
      last.table === table &&
      last.generation === table.generation &&
      last.lon === origin.lon &&
      last.lat === origin.lat &&
      last.gcj02 === gcj02Display
        ? last.version
        : -1;
    if (this.data.length < n * INSTANCE_FLOATS) {
      const grown = new Float32Array(Math.max(n, (this.data.length / INSTANCE_FLOATS) * 2) * INSTANCE_FLOATS);
      grown.set(this.data);
      this.data = grown;
    }
    // Freshly made shift arrays hold no shift yet: every slot then.
    if (gcj02Display && this.#prepareShifts(table)) since = -1;
    const { data } = this;
    const { pos, kind, flags } = table;
    const lon0 = origin.lon;
    const lat0 = origin.lat;
    let written = 0;
    for (let slot = 0, at = 0; slot < n; slot++, at += INSTANCE_FLOATS) {
      const o = slot * POSITION_STRIDE;
      if ((pos[o + F.version] as number) <= since) continue;
      written++;
      const f = flags[slot] as number;
      if (!(f & LIVE)) {
        data[at + 3] = EMPTY_STYLE;
        continue;
      }
      let x = pos[o + F.lon] as number;
      let y = pos[o + F.lat] as number;
      if (gcj02Display) {
        this.#refreshShift(slot, x, y);
        x += this.#shiftLon[slot] as number;
        y += this.#shiftLat[slot] as number;
      }
      const h = pos[o + F.headingDeg] as number;
      data[at] = x - lon0;
      data[at + 1] = y - lat0;
      data[at + 2] = h === h ? h : NO_HEADING;
      data[at + 3] = (kind[slot] as number) + (f & STALE ? 4 : 0);
    }
    this.count = n;
    this.live = table.size;
    this.written = written;
    this.#packed = {
      table,
      generation: table.generation,
      version: table.version,
      lon: lon0,
      lat: lat0,
      gcj02: gcj02Display,
    };
    return n;
  }

  /** True when the shifts start over (a new table generation, or more slots). */
  #prepareShifts(table: UnitTable): boolean {
    const n = table.capacity;
    if (this.#shiftGeneration === table.generation && this.#shiftLon.length >= n) return false;
    this.#shiftGeneration = table.generation;
    this.#shiftLon = new Float32Array(n);
    this.#shiftLat = new Float32Array(n);
    this.#shiftAtLon = new Float64Array(n).fill(NaN);
    this.#shiftAtLat = new Float64Array(n).fill(NaN);
    return true;
  }

  #refreshShift(slot: number, lon: number, lat: number): void {
    const atLon = this.#shiftAtLon[slot] as number;
    const atLat = this.#shiftAtLat[slot] as number;
    // NaN (never computed) fails both comparisons and falls through to a recompute.
    if (Math.abs(lon - atLon) < SHIFT_REUSE_DEGREES && Math.abs(lat - atLat) < SHIFT_REUSE_DEGREES) return;
    const [shiftedLon, shiftedLat] = wgs84ToGcj02(lon, lat);
    this.#shiftLon[slot] = shiftedLon - lon;
    this.#shiftLat[slot] = shiftedLat - lat;
    this.#shiftAtLon[slot] = lon;
    this.#shiftAtLat[slot] = lat;
  }
}
