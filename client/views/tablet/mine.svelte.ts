// What the tablet is about: my unit, my segments (with coverage), their posts, my tasks, my joint patrol and
// the units near me. Layers and lists come over REST (refreshed now and then, stored by the service worker
// for offline); tasks and the joint patrol follow the live stream; nearby units are recomputed every 2 s.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Incident, JointPatrol, UnitKind, UnitState, User } from '../../../server/contract';
import { apiGet } from '../../lib/net/api';
import { live } from '../../lib/state/live.svelte';
import { session } from '../../lib/state/session.svelte';
import { units } from '../../lib/state/units.svelte';
import { myLocation } from './location.svelte';
import { featureIdOf, nearbyUnits, type NearbyUnit, type SegmentFeature } from './tablet-geometry';
import { mergeTasks } from './tasks';

export interface SegmentStatus {
  segmentId: string;
  name: string | null;
  nameEn: string | null;
  coveredFraction: number;
  coveredMeters: number;
  lengthMeters: number;
  lastPatrolledAt: number | null;
  overdue: boolean;
}

export type PostFeature = Feature<Point, Record<string, unknown>> & { id: string };

export interface MyUnit {
  id: string;
  kind: UnitKind;
  callsign: string;
}

const REFRESH_MS = 30_000;
const NEARBY_MS = 2_000;
export const NEARBY_RADIUS_M = 5_000;

class Mine {
  segments = $state.raw<SegmentFeature[]>([]);
  status = $state.raw<Record<string, SegmentStatus>>({});
  posts = $state.raw<PostFeature[]>([]);
  unit = $state.raw<MyUnit | null>(null);
  /** The road chief's name from my segment (the account has only a username). */
  chiefName = $state<string | null>(null);
  /** My unit as the live picture has it (null while off duty). */
  unitState = $state.raw<UnitState | null>(null);
  nearby = $state.raw<NearbyUnit[]>([]);
  loaded = $state(false);
  loadFailed = $state(false);
  #fetchedTasks = $state.raw<Incident[]>([]);
  #timers: ReturnType<typeof setInterval>[] = [];

  get user(): User | null {
    return session.current?.user ?? null;
  }

  /** Open incidents assigned to me, the stream's latest versions first. */
  get tasks(): Incident[] {
    const user = this.user;
    return user ? mergeTasks(this.#fetchedTasks, live.incidents, user) : [];
  }

  get jointPatrol(): JointPatrol | null {
    const id = this.unitState?.jointPatrolId;
    return id ? (live.jointPatrols.find((patrol) => patrol.id === id) ?? null) : null;
  }

  start(): () => void {
    void this.#loadLayers();
    void this.refresh();
    this.#timers.push(setInterval(() => void this.refresh(), REFRESH_MS));
    this.#timers.push(setInterval(() => this.#follow(), NEARBY_MS));
    this.#follow();
    return () => {
      for (const timer of this.#timers) clearInterval(timer);
      this.#timers = [];
    };
  }

  /** Coverage and tasks again (after an action, or every 30 s). */
  async refresh(): Promise<void> {
    const user = this.user;
    if (!user) return;
    const [status, tasks] = await Promise.allSettled([
      apiGet<{ items: SegmentStatus[] }>('/api/segments/status'),
      apiGet<{ items: Incident[] }>('/api/me/tasks'),
    ]);
    if (status.status === 'fulfilled') {
      const mine = status.value.items.filter((s) => user.segmentIds.includes(s.segmentId));
      this.status = Object.fromEntries(mine.map((s) => [s.segmentId, s]));
    }
    if (tasks.status === 'fulfilled') this.#fetchedTasks = tasks.value.items;
  }

  async #loadLayers(): Promise<void> {
    const user = this.user;
    if (!user) return;
    try {
      const [segments, posts, unit] = await Promise.all([
        apiGet<FeatureCollection>('/api/layers/segments'),
        apiGet<FeatureCollection>('/api/layers/posts').catch(() => null),
        user.unitId
          ? apiGet<MyUnit>(`/api/units/${encodeURIComponent(user.unitId)}`).catch(() => null)
          : Promise.resolve(null),
      ]);
      const mine = segments.features
        .map((f) => ({ ...f, id: featureIdOf(f) }) as SegmentFeature)
        .filter((f) => user.segmentIds.includes(f.id));
      this.segments = mine;
      const chief = mine
        .map((f) => f.properties.roadChief as { name?: string; unitId?: string } | undefined)
        .find((c) => c?.unitId === user.unitId);
      this.chiefName = chief?.name ?? null;
      this.posts = (posts?.features ?? [])
        .filter(
          (f) => f.geometry?.type === 'Point' && user.segmentIds.includes(String(f.properties?.segmentId)),
        )
        .map((f) => ({ ...f, id: featureIdOf(f) }) as PostFeature);
      this.unit = unit ? { id: unit.id, kind: unit.kind, callsign: unit.callsign } : null;
      this.loaded = true;
    } catch {
      this.loadFailed = true;
    }
  }

  /** My unit's live state and the units near me (my fix, else my unit's last position). */
  #follow(): void {
    const user = this.user;
    const state = user?.unitId ? (units.get(user.unitId) ?? null) : null;
    if (state !== this.unitState) this.unitState = state;
    const here = myLocation.fix ?? state;
    this.nearby = here
      ? nearbyUnits(units.all(), here.lon, here.lat, {
          excludeId: user?.unitId ?? null,
          radiusMeters: NEARBY_RADIUS_M,
          limit: 8,
        })
      : [];
  }
}

export const mine = new Mine();
