// Where the tablet is: the browser's Geolocation watch (high accuracy) while the tablet view is open. It only
// draws "me" and fills the report form; sharing with the server is the patrol's job (patrol.svelte.ts).
import type { PositionMessage } from '../../../server/contract';

export type Fix = Required<Pick<PositionMessage, 'lon' | 'lat' | 't'>> & {
  accuracyMeters: number;
  headingDeg: number | null;
  speedMps: number | null;
};

/** Why there is no position: refused, no fix yet/lost, not https, or no Geolocation at all. */
export type LocationProblem = 'denied' | 'unavailable' | 'insecure' | 'unsupported';

const finiteOrNull = (value: number | null): number | null =>
  value !== null && Number.isFinite(value) ? value : null;

export function toFix(position: GeolocationPosition): Fix {
  const c = position.coords;
  const heading = finiteOrNull(c.heading);
  return {
    lon: c.longitude,
    lat: c.latitude,
    accuracyMeters: c.accuracy,
    headingDeg: heading !== null && heading >= 0 && heading <= 360 ? heading : null,
    speedMps: finiteOrNull(c.speed) !== null && (c.speed ?? -1) >= 0 ? c.speed : null,
    t: Math.round(position.timestamp),
  };
}

class LocationWatch {
  fix = $state.raw<Fix | null>(null);
  problem = $state<LocationProblem | null>(null);
  #watchId: number | null = null;
  readonly #listeners = new Set<(fix: Fix) => void>();

  start(): void {
    if (this.#watchId !== null) return;
    // Browsers give positions only to secure pages (https, or localhost): docs/tablet.md shows TLS_CERT/TLS_KEY.
    if (!isSecureContext) return void (this.problem = 'insecure');
    if (!('geolocation' in navigator)) return void (this.problem = 'unsupported');
    this.#watchId = navigator.geolocation.watchPosition(
      (position) => {
        const fix = toFix(position);
        this.fix = fix;
        this.problem = null;
        for (const listener of this.#listeners) listener(fix);
      },
      (error) => {
        this.problem = error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable';
      },
      { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 },
    );
  }

  stop(): void {
    if (this.#watchId !== null) navigator.geolocation.clearWatch(this.#watchId);
    this.#watchId = null;
  }

  onFix(listener: (fix: Fix) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export const myLocation = new LocationWatch();
