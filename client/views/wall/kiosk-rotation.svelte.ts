// The kiosk's rotation between views: advances every N seconds, holds while a critical alarm is open (and
// leaves the full-screen KPIs at once so the alarm's map is seen), and maps a view to the map's region.
import type { Region } from '../../lib/map/regions';
import { nextView, type KioskFlags, type KioskView } from '../../lib/state/kiosk';

export function regionOf(view: KioskView, current: Region['id']): Region['id'] {
  return view === 'district' ? 'dongcheng' : view === 'border' ? 'pingxiang' : current;
}

export class KioskRotation {
  view = $state<KioskView>('district');
  readonly #flags: KioskFlags;

  constructor(flags: KioskFlags) {
    this.#flags = flags;
    this.view = flags.views[0] ?? 'district';
  }

  get rotating(): boolean {
    return this.#flags.kiosk && this.#flags.rotateSeconds > 0 && this.#flags.views.length > 1;
  }

  /**
   * Rotates until the returned function is called: one timer per view shown, re-armed whenever the view or
   * `alarmOpen()` (read reactively) changes.
   */
  start(alarmOpen: () => boolean): () => void {
    return $effect.root(() => {
      $effect(() => this.arm(alarmOpen()));
    });
  }

  /** Arms the next step from the view shown now (reading it makes an effect re-arm on every change). */
  arm(alarmOpen: boolean): (() => void) | undefined {
    const current = this.view;
    if (alarmOpen) {
      if (current === 'kpis') this.view = this.#flags.views.find((v) => v !== 'kpis') ?? 'border';
      return undefined;
    }
    if (!this.rotating) return undefined;
    const timer = setTimeout(
      () => (this.view = nextView(current, this.#flags.views)),
      this.#flags.rotateSeconds * 1000,
    );
    return () => clearTimeout(timer);
  }
}
