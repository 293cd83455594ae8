// Acknowledging and claiming alarms (POST /api/alerts/:id/ack): a claim is an acknowledgement whose note
// says who took it, since the alert API has one owner-less ack. The answer goes into the live records.
import type { Alert } from '../../../server/contract';
import { ApiFailure, apiSend } from '../net/api';
import { live } from './live.svelte';

class AlarmActions {
  /** Alert ids with a request in flight. */
  pending = $state.raw<ReadonlySet<string>>(new Set());
  /** The last refusal by alert id (e.g. 409: already acknowledged by someone, at some time). */
  errors = $state.raw<Readonly<Record<string, string>>>({});

  async acknowledge(alert: Pick<Alert, 'id'>, note: string): Promise<boolean> {
    if (this.pending.has(alert.id)) return false;
    this.pending = new Set([...this.pending, alert.id]);
    const { [alert.id]: _, ...rest } = this.errors;
    this.errors = rest;
    try {
      const body = note.trim() ? { note: note.trim() } : {};
      const acked = await apiSend<Alert>('POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, body);
      live.upsertAlert(acked);
      return true;
    } catch (error) {
      const message = error instanceof ApiFailure ? `${error.status} · ${error.message}` : String(error);
      this.errors = { ...this.errors, [alert.id]: message };
      return false;
    } finally {
      this.pending = new Set([...this.pending].filter((id) => id !== alert.id));
    }
  }
}

export const alarmActions = new AlarmActions();
