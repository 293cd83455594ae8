// The load benchmark's listeners spread over worker threads. Two hundred browsers are two hundred machines;
// in one event loop, the 200th client would read each broadcast only after the 199 before it had decoded
// theirs (25–50 ms a flush at 5,000 units here), and the generator's sends would queue behind them too. Each
// worker runs its share of the clients with `listen()`; the results are merged when the window is over.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createHistogram, listen, type Histogram, type ListenOptions, type Listeners } from './load-clients';

/** What a worker needs: ListenOptions without the function, and the prefix of the bench's unit ids. */
type WorkerOptions = Omit<ListenOptions, 'unitOf' | 'window'> & { unitPrefix: string };

/** One worker's results, merged by `collect()`. */
interface WorkerResult {
  bins: Uint32Array;
  inboundBins: Uint32Array;
  delivered: number;
  duplicates: number;
  unplaced: number;
  seqGaps: number;
  shapes: { records: number; meta: number };
  wire: { bytes: number; units: number };
  loopDelayMs: { p99: number; max: number };
}

type ToWorker = { type: 'window'; from: number; to: number } | { type: 'collect' };
type FromWorker =
  { type: 'ready' } | { type: 'failed'; message: string } | ({ type: 'result' } & WorkerResult);

export interface ListenerPool {
  /** Sets the measurement window in every worker. */
  setWindow(window: { from: number; to: number }): void;
  /** Stops every client and merges what each worker counted. */
  collect(): Promise<Omit<Listeners, 'close'>>;
}

/** A worker does not inherit tsx's loader: the shim registers it, then loads this module. */
const WORKER_SHIM = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
  import.meta.url,
)}); });`;

const unitOfPrefix =
  (prefix: string) =>
  (id: string): number =>
    id.startsWith(prefix) ? Number(id.slice(prefix.length)) : -1;

/** Starts `workers` threads with clients shared out evenly; resolves when all have their snapshots. */
export async function listenInWorkers(options: WorkerOptions, workers: number): Promise<ListenerPool> {
  const threads: Worker[] = [];
  let first = 0;
  for (let w = 0; w < workers; w++) {
    const clients = Math.floor(options.clients / workers) + (w < options.clients % workers ? 1 : 0);
    if (clients === 0) continue;
    const data: WorkerOptions = { ...options, clients, firstClient: first };
    first += clients;
    threads.push(new Worker(WORKER_SHIM, { eval: true, workerData: data }));
  }
  const next = (worker: Worker): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const ready = await Promise.all(threads.map(next));
  const failed = ready.find((m) => m.type === 'failed');
  if (failed) {
    await Promise.all(threads.map((t) => t.terminate()));
    throw new Error(`listener worker: ${(failed as { message: string }).message}`);
  }
  return {
    setWindow(window) {
      for (const thread of threads) thread.postMessage({ type: 'window', ...window } satisfies ToWorker);
    },
    async collect() {
      const results = await Promise.all(
        threads.map((thread) => {
          const reply = next(thread);
          thread.postMessage({ type: 'collect' } satisfies ToWorker);
          return reply;
        }),
      );
      await Promise.all(threads.map((t) => t.terminate()));
      return merge(results.filter((r): r is { type: 'result' } & WorkerResult => r.type === 'result'));
    },
  };
}

function merge(results: WorkerResult[]): Omit<Listeners, 'close'> {
  const latency: Histogram = createHistogram();
  const inbound: Histogram = createHistogram();
  const sum = (pick: (r: WorkerResult) => number): number => results.reduce((s, r) => s + pick(r), 0);
  for (const result of results) {
    const count = result.bins.reduce((s, n) => s + n, 0);
    latency.merge({ bins: () => result.bins, count });
    const inboundCount = result.inboundBins.reduce((s, n) => s + n, 0);
    inbound.merge({ bins: () => result.inboundBins, count: inboundCount });
  }
  const [delivered, duplicates, unplaced, seqGaps] = [
    sum((r) => r.delivered),
    sum((r) => r.duplicates),
    sum((r) => r.unplaced),
    sum((r) => r.seqGaps),
  ];
  const shapes = { records: sum((r) => r.shapes.records), meta: sum((r) => r.shapes.meta) };
  const wire = results[0]?.wire ?? { bytes: 0, units: 0 };
  const loopDelayMs = results.map((r) => r.loopDelayMs);
  return {
    latency,
    inbound,
    delivered: () => delivered,
    duplicates: () => duplicates,
    unplaced: () => unplaced,
    seqGaps: () => seqGaps,
    shapes: () => shapes,
    wire: () => wire,
    loopDelayMs: () => loopDelayMs,
  };
}

/** The worker's side: listen, take the window, answer one collect. */
async function runWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const { unitPrefix, ...options } = workerData as WorkerOptions;
  const window = { from: Infinity, to: Infinity };
  // How late this thread gets to its sockets: a client's wait that is the machine's, not the server's.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let listeners: Listeners;
  try {
    listeners = await listen({ ...options, unitOf: unitOfPrefix(unitPrefix), window });
  } catch (error) {
    port.postMessage({ type: 'failed', message: String(error) } satisfies FromWorker);
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type === 'window') {
      window.from = message.from;
      window.to = message.to;
      setTimeout(() => delay.enable(), Math.max(0, window.from - Date.now()));
      setTimeout(() => delay.disable(), Math.max(0, window.to - Date.now()));
      return;
    }
    const result: FromWorker = {
      type: 'result',
      bins: listeners.latency.bins(),
      inboundBins: listeners.inbound.bins(),
      delivered: listeners.delivered(),
      duplicates: listeners.duplicates(),
      unplaced: listeners.unplaced(),
      seqGaps: listeners.seqGaps(),
      shapes: listeners.shapes(),
      wire: listeners.wire(),
      loopDelayMs: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    };
    listeners.close();
    port.postMessage(result);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (!isMainThread) void runWorker();
