// The front door in a real browser: npm start's server, log in as operator, the map renders, units move.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchBrowser } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/process';
import { tempDir } from '../support/server';

const skip = process.env.E2E === 'skip';
let server: ServerProcess;
let browser: Browser;

interface RenderedUnit {
  id: string;
  kind: string;
  callsign: string;
  lon: number;
  lat: number;
}

async function renderedUnits(page: Page): Promise<RenderedUnit[]> {
  return page.evaluate(() => {
    const map = (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap;
    return map.queryRenderedFeatures({ layers: ['units-symbol'] }).map((f) => {
      const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
      return {
        id: String(f.id),
        kind: String(f.properties.kind),
        callsign: String(f.properties.callsign),
        lon,
        lat,
      };
    });
  });
}

/**
 * Waits for the map's `idle` event, or for a moment when it reports everything loaded: with units moving
 * twice a second a software-rendered map (swiftshader) may never go fully idle between updates.
 */
async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean((window as unknown as { __lianfangMap?: unknown }).__lianfangMap));
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap;
        const poll = setInterval(() => {
          if (map.loaded() && map.areTilesLoaded()) done();
        }, 100);
        const done = (): void => {
          clearInterval(poll);
          resolve();
        };
        map.once('idle', done);
      }),
  );
}

describe.skipIf(skip)('wall display (Chromium)', () => {
  beforeAll(async () => {
    // no backfill: this test is about the live picture, and a 3-day backfill slows the start on a busy machine
    server = await startServerProcess({
      DATA_DIR: tempDir(),
      SIM_INTERVAL_MS: '500',
      DEMO_BACKFILL_DAYS: '0',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a wrong password with a visible message', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('用户名或密码错误');
    await page.close();
  });

  it('logs in as operator: the map renders and units of three kinds appear and move', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The page runs under the server's strict CSP: a blocked worker, style or fetch shows up here.
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        violations.push(message.text());
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const started = performance.now();
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', 'lianfang-demo');
    await page.click('button[type=submit]');
    await page.waitForSelector('canvas.maplibregl-canvas');
    await expect.poll(() => page.getAttribute('[data-testid=connection]', 'data-status')).toBe('live');
    await page.waitForFunction(() =>
      Boolean((window as unknown as { __lianfangMap?: unknown }).__lianfangMap),
    );

    await expect
      .poll(async () => (await renderedUnits(page)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(30);
    console.log(`login → ≥ 30 units drawn in ${(performance.now() - started).toFixed(0)} ms`);
    const first = await renderedUnits(page);
    expect(new Set(first.map((u) => u.kind))).toEqual(new Set(['military', 'police', 'civilian']));

    const before = new Map(first.map((u) => [u.id, u]));
    await expect
      .poll(
        async () =>
          (await renderedUnits(page)).filter((u) => {
            const old = before.get(u.id);
            return old !== undefined && (old.lon !== u.lon || old.lat !== u.lat);
          }).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(10);

    // A click on a unit opens its card: callsign, kind, last fix (the nearest drawn unit within 12 px).
    // Units under an incident, alert or joint patrol symbol open that instead, so try a few.
    let opened: string | null = null;
    await waitForMapIdle(page); // a map still flying would move the unit between projecting and clicking
    const mapBox = (await (await page.$('canvas.maplibregl-canvas'))!.boundingBox())!;
    let tries = 0;
    for (const unit of await renderedUnits(page)) {
      const point = await page.evaluate(
        ([lon, lat]) =>
          (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap.project([lon, lat]),
        [unit.lon, unit.lat] as [number, number],
      );
      // Open map only: right of the legend (lower left), below the fence button, above the replay button.
      const open =
        point.x > 420 && point.x < mapBox.width - 80 && point.y > 80 && point.y < mapBox.height - 140;
      if (!open) continue;
      if (++tries > 8) break;
      await page.mouse.click(mapBox.x + point.x, mapBox.y + point.y);
      const card = await page
        .waitForSelector('[data-testid=map-popup]', { timeout: 10_000 })
        .catch(() => null);
      // Another unit within the 12 px (a patrol walking together) may be the nearer one: try the next.
      const text = (await card?.textContent()) ?? '';
      if (card && (await card.getAttribute('data-type')) === 'unit' && text.includes(unit.callsign)) {
        expect(text).toContain('最后定位');
        opened = unit.callsign;
        await page.screenshot({ path: artifactPath('wall-unit-card-zh.png') });
        break;
      }
      await page.keyboard.press('Escape');
    }
    expect(opened).not.toBeNull();
    await page.keyboard.press('Escape');

    // An admin imports a new segments layer: the open wall fetches and draws it without a reload.
    const segmentsOnMap = (): Promise<number> =>
      page.evaluate(async () => {
        const map = (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap;
        const source = map.getSource<GeoJSONSource>('layer-segments');
        const data = source ? ((await source.getData()) as GeoJSON.FeatureCollection) : null;
        return data?.features.length ?? 0;
      });
    await expect.poll(segmentsOnMap).toBe(47);
    const admin = (await (
      await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'lianfang-demo' }),
      })
    ).json()) as { token: string };
    const headers = { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' };
    const current = (await (
      await fetch(`${server.url}/api/layers/segments`, { headers })
    ).json()) as GeoJSON.FeatureCollection;
    const imported = await fetch(`${server.url}/api/layers/segments`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ ...current, features: current.features.slice(0, 40) }),
    });
    expect(imported.status).toBe(200);
    await expect.poll(segmentsOnMap, { timeout: 10_000 }).toBe(40);

    const canvas = await page.$('canvas.maplibregl-canvas');
    const box = await canvas?.boundingBox();
    expect(box?.width).toBeGreaterThan(1000);
    await waitForMapIdle(page);
    await page.screenshot({ path: artifactPath('wall-operator-zh.png') });

    await page.click('button:has-text("English")');
    await expect.poll(() => page.textContent('header')).toContain('Units on duty');
    await page.screenshot({ path: artifactPath('wall-operator-en.png') });
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);

    // Offline: every request went to our own server (or stayed in the page), none left the host.
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((url) => !url.startsWith(origin) && !/^(blob|data):/.test(url));
    expect(foreign).toEqual([]);
    expect(requests.some((url) => url.endsWith('/basemap.geojson'))).toBe(true);
    const basemapFeatures = await page.evaluate(
      () =>
        (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap.querySourceFeatures('basemap')
          .length,
    );
    expect(basemapFeatures).toBeGreaterThan(0);
    await page.close();
  });
});
