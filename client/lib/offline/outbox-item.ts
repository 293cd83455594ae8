// What the outbox holds: one request the user made (a report, a check-in, a task move, an SOS) and its state.

export type OutboxKind = 'report' | 'checkin' | 'transition' | 'sos';
/** queued → sending → sent; a permanent refusal is failed; a transient one goes back to queued. */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxPhoto {
  bytes: ArrayBuffer;
  contentType: string;
}

/** Why the last attempt did not get through, in words the panel can translate. */
export interface OutboxProblem {
  /** network: no link or a timeout; server: a 5xx; signed_out: sign in again; rejected: a 4xx (permanent). */
  kind: 'network' | 'server' | 'signed_out' | 'rejected';
  status: number | null;
  code: string;
  message: string;
}

/** What a view hands the outbox. */
export interface OutboxDraft {
  kind: OutboxKind;
  /** The request: always POST with a JSON body. */
  path: string;
  body: Record<string, unknown>;
  /** The record it concerns (incident id, post id, segment id), for the panel and reconciliation. */
  ref: string | null;
  photo?: OutboxPhoto | null;
  /** Where the uploaded photo's id goes: its own field, or a `[photo:<id>]` line in the note. */
  photoInto?: 'photoId' | 'note';
  /** The server takes `idempotencyKey` in the body for this request (reports, check-ins, SOS). */
  idempotent: boolean;
}

export interface OutboxItem extends Required<Omit<OutboxDraft, 'photo'>> {
  id: string;
  /** The signed-in user who made it: only they send it (keys are per user on the server). */
  userId: string;
  idempotencyKey: string;
  photo: OutboxPhoto | null;
  /** Set once the photo is uploaded, so a retry does not upload it again. */
  photoId: string | null;
  createdAt: number;
  status: OutboxStatus;
  /** Attempts that failed since the item was (re)queued. */
  failures: number;
  nextAttemptAt: number;
  problem: OutboxProblem | null;
  sentAt: number | null;
  /** The server's answer once sent (e.g. {id, incidentId} for a report). */
  result: unknown;
}

/** Oldest first: the order the user made them in. */
export function byCreation(a: OutboxItem, b: OutboxItem): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
