// Where a hotline call is placed, as the body of POST /api/incidents: a grid or post id, or lon+lat.
import type { MessageKey } from '../../../lib/i18n/messages';
import type { Place } from '../../../lib/state/places';

export type PlaceMode = 'name' | 'coords' | 'map';

export type IntakePlace =
  | { ok: true; body: { gridId: string } | { postId: string } | { lon: number; lat: number } }
  | { ok: false; problem: MessageKey };

export function intakePlace(mode: PlaceMode, place: Place | null, lon: string, lat: string): IntakePlace {
  if (mode === 'name') {
    if (!place) return { ok: false, problem: 'wall.placeMissing' };
    if (place.kind === 'grid') return { ok: true, body: { gridId: place.id } };
    if (place.kind === 'post') return { ok: true, body: { postId: place.id } };
    return { ok: true, body: { lon: place.lon, lat: place.lat } };
  }
  const x = Number(lon.trim());
  const y = Number(lat.trim());
  if (!lon.trim() || !lat.trim() || !Number.isFinite(x) || !Number.isFinite(y))
    return { ok: false, problem: 'wall.coordsMissing' };
  if (x < -180 || x > 180 || y < -90 || y > 90) return { ok: false, problem: 'wall.coordsOutOfRange' };
  return { ok: true, body: { lon: x, lat: y } };
}
