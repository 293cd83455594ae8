// Keeps a kiosk wall's screen on with the Screen Wake Lock API. The browser drops the lock whenever the page
// is hidden, so it is asked for again on every return to visible.
const RETRY_MS = 60_000;

export type WakeLockState = 'off' | 'held' | 'released' | 'unsupported' | 'refused';

class ScreenWake {
  state = $state<WakeLockState>('off');
  #sentinel: WakeLockSentinel | null = null;

  /** Holds the lock until the returned function is called. */
  keepAwake(): () => void {
    if (typeof navigator === 'undefined' || !('wakeLock' in navigator)) {
      this.state = 'unsupported';
      return () => {};
    }
    let active = true;
    const acquire = async (): Promise<void> => {
      if (!active || document.visibilityState !== 'visible' || this.#sentinel) return;
      try {
        const sentinel = await navigator.wakeLock.request('screen');
        if (!active) return void sentinel.release();
        this.#sentinel = sentinel;
        this.state = 'held';
        sentinel.addEventListener('release', () => {
          this.#sentinel = null;
          if (active) this.state = 'released';
        });
      } catch {
        // Refused (no user activation yet, power saving, a policy): visibilitychange tries again.
        this.state = 'refused';
      }
    };
    const onVisibility = (): void => void acquire();
    document.addEventListener('visibilitychange', onVisibility);
    // A refusal is not final (battery saver ended, focus came back): ask again now and then.
    const retry = setInterval(onVisibility, RETRY_MS);
    void acquire();
    return () => {
      active = false;
      clearInterval(retry);
      document.removeEventListener('visibilitychange', onVisibility);
      void this.#sentinel?.release();
      this.#sentinel = null;
      this.state = 'off';
    };
  }
}

export const screenWake = new ScreenWake();
