// Packs the unit table into the WebGL layer's instance buffer: per slot [Δlon°, Δlat°, heading°, style] as
// float32, positions relative to an origin near the view (float32 keeps ~1 cm there; absolute degrees would
// wobble by metres at street zoom). Mercator is done by the vertex shader, so packing is subtractions only.
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

  /** Writes every slot of the table; returns the instance count. */
  pack(table: UnitTable, origin: Origin, gcj02Display = false): number {
    const n = table.highWater;
    if (this.data.length < n * INSTANCE_FLOATS) {
      this.data = new Float32Array(Math.max(n, (this.data.length / INSTANCE_FLOATS) * 2) * INSTANCE_FLOATS);
    }
    if (gcj02Display) this.#prepareShifts(table);
    const { data } = this;
    const { pos, kind, flags } = table;
    const lon0 = origin.lon;
    const lat0 = origin.lat;
    let live = 0;
    for (let slot = 0, at = 0; slot < n; slot++, at += INSTANCE_FLOATS) {
      const f = flags[slot] as number;
      if (!(f & LIVE)) {
        data[at + 3] = EMPTY_STYLE;
        continue;
      }
      const o = slot * POSITION_STRIDE;
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
      live++;
    }
    this.count = n;
    this.live = live;
    return n;
  }

  #prepareShifts(table: UnitTable): void {
    const n = table.capacity;
    if (this.#shiftGeneration === table.generation && this.#shiftLon.length >= n) return;
    this.#shiftGeneration = table.generation;
    this.#shiftLon = new Float32Array(n);
    this.#shiftLat = new Float32Array(n);
    this.#shiftAtLon = new Float64Array(n).fill(NaN);
    this.#shiftAtLat = new Float64Array(n).fill(NaN);
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
