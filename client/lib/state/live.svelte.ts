// The closed loop's live records: incidents, alerts and joint patrols by id, and the recent event feed.
// Fed by the same snapshots and deltas as the units; lists are replaced (never mutated) so panels re-render
// only when something changed. Incidents and alerts are tens to hundreds, unlike units.
import type { Alert, Delta, DomainEvent, Incident, JointPatrol, Snapshot } from '../../../server/contract';

/** Events kept for the feed, newest first. */
export const EVENT_FEED_SIZE = 200;

const byNewest = <T extends { t: number }>(a: T, b: T): number => b.t - a.t;

class LiveRecords {
  readonly #incidents = new Map<string, Incident>();
  readonly #alerts = new Map<string, Alert>();
  readonly #jointPatrols = new Map<string, JointPatrol>();

  /** Every incident the stream has carried, newest update first (closed ones stay until the next snapshot). */
  incidents = $state.raw<Incident[]>([]);
  /** Every alert the stream has carried, newest first; `acknowledgedAt === null` are the open queue. */
  alerts = $state.raw<Alert[]>([]);
  jointPatrols = $state.raw<JointPatrol[]>([]);
  /** Recent domain events, newest first. */
  events = $state.raw<DomainEvent[]>([]);
  /** Listeners told of every alert the moment it arrives (the alarm takeover, sounds). */
  readonly #alertListeners = new Set<(alert: Alert) => void>();

  incident(id: string): Incident | undefined {
    return this.#incidents.get(id);
  }

  alert(id: string): Alert | undefined {
    return this.#alerts.get(id);
  }

  onAlert(listener: (alert: Alert) => void): () => void {
    this.#alertListeners.add(listener);
    return () => this.#alertListeners.delete(listener);
  }

  applySnapshot(snapshot: Snapshot): void {
    this.#incidents.clear();
    this.#alerts.clear();
    this.#jointPatrols.clear();
    for (const incident of snapshot.incidents) this.#incidents.set(incident.id, incident);
    for (const alert of snapshot.alerts) this.#alerts.set(alert.id, alert);
    for (const patrol of snapshot.jointPatrols) this.#jointPatrols.set(patrol.id, patrol);
    this.#publishIncidents();
    this.#publishAlerts();
    this.#publishJointPatrols();
  }

  applyDelta(delta: Pick<Delta, 'incidents' | 'alerts' | 'events' | 'jointPatrols'>): void {
    if (delta.incidents.length > 0) {
      for (const incident of delta.incidents) this.#incidents.set(incident.id, incident);
      this.#publishIncidents();
    }
    if (delta.alerts.length > 0) {
      const fresh = delta.alerts.filter((alert) => !this.#alerts.has(alert.id));
      for (const alert of delta.alerts) this.#alerts.set(alert.id, alert);
      this.#publishAlerts();
      for (const alert of fresh) for (const listener of this.#alertListeners) listener(alert);
    }
    if (delta.jointPatrols) {
      for (const patrol of delta.jointPatrols.upsert) this.#jointPatrols.set(patrol.id, patrol);
      for (const id of delta.jointPatrols.remove) this.#jointPatrols.delete(id);
      this.#publishJointPatrols();
    }
    if (delta.events.length > 0) {
      this.events = [...[...delta.events].sort(byNewest), ...this.events].slice(0, EVENT_FEED_SIZE);
    }
  }

  /** Applies a record fetched over REST (after an action), so the panel need not wait for the delta. */
  upsertIncident(incident: Incident): void {
    this.#incidents.set(incident.id, incident);
    this.#publishIncidents();
  }

  upsertAlert(alert: Alert): void {
    this.#alerts.set(alert.id, alert);
    this.#publishAlerts();
  }

  #publishIncidents(): void {
    this.incidents = [...this.#incidents.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  #publishAlerts(): void {
    this.alerts = [...this.#alerts.values()].sort(byNewest);
  }

  #publishJointPatrols(): void {
    this.jointPatrols = [...this.#jointPatrols.values()].sort((a, b) => a.formedAt - b.formedAt);
  }
}

export const live = new LiveRecords();
