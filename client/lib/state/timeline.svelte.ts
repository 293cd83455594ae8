// Live or replay: what the map and panels draw. Live reads the stream's records; the time machine
// (replay.svelte.ts) sets mode, at and the replay records for the instant it shows (rebuilt from the REST API;
// units from /api/history go to the units layer through replay.scene). Layers read from here, never from
// `live` directly, so replay needs no change in them.
import type { Alert, Incident, JointPatrol } from '../../../server/contract';
import { live } from './live.svelte';

class Timeline {
  mode = $state<'live' | 'replay'>('live');
  /** The instant shown in replay (epoch ms); null when live. */
  at = $state<number | null>(null);
  replayIncidents = $state.raw<Incident[]>([]);
  replayAlerts = $state.raw<Alert[]>([]);
  replayJointPatrols = $state.raw<JointPatrol[]>([]);

  get incidents(): Incident[] {
    return this.mode === 'live' ? live.incidents : this.replayIncidents;
  }

  get alerts(): Alert[] {
    return this.mode === 'live' ? live.alerts : this.replayAlerts;
  }

  get jointPatrols(): JointPatrol[] {
    return this.mode === 'live' ? live.jointPatrols : this.replayJointPatrols;
  }
}

export const timeline = new Timeline();
