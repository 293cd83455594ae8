// The outbox items the tablet makes, one function per kind: path, body (as the server's contract takes it),
// where the photo goes, and whether the server dedupes by idempotency key.
import type { AnomalyType, IncidentStatus } from '../../../server/contract';
import type { OutboxDraft, OutboxPhoto } from '../../lib/offline/outbox-item';

export interface Place {
  lon: number;
  lat: number;
  accuracyMeters?: number;
}

const withNote = (note: string): { note?: string } => (note.trim() ? { note: note.trim() } : {});

export function reportDraft(input: {
  segmentId: string;
  status: 'normal' | 'anomaly';
  anomalyType: AnomalyType | null;
  place: Place;
  note: string;
  photo: OutboxPhoto | null;
}): OutboxDraft {
  return {
    kind: 'report',
    path: '/api/reports',
    body: {
      segmentId: input.segmentId,
      status: input.status,
      ...(input.status === 'anomaly' ? { anomalyType: input.anomalyType } : {}),
      lon: input.place.lon,
      lat: input.place.lat,
      ...withNote(input.note),
    },
    ref: input.segmentId,
    photo: input.photo,
    photoInto: 'photoId',
    idempotent: true,
  };
}

/** A move on my task; a resolution's photo rides in the note (IncidentTransition has no photo field). */
export function transitionDraft(
  incidentId: string,
  to: IncidentStatus,
  note: string,
  photo: OutboxPhoto | null,
): OutboxDraft {
  return {
    kind: 'transition',
    path: `/api/incidents/${encodeURIComponent(incidentId)}/transitions`,
    body: { to, note: note.trim() },
    ref: incidentId,
    photo,
    photoInto: 'note',
    idempotent: false,
  };
}

/** POST /api/posts/:id/checkins {lon?, lat?, note?, idempotencyKey?} (the route is another issue's). */
export function checkinDraft(postId: string, place: Place | null, note = ''): OutboxDraft {
  return {
    kind: 'checkin',
    path: `/api/posts/${encodeURIComponent(postId)}/checkins`,
    body: { ...(place ? { lon: place.lon, lat: place.lat } : {}), ...withNote(note) },
    ref: postId,
    idempotent: true,
  };
}

export function sosDraft(place: Place | null, note: string): OutboxDraft {
  return {
    kind: 'sos',
    path: '/api/sos',
    body: {
      ...(place ? { lon: place.lon, lat: place.lat, accuracyMeters: place.accuracyMeters ?? null } : {}),
      ...withNote(note),
    },
    ref: null,
    idempotent: true,
  };
}
