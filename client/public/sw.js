// The tablet's service worker: the app shell (index.html, hashed assets, manifest, icons) and the basemap and
// layer data stay on the device, so the tablet opens with no signal; /api is network-first (a stored answer
// only when the network fails or stalls); writes, sockets and other origins pass straight through.
// Hand-written on purpose: vite copies client/public/ as it is, and this file is small enough to read.

const VERSION = 'v1';
/** index.html (under '/'), /assets/* (content-hashed, never change), manifest and icons. */
const SHELL = `lianfang-shell-${VERSION}`;
/** /basemap.*, /api/* answers: the latest good answer of each URL. */
const DATA = `lianfang-data-${VERSION}`;
/** A stalled network answer waits this long before a stored one is used (the network keeps going). */
const NETWORK_WAIT_MS = 5000;

/** @type {ServiceWorkerGlobalScope} */
const worker = /** @type {any} */ (self);

const sameOrigin = (url) => url.origin === worker.location.origin;
const isShellPath = (path) =>
  path === '/' ||
  path.startsWith('/assets/') ||
  path.startsWith('/icons/') ||
  path === '/manifest.webmanifest';
const cacheFor = (path) => (isShellPath(path) ? SHELL : DATA);

/** The same-origin URLs index.html loads (its script, styles, manifest, icons). */
function referencedBy(html) {
  const urls = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/[^"]*)"/g)) urls.add(match[1]);
  return [...urls];
}

async function store(cacheName, key, response) {
  if (!response.ok || response.type === 'opaque') return;
  try {
    await (await caches.open(cacheName)).put(key, response);
  } catch {
    // Storage full or refused: the answer still reaches the page.
  }
}

/**
 * Fetches and stores URLs the page names (what it loaded before this worker controlled it); /api URLs with
 * the page's access token, since the worker has none of its own.
 */
async function storeAll(urls, token = null) {
  let stored = 0;
  for (const raw of urls) {
    const url = new URL(raw, worker.location.origin);
    if (!sameOrigin(url) || url.pathname.startsWith('/socket.io/') || url.pathname === '/sw.js') continue;
    const key = url.pathname === '/tablet' || url.pathname === '/wall' ? '/' : url.pathname + url.search;
    try {
      const cached = await caches.match(key, { ignoreVary: true });
      // Hashed assets never change; everything else is refreshed.
      if (cached && url.pathname.startsWith('/assets/')) {
        stored++;
        continue;
      }
      const api = url.pathname.startsWith('/api/');
      if (api && !token) continue;
      const init = api ? { headers: { authorization: `Bearer ${token}` } } : { cache: 'no-cache' };
      await store(cacheFor(url.pathname), key, await fetch(url.href, init));
      stored++;
    } catch {
      // Offline or refused: it will be stored the next time the page fetches it.
    }
  }
  return stored;
}

/**
 * Assets the scripts name, followed through the chunks they name in turn: the views are chunks of their own
 * (listed in the entry as "assets/…"), and the map's worker is named by URL ("/assets/…") in the map's chunk.
 */
async function assetsNamedIn(paths) {
  const found = new Set();
  let scripts = paths.filter((p) => p.startsWith('/assets/') && p.endsWith('.js'));
  for (let depth = 0; depth < 4 && scripts.length > 0; depth++) {
    const next = [];
    for (const path of scripts) {
      const cached = await caches.match(path);
      const text = cached ? await cached.text() : '';
      for (const match of text.matchAll(
        /(?<=["'`/])assets\/[\w.-]+\.(?:js|mjs|css|png|svg|woff2?)(?=["'`])/g,
      )) {
        const asset = `/${match[0]}`;
        if (found.has(asset) || paths.includes(asset)) continue;
        found.add(asset);
        if (asset.endsWith('.js')) next.push(asset);
      }
    }
    await storeAll(next);
    scripts = next;
  }
  return [...found];
}

async function precache() {
  const response = await fetch('/', { cache: 'no-cache' });
  const html = await response.clone().text();
  await store(SHELL, '/', response);
  const referenced = referencedBy(html);
  await storeAll([...referenced, '/basemap.json', '/basemap.geojson']);
  await storeAll(await assetsNamedIn(referenced));
}

worker.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL && name !== DATA) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('message', (event) => {
  const message = event.data ?? {};
  const reply = (answer) => event.ports[0]?.postMessage(answer);
  if (message.type === 'cache-urls' && Array.isArray(message.urls)) {
    const token = typeof message.token === 'string' ? message.token : null;
    event.waitUntil(storeAll(message.urls, token).then((stored) => reply({ ok: true, stored })));
  } else if (message.type === 'forget-data') {
    // Signed out: the API answers were that user's.
    event.waitUntil(caches.delete(DATA).then(() => reply({ ok: true })));
  }
});

/** Network first; the stored answer when the network fails, or stalls past NETWORK_WAIT_MS. */
async function networkFirst(request, cacheName, key) {
  const network = fetch(request).then(async (response) => {
    await store(cacheName, key, response.clone());
    return response;
  });
  let timer;
  const stalled = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_WAIT_MS, 'stalled');
  });
  try {
    const first = await Promise.race([network, stalled]);
    if (first !== 'stalled') return first;
    const cached = await caches.match(key, { ignoreVary: true });
    return cached ?? (await network);
  } catch (error) {
    const cached = await caches.match(key, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  } finally {
    clearTimeout(timer);
    network.catch(() => undefined);
  }
}

async function cacheFirst(request, cacheName) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  await store(cacheName, request, response.clone());
  return response;
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!sameOrigin(url) || url.pathname.startsWith('/socket.io/') || url.pathname === '/sw.js') return;
  if (request.mode === 'navigate') {
    // Every page of the client is the same index.html: stored once, under '/'.
    event.respondWith(networkFirst(request, SHELL, '/'));
  } else if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/api/photos/')) {
    event.respondWith(cacheFirst(request, cacheFor(url.pathname)));
  } else {
    event.respondWith(networkFirst(request, cacheFor(url.pathname), url.pathname + url.search));
  }
});
