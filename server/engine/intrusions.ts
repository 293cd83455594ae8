// The border-intrusion rule for non-friendly tracks (CoT h/u/s/j/k from observers, cameras, sensors): a
// track inside the border zone raises `border.intrusion`, at most once a minute per track.
import type { DomainEvent } from '../contract';
import { newId } from '../domain/ids';
import type { Classify } from './live-state';

/** A track that is not one of our units (CoT with a non-friendly affiliation), as sensors report it. */
export interface ForeignTrack {
  uid: string;
  /** h hostile, u unknown, s suspect, j joker, k faker, n neutral, p pending, o none… */
  affiliation: string;
  lon: number;
  lat: number;
  t: number;
  staleAt: number | null;
  callsign: string | null;
  type: string;
}

/** Affiliations that are not ours: hostile, unknown, suspect, joker, faker. Neutral and pending are not. */
const NON_FRIENDLY = new Set(['h', 'u', 's', 'j', 'k']);
const REPEAT_MS = 60_000;

export function createIntrusionWatch(
  classify: Classify,
  emit: (event: DomainEvent) => void,
  now: () => number,
): (track: ForeignTrack) => void {
  const lastRaised = new Map<string, number>();
  return (track) => {
    const t = now();
    if (!NON_FRIENDLY.has(track.affiliation) || (track.staleAt !== null && track.staleAt < t)) return;
    const where = classify(track.lon, track.lat);
    if (!where.inBorderZone) return;
    const previous = lastRaised.get(track.uid);
    if (previous !== undefined && t - previous < REPEAT_MS) return;
    lastRaised.set(track.uid, t);
    if (lastRaised.size > 10_000) lastRaised.delete(lastRaised.keys().next().value as string);
    const distance =
      where.borderDistanceMeters === null ? '' : ` ${Math.round(where.borderDistanceMeters)} m`;
    emit({
      id: newId(t),
      type: 'border.intrusion',
      t,
      unitId: null,
      message: `边境区可疑目标 ${track.callsign ?? track.uid}（距边境线${distance}）`,
      data: { ...track, segmentId: where.segmentId, borderDistanceMeters: where.borderDistanceMeters },
    });
  };
}
