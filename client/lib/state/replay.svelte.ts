// The time machine: a clock over the last 24 h (configurable) that plays at 1–60× real time, fetches history
// in chunks around the instant it shows, samples every unit into the replay scene once per frame, and sets
// the timeline (mode, at, incidents, alerts, joint patrols) that the map and panels read. Back to live puts
// the timeline back on the live records, which kept flowing all along.
import type { Alert, DomainEvent, Incident } from '../../../server/contract';
import { live } from './live.svelte';
import {
  fetchAlerts,
  fetchHistoryChunk,
  fetchIdentities,
  fetchIncidentsSince,
  fetchJointPatrolEvents,
  type Bbox,
} from './replay-history';
import { alertsAt, incidentsAt, jointPatrolsAt, sameRecords } from './replay-records';
import { ReplayScene, type UnitIdentity } from './replay-scene';
import { groupFixes, mergeTracks, type UnitTrack } from './replay-tracks';
import { DEFAULT_PLAN, evictableChunks, isReady, neededChunks, type WindowPlan } from './replay-window';
import { timeline } from './timeline.svelte';
import { units } from './units.svelte';

export interface ReplaySettings {
  /** How far back the slider reaches. */
  rangeMs: number;
  plan: WindowPlan;
  /** Length of the trail behind each unit, in replayed time. */
  trailMs: number;
  /** Joint-patrol events are read from this long before the range (patrols formed earlier and still standing). */
  patrolLookbackMs: number;
}

export const REPLAY_SPEEDS = [1, 5, 10, 30, 60] as const;
const RECORDS_REFRESH_MS = 250;
/** History is fetched for the view and this much more on every side (panning a little needs no refetch). */
const BBOX_MARGIN = 0.5;
const MAX_CONCURRENT_FETCHES = 2;

const DEFAULT_SETTINGS: ReplaySettings = {
  rangeMs: 24 * 3_600_000,
  plan: DEFAULT_PLAN,
  trailMs: 5 * 60_000,
  patrolLookbackMs: 12 * 3_600_000,
};

/** The view widened by BBOX_MARGIN of its size on every side, within the world. */
export function widenBbox([west, south, east, north]: Bbox, margin = BBOX_MARGIN): Bbox {
  const dx = (east - west) * margin;
  const dy = (north - south) * margin;
  return [
    Math.max(-180, west - dx),
    Math.max(-90, south - dy),
    Math.min(180, east + dx),
    Math.min(90, north + dy),
  ];
}

function contains(outer: Bbox, inner: Bbox): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

const byId = <T extends { id: string }>(records: readonly T[]): Map<string, T> =>
  new Map(records.map((record) => [record.id, record]));

class ReplayController {
  settings: ReplaySettings = DEFAULT_SETTINGS;
  readonly scene = new ReplayScene();
  active = $state(false);
  playing = $state(false);
  speed = $state<number>(10);
  from = $state(0);
  to = $state(0);
  /** Waiting for the history under the instant. */
  loading = $state(false);
  error = $state<string | null>(null);
  unitCount = $state(0);
  /** What the units layer's view covers, set by the layer (the replay fetches history for it). */
  viewBounds: (() => Bbox | null) | null = null;

  #at = 0;
  #session = 0;
  #bbox: Bbox | null = null;
  /** Fetched chunks by start time, each grouped by unit once on arrival. */
  readonly #chunks = new Map<number, Map<string, UnitTrack>>();
  readonly #inFlight = new Set<number>();
  #identities = new Map<string, UnitIdentity>();
  #incidents: Incident[] = [];
  #alerts: Alert[] = [];
  #patrolEvents: DomainEvent[] = [];
  #frame = 0;
  #lastFrame: number | null = null;
  #recordsPublished = 0;
  /** The instant the records were last published for, and whether fetched records arrived since. */
  #recordsAt = NaN;
  #recordsStale = false;
  #trailsVersion = 0;
  readonly #listeners = new Set<() => void>();

  get at(): number {
    return this.#at;
  }

  /** Tells `listener` whenever the replayed picture changed or replay started or ended (the units layer). */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Enters replay at `at` (default: an hour ago) over the last `rangeMs`, paused. */
  start(options: { at?: number; rangeMs?: number } = {}): void {
    this.#stopLoop();
    const session = ++this.#session;
    const now = Date.now();
    this.settings = { ...this.settings, rangeMs: options.rangeMs ?? this.settings.rangeMs };
    this.to = now;
    this.from = now - this.settings.rangeMs;
    this.#at = this.#clamp(options.at ?? now - 3_600_000);
    this.#bbox = this.#viewBbox();
    this.#chunks.clear();
    this.#inFlight.clear();
    this.scene.clear();
    this.error = null;
    this.playing = false;
    this.loading = true;
    this.active = true;
    timeline.at = this.#at;
    timeline.replayIncidents = [];
    timeline.replayAlerts = [];
    timeline.replayJointPatrols = [];
    timeline.mode = 'replay';
    void this.#loadRecords(session);
    this.#schedule();
    this.#notify();
    this.#wake();
  }

  play(): void {
    if (!this.active) return;
    if (this.#at >= this.to) this.seek(this.from);
    this.playing = true;
    this.#wake();
  }

  pause(): void {
    this.playing = false;
  }

  setSpeed(speed: number): void {
    this.speed = Math.max(1, Math.min(60, speed));
  }

  seek(at: number): void {
    if (!this.active) return;
    this.#at = this.#clamp(at);
    timeline.at = this.#at;
    this.#schedule();
    this.#wake();
  }

  /** Live again at once: the timeline reads the live records, the layer the live units. */
  backToLive(): void {
    this.#session++;
    this.#stopLoop();
    this.active = false;
    this.playing = false;
    this.loading = false;
    timeline.mode = 'live';
    timeline.at = null;
    timeline.replayIncidents = [];
    timeline.replayAlerts = [];
    timeline.replayJointPatrols = [];
    this.#chunks.clear();
    this.#inFlight.clear();
    this.scene.clear();
    this.unitCount = 0;
    this.#notify();
  }

  /** The view moved: when it left the area fetched, history is fetched again for the new one. */
  viewChanged(): void {
    if (!this.active || !this.#bbox) return;
    const view = this.viewBounds?.();
    if (!view || contains(this.#bbox, view)) return;
    this.#session++;
    this.#bbox = widenBbox(view);
    this.#chunks.clear();
    this.#inFlight.clear();
    this.scene.setTracks(new Map());
    void this.#loadRecords(this.#session);
    this.#schedule();
    this.#wake();
  }

  /** Trails for the units layer (rebuilt only when it asks, at most a few times a second). */
  trails(gcj02Display: boolean): { version: number; build: () => GeoJSON.FeatureCollection } | null {
    if (!this.active) return null;
    return {
      version: this.#trailsVersion,
      build: () => this.scene.trails(this.settings.trailMs, gcj02Display),
    };
  }

  #clamp(at: number): number {
    return Math.max(this.from, Math.min(this.to, at));
  }

  #viewBbox(): Bbox | null {
    const view = this.viewBounds?.();
    return view ? widenBbox(view) : null;
  }

  #stopLoop(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  /** Runs the clock from the next frame; it stops by itself once paused with everything drawn and loaded. */
  #wake(): void {
    if (!this.active || this.#frame !== 0) return;
    this.#lastFrame = null;
    this.#frame = requestAnimationFrame(this.#loop);
  }

  readonly #loop = (now: number): void => {
    this.#frame = 0;
    // Slow frames still advance by the real time that passed (up to a second: a tab the browser paused
    // should not jump ahead when it wakes).
    const dt = this.#lastFrame === null ? 0 : Math.min(now - this.#lastFrame, 1000);
    this.#lastFrame = now;
    const range = { from: this.from, to: this.to };
    const ready = isReady(this.#at, range, this.settings.plan, new Set(this.#chunks.keys()));
    if (this.loading === ready) this.loading = !ready;
    if (this.playing && ready) {
      const before = this.#at;
      this.#at = Math.min(this.to, this.#at + dt * this.speed);
      if (this.#at >= this.to) this.playing = false;
      const chunk = this.settings.plan.chunkMs;
      if (Math.floor(before / chunk) !== Math.floor(this.#at / chunk)) this.#schedule();
    }
    if (timeline.at !== this.#at) timeline.at = this.#at;
    const version = this.scene.table.version;
    const shown = this.scene.sample(this.#at, this.#identityOf);
    if (this.scene.table.version !== version) {
      this.#trailsVersion++;
      this.#notify();
    }
    if (shown !== this.unitCount) this.unitCount = shown;
    // While playing the records follow a few times a second; paused, at once.
    const recordsDue = this.#recordsAt !== this.#at || this.#recordsStale;
    if (recordsDue && (!this.playing || now - this.#recordsPublished >= RECORDS_REFRESH_MS)) {
      this.#recordsPublished = now;
      this.#publishRecords();
    }
    if (this.playing || !ready || this.#recordsAt !== this.#at)
      this.#frame = requestAnimationFrame(this.#loop);
  };

  readonly #identityOf = (id: string): UnitIdentity | undefined => {
    const current = units.get(id);
    return current ? { kind: current.kind, callsign: current.callsign } : this.#identities.get(id);
  };

  #publishRecords(): void {
    const at = this.#at;
    this.#recordsAt = at;
    this.#recordsStale = false;
    // Records the live stream carries are newer than any fetched copy: they win.
    const incidents = incidentsAt([...byId([...this.#incidents, ...live.incidents]).values()], at);
    if (!sameRecords(incidents, timeline.replayIncidents, (i) => `${i.status}`))
      timeline.replayIncidents = incidents;
    const alerts = alertsAt([...byId([...this.#alerts, ...live.alerts]).values()], at);
    if (!sameRecords(alerts, timeline.replayAlerts, (a) => a.acknowledgedAt)) timeline.replayAlerts = alerts;
    const table = this.scene.table;
    const patrols = jointPatrolsAt(this.#patrolEvents, at, (id) => {
      const slot = table.slot(id);
      return slot === undefined ? undefined : { lon: table.lonAt(slot), lat: table.latAt(slot) };
    });
    if (patrols.length > 0 || timeline.replayJointPatrols.length > 0) timeline.replayJointPatrols = patrols;
  }

  async #loadRecords(session: number): Promise<void> {
    const since = this.from - this.settings.plan.lookbackMs;
    try {
      const [identities, incidents, alerts, patrolEvents] = await Promise.all([
        fetchIdentities(),
        fetchIncidentsSince(since),
        fetchAlerts(),
        fetchJointPatrolEvents(this.from - this.settings.patrolLookbackMs),
      ]);
      if (session !== this.#session) return;
      this.#identities = identities;
      this.#incidents = incidents;
      this.#alerts = alerts;
      this.#patrolEvents = patrolEvents;
      this.#recordsStale = true;
      this.#wake();
    } catch (error) {
      if (session === this.#session) this.error = (error as Error).message;
    }
  }

  /** Fetches the chunks the instant needs, most urgent first, a couple at a time; lets go of far ones. */
  #schedule(): void {
    if (!this.active) return;
    const plan = this.settings.plan;
    let evicted = false;
    for (const chunk of evictableChunks(this.#at, plan, this.#chunks.keys())) {
      this.#chunks.delete(chunk);
      evicted = true;
    }
    if (evicted) this.#rebuildTracks();
    for (const chunk of neededChunks(this.#at, { from: this.from, to: this.to }, plan)) {
      if (this.#inFlight.size >= MAX_CONCURRENT_FETCHES) break;
      if (this.#chunks.has(chunk) || this.#inFlight.has(chunk)) continue;
      void this.#fetch(chunk, this.#session);
    }
  }

  async #fetch(chunk: number, session: number): Promise<void> {
    this.#inFlight.add(chunk);
    try {
      const fixes = await fetchHistoryChunk(chunk, chunk + this.settings.plan.chunkMs - 1, this.#bbox);
      if (session !== this.#session) return;
      this.#chunks.set(chunk, groupFixes(fixes));
      this.#rebuildTracks();
    } catch (error) {
      if (session === this.#session) this.error = (error as Error).message;
      return;
    } finally {
      if (session === this.#session) this.#inFlight.delete(chunk);
    }
    this.#schedule();
  }

  #rebuildTracks(): void {
    const ordered = [...this.#chunks.keys()]
      .sort((a, b) => a - b)
      .flatMap((chunk) => this.#chunks.get(chunk) ?? []);
    this.scene.setTracks(mergeTracks(ordered));
    this.#wake();
  }
}

export const replay = new ReplayController();
