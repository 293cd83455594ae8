// The wall client under 50,000 live units at 1 Hz, in Chromium (swiftshader): a recorded packed stream (made with
// the server's encoder) replayed over a real Socket.io server into the client's own path — lib/net → units
// store → units layer on a MapLibre map with the built-in basemap — and, in the same run, into the naive path
// (decoded UnitStates → one GeoJSON source, setData or updateData). Measures main-thread time per update (the
// renderer's TaskDuration from the DevTools protocol, all of it: socket, store, layer, MapLibre's frame, GC),
// the stream → store handler and the layer's frame work, long tasks (> 50 ms); then first load of the real app
// on localhost and the bundle size. One JSON line per measurement. `ours-10hz` replays the same moves at the
// server's cadence (ten deltas a second, a tenth of the units each).
//   npx tsx tests/bench/client-units.bench.ts        (BENCH_UNITS=50000, BENCH_UPDATES=30)
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { Server } from 'socket.io';
import { build } from 'vite';
import { ensureClientBuild } from '../../scripts/ensure-client';
import { launchBrowser } from '../support/browser';
import { startServerProcess } from '../support/process';
import { ROOT, tempDir } from '../support/server';
import { splitPackedSnapshot } from '../../server/realtime/packed-snapshot';
import { FLUSHES_PER_SECOND, recordStream, type RecordedStream } from './client-units-stream';
import { sampleCpu, type CpuSample } from './client-units-cpu';
import { describeMachine } from './load-machine';

const UNITS = Number(process.env.BENCH_UNITS ?? 50_000);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 30);
const WARM_UPDATES = 5;
const WATCHDOG_MS = 15 * 60_000;
const PAGE_DIR = path.join(ROOT, 'tests', 'bench', 'client-units');
/** BENCH_PROFILE=1: an unminified page and, per path, the 15 functions with the most self time in the window. */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** BENCH_TRACE=1: a DevTools trace of loading and the snapshot; what the long tasks from the socket's creation on
 * spent their time in (artifacts/bench-units-<mode>-z<zoom>-trace.json). */
const TRACE = process.env.BENCH_TRACE === '1';

type Mode = 'ours' | 'setdata' | 'updatedata' | 'repaint';
/** A path of the run: a page mode, and `ours-10hz` (the page's `ours` fed ten deltas a second). */
type PathName = Mode | 'ours-10hz';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const emit = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function buildPage(): Promise<string> {
  const outDir = tempDir('lianfang-bench-page-');
  // vite build sets NODE_ENV=production for this process; the server started later must not inherit it.
  const nodeEnv = process.env.NODE_ENV;
  await build({
    configFile: false,
    root: PAGE_DIR,
    base: '/',
    logLevel: 'warn',
    plugins: [svelte({ configFile: path.join(ROOT, 'svelte.config.js') })],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000, minify: !PROFILE },
  });
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
};

/** The page, the basemap data, and a Socket.io server that sends the recording's snapshot to each client,
 * in parts as Lianfang sends a packed client its snapshot (server/realtime/packed-snapshot.ts). */
async function serve(pageDir: string, stream: RecordedStream) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://bench');
    const file =
      url.pathname === '/basemap.geojson'
        ? path.join(ROOT, 'data', 'basemap.geojson')
        : path.join(pageDir, url.pathname === '/' ? 'index.html' : url.pathname);
    if (!file.startsWith(pageDir) && !file.endsWith('basemap.geojson')) return response.writeHead(403).end();
    fs.readFile(file, (error, body) => {
      if (error) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    });
  });
  const io = new Server(server, { maxHttpBufferSize: 1e8 });
  // BENCH_SNAPSHOT_WHOLE=1: one message, as before packed snapshots came in parts (for comparison).
  const parts =
    process.env.BENCH_SNAPSHOT_WHOLE === '1'
      ? { first: stream.snapshot, rest: [] }
      : splitPackedSnapshot(stream.snapshot);
  io.on('connection', (socket) => {
    socket.emit('snapshot', parts.first);
    for (const part of parts.rest) socket.emit('snapshot:continued', part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    io,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      }),
  };
}

async function taskSeconds(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** One WebSocket message the page handled (client-units/ws-timing.ts). */
interface MessageTiming {
  start: number;
  ms: number;
  bytes: number;
}

interface PageReport {
  messages: MessageTiming[];
  held: number;
  connectAt: number;
  heldAllAt: number;
  lastSeq: number;
  storeMs: number[];
  drawMs: number[];
  longTasks: { start: number; duration: number }[];
  windowStart: number;
  drawn: number;
}

async function runPath(
  browser: Browser,
  url: string,
  io: Server,
  stream: RecordedStream,
  mode: Mode,
  zoom: number,
  hz = 1,
): Promise<Record<string, unknown>> {
  const deltas = hz === 1 ? stream.deltas : stream.tenths;
  /** Deltas in the window (UPDATES seconds), and before it. */
  const updates = UPDATES * hz;
  const warm = WARM_UPDATES * hz;
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (TRACE)
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'],
    });
  await page.goto(`${url}/?mode=${mode}&zoom=${zoom}`);
  await page.waitForFunction(
    (units) => {
      const bench = (window as unknown as { __bench?: { ready: boolean; held: number } }).__bench;
      return bench?.ready === true && bench.held === units;
    },
    stream.units,
    { timeout: 120_000 },
  );
  const traced = TRACE ? longTasksInTrace(await browser.stopTracing(), `${mode}-z${zoom}`) : undefined;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const browserSession = await browser.newBrowserCDPSession();
  let before: Record<string, number> = {};
  let cpuBefore: CpuSample = { mainMs: 0, rendererMs: 0, gpuMs: 0 };
  let windowStartedAt = 0;
  // Paced against the start, so that late timers do not stretch the cadence.
  let due = performance.now();
  for (let i = 0; i < warm + updates; i++) {
    if (i === warm) {
      await page.evaluate(() =>
        (window as unknown as { __bench: { markWindow(): void } }).__bench.markWindow(),
      );
      before = await taskSeconds(cdp);
      cpuBefore = await sampleCpu(browserSession);
      if (PROFILE) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
      }
      windowStartedAt = performance.now();
    }
    io.emit('delta:packed', deltas[i]);
    due += 1000 / hz;
    await sleep(Math.max(0, due - performance.now()));
  }
  const after = await taskSeconds(cdp);
  const cpuAfter = await sampleCpu(browserSession);
  const hotspots = PROFILE ? topSelfTime((await cdp.send('Profiler.stop')).profile, 15) : undefined;
  const elapsedS = (performance.now() - windowStartedAt) / 1000;
  const report = await page.evaluate((): PageReport => {
    const w = window as unknown as {
      __bench: PageReport & { drawn: () => number };
      __wsMessages: MessageTiming[];
    };
    return { ...w.__bench, drawn: w.__bench.drawn(), messages: w.__wsMessages };
  });
  const longTasks = report.longTasks.filter((task) => task.start >= report.windowStart);
  // Before the window: loading the page and applying the snapshot of every unit.
  const startupTasks = report.longTasks.filter((task) => task.start < report.windowStart);
  // From the socket's creation (after the map's load settled) until half a second after the last unit was held:
  // the snapshot's arrival and the first frames that draw it.
  const snapshotTasks = report.longTasks.filter(
    (task) => task.start + task.duration >= report.connectAt && task.start <= report.heldAllAt + 500,
  );
  // Each message's decoding and handlers: the snapshot's messages, and the stream's in the window.
  const snapshotMessages = report.messages.filter(
    (m) => m.start >= report.connectAt && m.start <= report.heldAllAt,
  );
  const windowMessages = report.messages.filter((m) => m.start >= report.windowStart);
  const task = (name: string): number => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
  const label = hz === 1 ? mode : `${mode}-${hz}hz`;
  await page.screenshot({ path: path.join(ROOT, 'artifacts', `bench-units-${label}-z${zoom}.png`) });
  await browserSession.detach();
  await context.close();
  const storeMsTotal = report.storeMs.reduce((a, b) => a + b, 0);
  const layerMsTotal = report.drawMs.reduce((a, b) => a + b, 0);
  return {
    name: `client-units-${label}`,
    units: stream.units,
    zoom,
    deltasPerSecond: hz,
    updates,
    delivered: report.storeMs.length,
    lastSeq: report.lastSeq,
    drawnAtEnd: report.drawn,
    mainThreadCpuMsPerUpdate: round((cpuAfter.mainMs - cpuBefore.mainMs) / updates),
    rendererCpuMsPerUpdate: round((cpuAfter.rendererMs - cpuBefore.rendererMs) / updates),
    gpuProcessCpuMsPerUpdate: round((cpuAfter.gpuMs - cpuBefore.gpuMs) / updates),
    mainThreadMsPerUpdate: round(task('TaskDuration') / updates),
    scriptMsPerUpdate: round(task('ScriptDuration') / updates),
    mainThreadBusyPct: round((task('TaskDuration') / (elapsedS * 1000)) * 100, 1),
    storeMsP50: round(percentile(report.storeMs, 50)),
    storeMsP95: round(percentile(report.storeMs, 95)),
    layerMsPerUpdate: round(layerMsTotal / updates),
    layerMsMax: round(Math.max(0, ...report.drawMs)),
    layerMsPerFrame: round(layerMsTotal / Math.max(1, report.drawMs.length)),
    /** Per second of the stream (the same as per update at 1 Hz): what the 2 ms goal is about at 10 Hz. */
    perSecond: {
      mainThreadCpuMs: round((cpuAfter.mainMs - cpuBefore.mainMs) / UPDATES),
      mainThreadTaskMs: round(task('TaskDuration') / UPDATES),
      storeMs: round(storeMsTotal / UPDATES),
      layerMs: round(layerMsTotal / UPDATES),
      ourCodeMs: round((storeMsTotal + layerMsTotal) / UPDATES),
      layerFrames: round(report.drawMs.length / UPDATES, 1),
    },
    ourCodeMsPerUpdate: round((storeMsTotal + layerMsTotal) / updates),
    longTasks: longTasks.length,
    longTaskMaxMs: round(Math.max(0, ...longTasks.map((t) => t.duration))),
    longTaskTotalMs: round(longTasks.reduce((a, t) => a + t.duration, 0)),
    startupLongTaskMaxMs: round(Math.max(0, ...startupTasks.map((t) => t.duration))),
    snapshotMs: round(report.heldAllAt - report.connectAt, 0),
    snapshotLongTasks: snapshotTasks.length,
    snapshotLongTaskMaxMs: round(Math.max(0, ...snapshotTasks.map((t) => t.duration))),
    snapshotMessages: snapshotMessages.length,
    snapshotMessageMaxMs: round(Math.max(0, ...snapshotMessages.map((m) => m.ms))),
    snapshotMessagesMs: round(snapshotMessages.reduce((a, m) => a + m.ms, 0)),
    snapshotMB: round(snapshotMessages.reduce((a, m) => a + m.bytes, 0) / 1e6, 1),
    messageMaxMsInWindow: round(Math.max(0, ...windowMessages.map((m) => m.ms))),
    errors,
    ...(hotspots ? { hotspots } : {}),
    ...(traced ? { traced } : {}),
  };
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event: a wall-clock task far longer than this waited for the core. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Long tasks on the page's main thread after the socket opened: their length and the events inside them. */
function longTasksInTrace(buffer: Buffer, label: string): unknown[] {
  fs.writeFileSync(path.join(ROOT, 'artifacts', `bench-units-${label}-trace.json`), buffer);
  const events = (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const connect = events.find((e) => e.name === 'bench-connect');
  if (!main || !connect) return [];
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = onMain.filter(
    (e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000 && e.ts + (e.dur ?? 0) >= connect.ts,
  );
  return tasks.map((task) => {
    const end = task.ts + (task.dur ?? 0);
    const inside = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts > end) continue;
      inside.set(e.name, (inside.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const top = [...inside.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    return {
      afterConnectMs: round((task.ts - connect.ts) / 1000, 0),
      ms: round((task.dur ?? 0) / 1000, 0),
      cpuMs: round((task.tdur ?? 0) / 1000, 0),
      inside: top.map(([name, ms]) => `${name} ${round(ms, 1)}`),
    };
  });
}

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function (ms over the window), most first. */
function topSelfTime(profile: Profile, count: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const name = frame
      ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`
      : '?';
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${round(ms / UPDATES)} ms/update ${name}`);
}

/** The real app: first load of the login page, login → live map with units, and a signed-in cold reload. */
async function firstLoad(browser: Browser): Promise<Record<string, unknown>> {
  const server = await startServerProcess({ DATA_DIR: tempDir() }, 120_000);
  try {
    const unitsDrawn = (page: Page) =>
      page.waitForFunction(
        () => {
          const stats = (
            window as unknown as { __lianfangUnits?: { units: number; symbols: number; drawn: number } }
          ).__lianfangUnits;
          // Not map.loaded(): with live units, a GeoJSON source updated ten times a second is nearly always
          // loading, and the poll can miss every moment it is not (a minute went by without one).
          return Boolean(stats && stats.units > 0 && stats.symbols + stats.drawn > 0);
        },
        undefined,
        { timeout: 60_000, polling: 50 },
      );
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    let started = performance.now();
    await page.goto(server.url);
    await page.waitForSelector('input[name=username]');
    const loginPageMs = performance.now() - started;
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', 'lianfang-demo');
    started = performance.now();
    await page.click('button[type=submit]');
    await unitsDrawn(page);
    const loginToMapMs = performance.now() - started;
    const session = await page.evaluate(() => localStorage.getItem('lianfang.session'));
    await context.close();

    // An operator already signed in opens the wall in a fresh browser (cold cache).
    const cold = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await cold.addInitScript((value) => {
      if (value && !localStorage.getItem('lianfang.session')) localStorage.setItem('lianfang.session', value);
      // Milestones of the load, in ms since navigation start.
      const marks: Record<string, number> = {};
      (window as unknown as { __milestones: Record<string, number> }).__milestones = marks;
      const poll = setInterval(() => {
        const w = window as unknown as {
          __lianfangMap?: { loaded(): boolean; isStyleLoaded(): boolean | void };
          __lianfangUnits?: { units: number; symbols: number; drawn: number };
        };
        const now = Math.round(performance.now());
        if (w.__lianfangMap) marks.mapCreated ??= now;
        if (w.__lianfangMap?.isStyleLoaded()) marks.styleLoaded ??= now;
        if (w.__lianfangMap?.loaded()) marks.mapLoaded ??= now;
        if (w.__lianfangUnits && w.__lianfangUnits.units > 0) marks.unitsHeld ??= now;
        const stats = w.__lianfangUnits;
        if (stats && stats.symbols + stats.drawn > 0) marks.unitsDrawn ??= now;
        if (marks.unitsDrawn && marks.mapLoaded) clearInterval(poll);
      }, 20);
    }, session);
    const wall = await cold.newPage();
    started = performance.now();
    await wall.goto(server.url);
    await unitsDrawn(wall);
    const signedInColdMs = performance.now() - started;
    const milestones = await wall.evaluate(
      () => (window as unknown as { __milestones: Record<string, number> }).__milestones,
    );
    const navigation = await wall.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return entry ? { domContentLoaded: entry.domContentLoadedEventEnd, load: entry.loadEventEnd } : null;
    });
    await cold.close();
    return {
      name: 'client-first-load',
      loginPageMs: round(loginPageMs, 0),
      loginToMapWithUnitsMs: round(loginToMapMs, 0),
      signedInColdLoadToUnitsMs: round(signedInColdMs, 0),
      signedInColdMilestonesMs: milestones,
      domContentLoadedMs: round(navigation?.domContentLoaded ?? NaN, 0),
      loadEventMs: round(navigation?.load ?? NaN, 0),
    };
  } finally {
    await server.stop();
  }
}

function bundleSize(): Record<string, unknown> {
  ensureClientBuild();
  const assets = path.join(ROOT, 'dist', 'client', 'assets');
  const files = fs.readdirSync(assets).filter((name) => /\.(js|mjs|css)$/.test(name));
  const sizes = files.map((name) => {
    const body = fs.readFileSync(path.join(assets, name));
    return { name, bytes: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length };
  });
  const kb = (n: number): number => round(n / 1024, 1);
  const sum = (pick: (s: (typeof sizes)[number]) => boolean) =>
    sizes
      .filter(pick)
      .reduce((acc, s) => ({ bytes: acc.bytes + s.bytes, gzip: acc.gzip + s.gzip }), { bytes: 0, gzip: 0 });
  const js = sum((s) => /\.m?js$/.test(s.name));
  const css = sum((s) => s.name.endsWith('.css'));
  return {
    name: 'client-bundle',
    jsKiB: kb(js.bytes),
    jsGzipKiB: kb(js.gzip),
    cssKiB: kb(css.bytes),
    cssGzipKiB: kb(css.gzip),
    files: sizes.map((s) => ({ name: s.name, kib: kb(s.bytes), gzipKiB: kb(s.gzip) })),
  };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error('client-units bench: watchdog fired');
    process.exit(2);
  }, WATCHDOG_MS);
  emit({ name: 'machine', ...describeMachine() });
  let started = performance.now();
  const only = process.env.BENCH_PATHS?.split(',') as PathName[] | undefined;
  const stream = recordStream(UNITS, WARM_UPDATES + UPDATES, {
    tenths: !only || only.includes('ours-10hz'),
  });
  const bytes = stream.deltas.reduce((n, d) => n + (d.positions as Uint8Array).byteLength, 0);
  emit({
    name: 'recording',
    units: UNITS,
    deltas: stream.deltas.length,
    recordBytesPerDelta: Math.round(bytes / stream.deltas.length),
    recordMs: round(performance.now() - started, 0),
  });
  started = performance.now();
  const pageDir = await buildPage();
  emit({ name: 'page-build', ms: round(performance.now() - started, 0) });
  const { url, io, close } = await serve(pageDir, stream);
  const browser = await launchBrowser();
  try {
    const runs: [PathName, Mode, number, number][] = [
      ['repaint', 'repaint', 10.6, 1],
      ['ours', 'ours', 10.6, 1],
      ['ours-10hz', 'ours', 10.6, FLUSHES_PER_SECOND],
      ['ours', 'ours', 8, 1],
      ['setdata', 'setdata', 10.6, 1],
      ['updatedata', 'updatedata', 10.6, 1],
    ];
    const results: Record<string, unknown>[] = [];
    for (const [name, mode, zoom, hz] of runs) {
      if (only && !only.includes(name)) continue;
      const result = await runPath(browser, url, io, stream, mode, zoom, hz);
      results.push(result);
      emit(result);
    }
    const ours = results.find((r) => r.name === 'client-units-ours' && r.zoom === 10.6);
    for (const naive of results.filter(
      (r) => r.name === 'client-units-setdata' || r.name === 'client-units-updatedata',
    )) {
      if (!ours) break;
      emit({
        name: `ratio-${String(naive.name).replace('client-units-', '')}-over-ours`,
        mainThread: round(Number(naive.mainThreadMsPerUpdate) / Number(ours.mainThreadMsPerUpdate), 1),
        mainThreadCpu: round(
          Number(naive.mainThreadCpuMsPerUpdate) / Number(ours.mainThreadCpuMsPerUpdate),
          1,
        ),
        rendererCpu: round(Number(naive.rendererCpuMsPerUpdate) / Number(ours.rendererCpuMsPerUpdate), 1),
        longTaskTotal: round(Number(naive.longTaskTotalMs) / Math.max(1, Number(ours.longTaskTotalMs)), 1),
      });
    }
    // BENCH_PATHS picks paths for a quick look (BENCH_PATHS=load: first load and bundle only).
    if (!only || only.includes('load' as PathName)) {
      ensureClientBuild(); // the real server serves dist/client: build it first in a fresh checkout
      // A browser of its own, the paths' one closed: after a path the map's loaded() did not come within a
      // minute (three times, never when first load ran alone).
      await browser.close();
      const fresh = await launchBrowser();
      try {
        emit(await firstLoad(fresh));
      } finally {
        await fresh.close();
      }
      emit(bundleSize());
    }
    emit({ name: 'machine-after', ...describeMachine() });
  } finally {
    await browser.close();
    await close();
    clearTimeout(watchdog);
  }
}

await main();
