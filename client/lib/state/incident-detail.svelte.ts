// The incident drawer's data: GET /api/incidents/:id (with its audit timeline) and the commands on it
// (transitions, escalate, mediation, feedback). A command's answer goes into the live records at once, so
// lists and the map do not wait for the delta; the timeline is then re-read.
import type {
  AssigneeRef,
  Incident,
  IncidentDetail,
  IncidentStatus,
  MediationInput,
} from '../../../server/contract';
import { ApiFailure, apiGet, apiSend } from '../net/api';
import { live } from './live.svelte';

export type IncidentCommand =
  | { kind: 'move'; to: IncidentStatus; note: string; assignee?: AssigneeRef }
  | { kind: 'escalate'; note: string }
  | { kind: 'mediation'; input: MediationInput }
  | { kind: 'feedback'; satisfaction: number; note: string };

/** What went wrong, for the drawer: the HTTP status and the server's own sentence (it names allowed moves). */
export interface CommandError {
  status: number;
  code: string;
  message: string;
}

function toCommandError(error: unknown): CommandError {
  if (error instanceof ApiFailure) return { status: error.status, code: error.code, message: error.message };
  return { status: 0, code: 'network', message: error instanceof Error ? error.message : String(error) };
}

function request(id: string, command: IncidentCommand): [string, unknown] {
  const base = `/api/incidents/${encodeURIComponent(id)}`;
  switch (command.kind) {
    case 'move':
      return [
        `${base}/transitions`,
        { to: command.to, note: command.note, ...(command.assignee ? { assignee: command.assignee } : {}) },
      ];
    case 'escalate':
      return [`${base}/escalate`, { note: command.note }];
    case 'mediation':
      return [`${base}/mediation`, command.input];
    case 'feedback':
      return [`${base}/feedback`, { satisfaction: command.satisfaction, note: command.note }];
  }
}

class IncidentDrawer {
  /** The incident shown, or null when the drawer is closed. */
  id = $state.raw<string | null>(null);
  detail = $state.raw<IncidentDetail | null>(null);
  loading = $state(false);
  busy = $state(false);
  loadError = $state.raw<CommandError | null>(null);
  commandError = $state.raw<CommandError | null>(null);
  #generation = 0;

  open(id: string): void {
    if (this.id === id) return;
    this.id = id;
    this.detail = null;
    this.commandError = null;
    void this.reload();
  }

  close(): void {
    this.id = null;
    this.detail = null;
    this.loadError = this.commandError = null;
  }

  /** The freshest record: the live stream's when it is newer than the one fetched with the timeline. */
  get incident(): Incident | null {
    const fetched = this.detail;
    const streamed = this.id ? live.incident(this.id) : undefined;
    if (streamed && (!fetched || streamed.updatedAt > fetched.updatedAt)) return streamed;
    return fetched;
  }

  async reload(): Promise<void> {
    const id = this.id;
    if (!id) return;
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const detail = await apiGet<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`);
      if (generation !== this.#generation) return;
      this.detail = detail;
      this.loadError = null;
    } catch (error) {
      if (generation === this.#generation) this.loadError = toCommandError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Runs a command; true when the server took it. */
  async run(command: IncidentCommand): Promise<boolean> {
    const id = this.id;
    if (!id || this.busy) return false;
    this.busy = true;
    this.commandError = null;
    try {
      const [path, body] = request(id, command);
      const incident = await apiSend<Incident>('POST', path, body);
      // Lists and the stream carry no reporter; neither does the copy kept for them.
      live.upsertIncident({ ...incident, reporter: null });
      await this.reload();
      return true;
    } catch (error) {
      this.commandError = toCommandError(error);
      // A 409 means our copy is behind: show what the incident is now.
      if (error instanceof ApiFailure && error.status === 409) await this.reload();
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export const incidentDrawer = new IncidentDrawer();
