// The patrol-leader tablet in Chromium with a touch viewport and emulated GPS, against `npm start`'s server:
// start a patrol and the position reaches the server; with the link cut, file an anomaly report with a photo,
// reload (the service worker opens the app), restore the link, and the report arrives exactly once and
// raises an incident an operator's socket receives. Then tasks, English, portrait and SOS. Screenshots in
// artifacts/e2e/.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Delta, Incident, LoginResponse, Snapshot } from '../../server/contract';
import { artifactPath, launchBrowser } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/process';
import { tempDir, waitFor, type TestSocket } from '../support/server';

const skip = process.env.E2E === 'skip';
const PASSWORD = 'lianfang-demo';
/** On px-seg-01, the demo leader's segment (its road chief's unit is px-rc-01). */
const ON_SEGMENT = { longitude: 106.6957, latitude: 22.2734, accuracy: 8 };
const FURTHER_ALONG = { longitude: 106.6937, latitude: 22.27443, accuracy: 6 };

let server: ServerProcess;
let browser: Browser;
let osmandPort = 0;
const sockets: TestSocket[] = [];

async function login(username: string): Promise<LoginResponse> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as LoginResponse;
}

async function api<T>(token: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(server.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** An operator's live socket, as the wall has it. */
async function operatorSocket(token: string): Promise<TestSocket> {
  const socket: TestSocket = io(server.url, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(socket);
  await new Promise<Snapshot>((resolve, reject) => {
    socket.once('snapshot', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** A unit's device reports over the OsmAnd protocol (the test's stand-in for other patrols nearby). */
async function deviceFix(deviceId: string, lon: number, lat: number): Promise<void> {
  const query = `id=${deviceId}&lat=${lat}&lon=${lon}&timestamp=${Math.floor(Date.now() / 1000)}&accuracy=5`;
  const response = await fetch(`http://127.0.0.1:${osmandPort}/?${query}`);
  expect(response.status).toBe(200);
}

async function tabletContext(viewport: { width: number; height: number }): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: ON_SEGMENT,
    permissions: ['geolocation'],
    serviceWorkers: 'allow',
  });
}

async function signIn(page: Page, username = 'leader'): Promise<void> {
  await page.goto(`${server.url}/tablet`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.locator('button[type=submit]').tap();
  await page.waitForSelector('canvas.maplibregl-canvas');
  await expect
    .poll(() => page.getAttribute('[data-testid=connection]', 'data-status'), { timeout: 15_000 })
    .toBe('live');
}

async function mapLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean((window as unknown as { __lianfangMap?: unknown }).__lianfangMap));
  await page.waitForFunction(
    () => (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap.loaded(),
    null,
    {
      timeout: 20_000,
    },
  );
}

/** Every visible button (bars, panel, map controls) is at least 44 px both ways. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        '.tablet button, .tablet label.take, .tablet .maplibregl-ctrl button',
      ),
    ]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.height < 44 || box.width < 44))
      .map(({ el, box }) => `${el.textContent?.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
}

/** A real PNG (a screenshot of a blank page), as the camera input would hand over a picture. */
async function cameraPhoto(context: BrowserContext): Promise<Buffer> {
  const scratch = await context.newPage();
  await scratch.setViewportSize({ width: 640, height: 480 });
  await scratch.setContent(
    '<body style="margin:0;background:linear-gradient(#5a7,#ca6)"><h1>便道</h1></body>',
  );
  const png = await scratch.screenshot({ type: 'png' });
  await scratch.close();
  return png;
}

describe.skipIf(skip)('patrol-leader tablet (Chromium, touch, emulated GPS)', () => {
  beforeAll(async () => {
    // No simulator: the leader's own unit moves only when the tablet says so.
    // no demo backfill or demo life: the test counts the reports and incidents it makes itself
    server = await startServerProcess({
      DATA_DIR: tempDir(),
      SIM_UNITS: '0',
      DEMO_BACKFILL_DAYS: '0',
      DEMO_LIFE_INTERVAL_MS: '0',
    });
    osmandPort = Number(/"osmand":(\d+)/.exec(server.output())?.[1]);
    expect(osmandPort).toBeGreaterThan(0);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await browser?.close();
    await server?.stop();
  });

  it('shares positions on patrol, and delivers an offline report with a photo exactly once after a reload', async () => {
    const context = await tabletContext({ width: 1024, height: 768 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const started = performance.now();
    await signIn(page);
    await mapLoaded(page);
    await expect.poll(() => page.textContent('[data-testid=gps]')).toContain('±8');
    await expect.poll(() => page.locator('[data-testid="segment-px-seg-01"]').count()).toBe(1);
    console.log(`sign-in → map, GPS and my segment in ${(performance.now() - started).toFixed(0)} ms`);

    // Two other patrols nearby (a police and a military unit) show in the overview.
    await deviceFix('dev-px-pol-02', 106.6962, 22.2737);
    await deviceFix('dev-px-mil-01', 106.699, 22.2725);
    await expect.poll(() => page.locator('[data-testid=nearby] li').count(), { timeout: 10_000 }).toBe(2);

    // Start the patrol: the fix goes over the socket with an acknowledgement and the server has it.
    const admin = await login('admin');
    const leader = await login('leader');
    await page.locator('[data-testid=patrol-toggle]').tap();
    await page.waitForSelector('[data-testid=position-ack]');
    const unitAt = async () => {
      const units = await api<GeoJSON.FeatureCollection>(admin.token, '/api/units');
      const mine = units.features.find((f) => f.id === 'px-rc-01' || f.properties?.id === 'px-rc-01');
      return mine
        ? {
            coordinates: (mine.geometry as GeoJSON.Point).coordinates,
            accuracy: mine.properties?.accuracyMeters,
          }
        : null;
    };
    await expect.poll(unitAt, { timeout: 10_000 }).toEqual({ coordinates: [106.6957, 22.2734], accuracy: 8 });
    // My accuracy circle is drawn around me with the fix's radius.
    const circleRadius = () =>
      page.evaluate(async () => {
        const map = (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap;
        const data = (await map
          .getSource<GeoJSONSource>('tablet-me')
          ?.getData()) as GeoJSON.FeatureCollection;
        const circle = data.features.find((f) => f.properties?.role === 'accuracy')
          ?.geometry as GeoJSON.Polygon;
        const me = data.features.find((f) => f.properties?.role === 'me')?.geometry as GeoJSON.Point;
        const [x, y] = circle.coordinates[0]![0]!;
        const [cx, cy] = me.coordinates;
        const k = Math.cos((cy! * Math.PI) / 180);
        return Math.round(Math.hypot((x! - cx!) * k, y! - cy!) * 111_320);
      });
    await expect.poll(circleRadius).toBe(8);
    const moved = performance.now();
    await context.setGeolocation(FURTHER_ALONG);
    await expect
      .poll(unitAt, { timeout: 10_000 })
      .toEqual({ coordinates: [106.6937, 22.27443], accuracy: 6 });
    console.log(`GPS move → server has it in ${(performance.now() - moved).toFixed(0)} ms`);
    expect((await api<{ onDuty: boolean }>(leader.token, '/api/me/duty')).onDuty).toBe(true);

    // The service worker has stored the app shell and what the page showed.
    await page.waitForSelector('.tablet[data-offline-ready=true]', { timeout: 30_000 });
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('tablet-landscape-1024-zh.png') });

    // The link goes: the road chief files an anomaly with a photo.
    const operator = await login('operator');
    const wall = await operatorSocket(operator.token);
    const incidents: Incident[] = [];
    wall.on('delta', (delta: Delta) =>
      incidents.push(...delta.incidents.filter((i) => i.source === 'report')),
    );
    await context.setOffline(true);
    await page.locator('[data-testid=panel-report]').tap();
    await page.locator('[data-testid=status-anomaly]').tap();
    await page.locator('[data-testid=anomaly-smuggling]').tap();
    await page.fill('textarea[name=note]', '两人背货越过便道');
    await page.setInputFiles('[data-testid=report-photo-input]', {
      name: 'fence.png',
      mimeType: 'image/png',
      buffer: await cameraPhoto(context),
    });
    await page.waitForSelector('[data-testid=report-photo-preview]');
    await page.locator('[data-testid=report-send]').tap();
    await expect
      .poll(() => page.textContent('[data-testid=report-status]'), { timeout: 10_000 })
      .toContain('已保存，联网后自动发送');
    expect(
      await page.getAttribute('[data-testid=report-status] [data-testid=outbox-status]', 'data-status'),
    ).toBe('queued');
    await page.screenshot({ path: artifactPath('tablet-report-offline-zh.png') });

    // Reload with no link: the service worker opens the app, the report is still queued.
    await page.reload();
    await page.waitForSelector('[data-testid=outbox-count]');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect.poll(() => page.getAttribute('[data-testid=outbox-count]', 'data-waiting')).toBe('1');
    // The stored layers and basemap draw the map, and my segment is listed, all with no network.
    await page.locator('[data-testid=panel-overview]').tap();
    await page.locator('[data-testid="segment-px-seg-01"]').waitFor({ timeout: 15_000 });
    await mapLoaded(page);
    const offlineMap = () =>
      page.evaluate(async () => {
        const map = (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap;
        const segments = map.getSource<GeoJSONSource>('layer-segments');
        const data = segments ? ((await segments.getData()) as GeoJSON.FeatureCollection) : null;
        return { segments: data?.features.length ?? 0, basemap: map.isSourceLoaded('basemap') };
      });
    await expect.poll(offlineMap, { timeout: 15_000 }).toEqual({ segments: 47, basemap: true });
    await page.screenshot({ path: artifactPath('tablet-reloaded-offline-zh.png') });
    await page.locator('[data-testid=outbox-count]').tap();
    const queued = page.locator('[data-testid=outbox-item][data-kind=report]');
    await expect.poll(() => queued.getAttribute('data-status')).toBe('queued');
    await expect.poll(() => queued.textContent()).toContain('已保存，联网后自动发送');
    await page.screenshot({ path: artifactPath('tablet-outbox-after-reload-offline-zh.png') });
    const before = await api<{ items: unknown[] }>(leader.token, '/api/reports?segmentId=px-seg-01');
    expect(before.items).toEqual([]);

    // The link returns: nobody touches anything, the report arrives once and raises one incident.
    const restored = performance.now();
    await context.setOffline(false);
    await expect.poll(() => queued.getAttribute('data-status'), { timeout: 45_000 }).toBe('sent');
    console.log(`link restored → report delivered in ${(performance.now() - restored).toFixed(0)} ms`);
    await expect.poll(() => incidents.length, { timeout: 10_000 }).toBeGreaterThan(0);
    console.log(
      `link restored → incident on the operator's socket in ${(performance.now() - restored).toFixed(0)} ms`,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const reports = await api<{
      items: { id: string; photoId: string | null; note: string; status: string }[];
    }>(leader.token, '/api/reports?segmentId=px-seg-01');
    expect(reports.items).toHaveLength(1);
    expect(reports.items[0]).toMatchObject({
      status: 'anomaly',
      note: '两人背货越过便道',
      photoId: expect.any(String),
    });
    const raised = await api<{ items: Incident[] }>(operator.token, '/api/incidents?category=smuggling');
    expect(raised.items).toHaveLength(1);
    expect(raised.items[0]).toMatchObject({
      reportId: reports.items[0]!.id,
      source: 'report',
      segmentId: 'px-seg-01',
    });
    expect(new Set(incidents.map((i) => i.id))).toEqual(new Set([raised.items[0]!.id]));
    const photo = await fetch(`${server.url}/api/photos/${reports.items[0]!.photoId}`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    expect(photo.headers.get('content-type')).toBe('image/jpeg'); // re-encoded small on the device
    console.log(
      `photo: ${(await photo.arrayBuffer()).byteLength} bytes as stored (a 640×480 PNG from the camera input)`,
    );
    await page.screenshot({ path: artifactPath('tablet-outbox-delivered-zh.png') });

    // Ending the patrol takes the unit off the map at once.
    await page.locator('[data-testid=patrol-toggle]').tap();
    await expect.poll(unitAt, { timeout: 10_000 }).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works a dispatched task, speaks English, fits portrait and 1280×800, and raises SOS', async () => {
    const operator = await login('operator');
    const created = await api<Incident>(operator.token, '/api/incidents', {
      category: 'safety',
      summary: '便道护栏倒塌',
      source: 'hotline',
      lon: 106.6966,
      lat: 22.2731,
    });
    await api(operator.token, `/api/incidents/${created.id}/transitions`, { to: 'accepted' });
    await api(operator.token, `/api/incidents/${created.id}/transitions`, {
      to: 'dispatched',
      assignee: { type: 'unit', id: 'px-rc-01' },
    });
    const wall = await operatorSocket(operator.token);

    const context = await tabletContext({ width: 768, height: 1024 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page);
    await mapLoaded(page);
    await page.locator('[data-testid=panel-tasks]').tap();
    const card = page.locator(`[data-testid="task-${created.id}"]`);
    await card.waitFor();
    await page.screenshot({ path: artifactPath('tablet-portrait-tasks-zh.png') });
    const statusOf = async () => (await api<Incident>(operator.token, `/api/incidents/${created.id}`)).status;
    await card.locator('[data-testid=move-in_progress]').tap();
    await expect.poll(statusOf, { timeout: 10_000 }).toBe('in_progress');
    await card.locator('[data-testid=move-resolved]').tap();
    await card.locator('textarea').fill('护栏已扶正加固');
    await page.setInputFiles(`[data-testid="task-${created.id}"] [data-testid=resolve-photo-input]`, {
      name: 'fixed.png',
      mimeType: 'image/png',
      buffer: await cameraPhoto(context),
    });
    await card.locator('[data-testid=resolve-photo-preview]').waitFor();
    await card.locator('button.primary').tap();
    await expect.poll(statusOf, { timeout: 15_000 }).toBe('resolved');
    const detail = await api<{ timeline: { to: string | null; note: string }[] }>(
      operator.token,
      `/api/incidents/${created.id}`,
    );
    expect(detail.timeline.find((entry) => entry.to === 'resolved')?.note).toMatch(
      /^护栏已扶正加固\n\[photo:[0-9a-f]{64}\]$/,
    );

    await page.locator('button:has-text("English")').tap();
    await expect.poll(() => page.textContent('[data-testid=panel-tasks]')).toContain('Tasks');
    expect(await smallTargets(page)).toEqual([]);
    await page.locator('[data-testid=panel-overview]').tap();
    await page.screenshot({ path: artifactPath('tablet-portrait-768-en.png') });
    await page.locator('[data-testid=panel-report]').tap();
    await page.screenshot({ path: artifactPath('tablet-portrait-report-en.png') });

    // 1280×800 landscape, English; then SOS, confirmed, reaches the operators as a critical alarm.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid=panel-overview]').tap();
    await page.screenshot({ path: artifactPath('tablet-landscape-1280-en.png') });
    const alarm = waitFor<Delta>(wall, 'delta', (d) => d.alerts.some((a: Alert) => a.type === 'sos'), 15_000);
    await page.locator('[data-testid=sos]').tap();
    await page.waitForSelector('[data-testid=sos-dialog]');
    await page.screenshot({ path: artifactPath('tablet-sos-confirm-en.png') });
    const pressed = performance.now();
    await page.locator('[data-testid=sos-confirm]').tap();
    const delta = await alarm;
    console.log(
      `SOS confirmed → critical alert on the operator's socket in ${(performance.now() - pressed).toFixed(0)} ms`,
    );
    expect(delta.alerts.find((a) => a.type === 'sos')).toMatchObject({
      severity: 'critical',
      unitId: 'px-rc-01',
      lon: ON_SEGMENT.longitude,
      lat: ON_SEGMENT.latitude,
    });
    await expect.poll(() => page.textContent('[data-testid=sos-banner]')).toContain('SOS received');
    await page.locator('button:has-text("中文")').tap();
    await page.screenshot({ path: artifactPath('tablet-landscape-1280-sos-zh.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
