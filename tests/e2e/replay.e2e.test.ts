// The time machine in a real browser (1920×1080): a server whose store already holds two hours of history for
// 2,400 units; log in, the live units are drawn; open replay an hour back: the replayed units are drawn by the
// WebGL layer; zoomed in, their callsigns follow them as replay plays at 60×; one click back to live restores
// the live picture. Assertions read what the units layer holds (window.__lianfangUnits) and what the map renders.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixRecord } from '../../server/store/store';
import { openSqliteStore } from '../../server/store/sqlite';
import { artifactPath, launchBrowser } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/process';
import { tempDir } from '../support/server';

const skip = process.env.E2E === 'skip';
const NAMED = 60;
const BACKGROUND = 2340;
const HOUR = 3_600_000;
const FIX_EVERY_MS = 60_000;
/** Where the named units walk (west of the background crowd), and the zoom that shows only them. */
const NAMED_CENTER: [number, number] = [106.7, 22.0];

let server: ServerProcess;
let browser: Browser;

interface UnitsStats {
  mode: string;
  units: number;
  drawn: number;
  symbols: number;
  labels: number;
  trails: number;
}

const stats = (page: Page): Promise<UnitsStats> =>
  page.evaluate(() => ({ ...(window as unknown as { __lianfangUnits: UnitsStats }).__lianfangUnits }));

/** Callsign → position of the labels the layer holds in WebGL mode when zoomed in (its label source). */
const labelPositions = (page: Page): Promise<Record<string, [number, number]>> =>
  page.evaluate(async () => {
    const map = (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap;
    const source = map.getSource<GeoJSONSource>('units-labels');
    const data = (await source?.getData()) as GeoJSON.FeatureCollection | undefined;
    const out: Record<string, [number, number]> = {};
    for (const feature of data?.features ?? [])
      out[String(feature.properties?.callsign)] = (feature.geometry as GeoJSON.Point).coordinates as [
        number,
        number,
      ];
    return out;
  });

/** Lets the map finish placing labels (after a language switch) before a screenshot; gives up after 5 s. */
async function settle(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap.loaded(),
      undefined,
      {
        timeout: 5_000,
      },
    )
    .catch(() => undefined);
}

/** Two hours of fixes, one a minute: named units walk east–west lines, the crowd drifts further east. */
async function seedHistory(dataDir: string, now: number): Promise<void> {
  const store = openSqliteStore(dataDir);
  const kinds = ['military', 'police', 'civilian'] as const;
  const units = Array.from({ length: NAMED + BACKGROUND }, (_, i) => ({
    id: i < NAMED ? `rp-${i}` : `bg-${i}`,
    kind: kinds[i % 3] as (typeof kinds)[number],
    callsign: i < NAMED ? `回放-${String(i).padStart(2, '0')}` : `背景-${i}`,
    deviceId: `rp-dev-${i}`,
    createdAt: now - 3 * HOUR,
  }));
  await store.units.createMany(units);
  const fixes: FixRecord[] = [];
  for (let t = now - 2 * HOUR; t <= now; t += FIX_EVERY_MS) {
    const minutes = (t - (now - 2 * HOUR)) / 60_000;
    units.forEach((unit, i) => {
      const named = i < NAMED;
      // Named units pace 0.06° east and back at 90 m a minute (1.5 m/s); the crowd sits on a grid and drifts.
      const phase = (i * 0.0011 + minutes * 0.00087) % 0.12;
      const east = phase < 0.06;
      const lon = named
        ? NAMED_CENTER[0] - 0.03 + (east ? phase : 0.12 - phase)
        : 106.85 + (i % 60) * 0.006 + minutes * 0.00001;
      const lat = named ? NAMED_CENTER[1] - 0.03 + (i % 20) * 0.003 : 21.9 + Math.floor(i / 60) * 0.01;
      fixes.push({
        unitId: unit.id,
        t,
        rx: t,
        lon,
        lat,
        accuracyMeters: 5,
        headingDeg: named ? (east ? 90 : 270) : 90,
        speedMps: 1.5,
        source: 'simulator',
      });
    });
  }
  await store.history.append(fixes);
  await store.close();
}

describe.skipIf(skip)('time machine (Chromium)', () => {
  beforeAll(async () => {
    const dataDir = tempDir();
    const started = performance.now();
    await seedHistory(dataDir, Date.now());
    console.log(
      `seeded ${(NAMED + BACKGROUND) * 121} fixes in ${(performance.now() - started).toFixed(0)} ms`,
    );
    server = await startServerProcess(
      { DATA_DIR: dataDir, SIM_INTERVAL_MS: '1000', DEMO_BACKFILL_DAYS: '0' },
      60_000,
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('replays an hour back with trails, plays at 60× and returns to live', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', 'lianfang-demo');
    await page.click('button[type=submit]');
    await page.waitForFunction(() =>
      Boolean((window as unknown as { __lianfangUnits?: unknown }).__lianfangUnits),
    );

    // Live: the simulator's units, drawn as symbols (few of them).
    let started = performance.now();
    await expect.poll(async () => (await stats(page)).symbols, { timeout: 30_000 }).toBeGreaterThan(20);
    const live = await stats(page);
    console.log(
      `live units drawn (${live.units}, ${live.mode}) in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(live.mode).toBe('symbols');
    expect(live.symbols).toBe(live.units);

    // Replay an hour back: the 2,400 units with history, by the WebGL layer.
    started = performance.now();
    await page.click('[data-testid=replay-open]');
    await page.waitForSelector('[data-testid=replay-bar]');
    await expect.poll(async () => (await stats(page)).units, { timeout: 30_000 }).toBe(NAMED + BACKGROUND);
    await expect.poll(async () => (await stats(page)).drawn, { timeout: 10_000 }).toBe(NAMED + BACKGROUND);
    console.log(`replay drew ${NAMED + BACKGROUND} units in ${(performance.now() - started).toFixed(0)} ms`);
    expect((await stats(page)).mode).toBe('gl');
    const replayedAt = Number(await page.getAttribute('[data-testid=replay-bar]', 'data-at'));
    expect(Math.abs(Date.now() - HOUR - replayedAt)).toBeLessThan(60_000);
    await page.screenshot({ path: artifactPath('replay-region-zh.png') });

    // Zoomed in on the named units: callsigns come with them; play at 60×: they move, with trails.
    await page.evaluate(
      (center) =>
        (window as unknown as { __lianfangMap: MapLibreMap }).__lianfangMap.jumpTo({ center, zoom: 13 }),
      NAMED_CENTER,
    );
    await expect
      .poll(async () => Object.keys(await labelPositions(page)).length, { timeout: 10_000 })
      .toBe(NAMED);
    const before = await labelPositions(page);
    await page.click('[data-testid=replay-speed-60]');
    await page.click('[data-testid=replay-play]');
    started = performance.now();
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid=replay-bar]', 'data-at')) - replayedAt, {
        timeout: 15_000,
      })
      .toBeGreaterThan(120_000);
    console.log(`2 replayed minutes passed in ${(performance.now() - started).toFixed(0)} ms at 60×`);
    await expect
      .poll(
        async () => {
          const after = await labelPositions(page);
          return Object.entries(after).filter(([callsign, [lon]]) => {
            const old = before[callsign];
            return old !== undefined && Math.abs(lon - old[0]) > 0.0005;
          }).length;
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(NAMED / 2);
    // Trails are rebuilt a few times a second at most, and only once the view's history chunks are in: wait.
    await expect
      .poll(async () => (await stats(page)).trails, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(NAMED);
    await page.screenshot({ path: artifactPath('replay-playing-zh.png') });
    await page.screenshot({
      path: artifactPath('replay-playing-detail.png'),
      clip: { x: 1100, y: 200, width: 500, height: 400 },
    });

    await page.click('[data-testid=replay-play]'); // pause
    await page.click('header button:has-text("English")');
    await expect.poll(() => page.textContent('[data-testid=replay-bar]')).toContain('Back to live');
    await settle(page);
    await page.screenshot({ path: artifactPath('replay-paused-en.png') });

    // One click back to live: the live units again, at once.
    started = performance.now();
    await page.click('[data-testid=replay-live]');
    await expect
      .poll(async () => (await stats(page)).units, { timeout: 5_000 })
      .toBeLessThan(NAMED + BACKGROUND);
    const back = await stats(page);
    console.log(
      `back to live (${back.units} units, ${back.mode}) in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(back.units).toBeGreaterThanOrEqual(live.units);
    expect(back.mode).toBe('symbols');
    expect(back.trails).toBe(0);
    await page.waitForSelector('[data-testid=replay-open]');
    await settle(page);
    await page.screenshot({ path: artifactPath('replay-back-live-en.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
