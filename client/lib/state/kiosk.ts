// Kiosk mode from the URL (/wall?kiosk=1&rotate=30&views=district,border,kpis): the flags, and which view
// comes next. Rotation pauses while a critical alarm is open, so a takeover is never rotated away.
export const KIOSK_VIEWS = ['district', 'border', 'kpis'] as const;
export type KioskView = (typeof KIOSK_VIEWS)[number];

export interface KioskFlags {
  kiosk: boolean;
  /** Seconds per view; 0 = no rotation. */
  rotateSeconds: number;
  views: KioskView[];
}

export const DEFAULT_ROTATE_SECONDS = 30;
const MIN_ROTATE_SECONDS = 5;
const MAX_ROTATE_SECONDS = 3600;

function truthy(value: string | null): boolean {
  return value !== null && ['1', 'true', 'yes', 'on', ''].includes(value.toLowerCase());
}

export function parseKioskFlags(search: string): KioskFlags {
  const params = new URLSearchParams(search);
  const kiosk = truthy(params.get('kiosk'));
  const raw = params.get('rotate');
  const parsed = raw === null ? DEFAULT_ROTATE_SECONDS : Number(raw);
  const rotateSeconds =
    !kiosk || !Number.isFinite(parsed) || parsed <= 0
      ? 0
      : Math.min(MAX_ROTATE_SECONDS, Math.max(MIN_ROTATE_SECONDS, Math.round(parsed)));
  const wanted = (params.get('views') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v): v is KioskView => (KIOSK_VIEWS as readonly string[]).includes(v));
  return { kiosk, rotateSeconds, views: wanted.length > 0 ? [...new Set(wanted)] : [...KIOSK_VIEWS] };
}

/** The view after `current` in the rotation (the first one when current is not in it). */
export function nextView(current: KioskView, views: readonly KioskView[]): KioskView {
  const at = views.indexOf(current);
  return views[(at + 1) % views.length] ?? current;
}
