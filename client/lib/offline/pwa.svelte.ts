// The installable tablet: registers /sw.js (built client only), hands it what this page loaded before it took
// control, and says when the app can open with no signal; signing out forgets the stored API answers.
import { session } from '../state/session.svelte';

/** What the page fetched from our origin: scripts, the map's worker, layers, the basemap. */
function loadedUrls(): string[] {
  const urls = [location.pathname];
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name);
    const path = url.pathname + url.search;
    if (url.origin === location.origin && !url.pathname.startsWith('/socket.io/') && !urls.includes(path))
      urls.push(path);
  }
  return urls;
}

function ask<T>(target: ServiceWorker, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<T>) => resolve(event.data);
    target.postMessage(message, [channel.port2]);
  });
}

class Pwa {
  /** The shell and what this page has shown are stored: a reload with no signal still opens the tablet. */
  offlineReady = $state(false);
  #registration: Promise<ServiceWorkerRegistration | null> | null = null;

  /**
   * Registers the worker once; not under Vite's dev server (its modules are no app shell). `import.meta.hot`
   * tells the dev server apart, where `import.meta.env.PROD` would follow whatever NODE_ENV the build ran with.
   */
  register(): void {
    if (import.meta.hot || !('serviceWorker' in navigator)) return;
    this.#registration ??= navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .catch(() => null);
  }

  /** Stores everything this page has loaded so far (call again once the map and its layers are in). */
  async cacheSeen(): Promise<void> {
    const registration = await this.#registration;
    if (!registration?.active) return;
    // The worker has no token of its own: the page lends its own for the /api answers it loaded.
    const token = session.current?.token ?? null;
    await ask(registration.active, { type: 'cache-urls', urls: loadedUrls(), token });
    this.offlineReady = true;
  }

  forgetData(): void {
    navigator.serviceWorker?.controller?.postMessage({ type: 'forget-data' });
  }
}

export const pwa = new Pwa();
