// Lianfang's metrics: fixes accepted and refused by protocol, ingest → emit latency, history write and flush
// timings (counted where they happen), and at scrape time the connected clients, queue depths and memory.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Delta, PositionReport } from '../contract';
import type { Ingest } from '../ingest/pipeline';
import type { HistoryStore } from '../store/store';
import { counter, exposition, gauge, histogram, type Metric } from './exposition';

/** Seconds: a fix waits for the next flush (FLUSH_MS 100 by default), plus a Redis hop between nodes. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5];
const WRITE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

const LOOP_DELAY_RESOLUTION_MS = 10;

export interface ScrapeSources {
  /** This node's sockets: transport, whole picture or scoped, packed or JSON. */
  clients(): { transport: string; room: 'whole' | 'scoped'; packed: boolean; buffered: number }[];
  historyQueue(): number;
  /** Cluster: relayed entries not yet folded into a published delta (0 on one node). */
  relayQueue(): number;
  leading(): boolean | null;
}

export interface LianfangMetrics {
  meterIngest(ingest: Ingest): Ingest;
  timeHistory(history: HistoryStore): HistoryStore;
  /** A delta this node fanned out: each unit with a new fix observes how long since it was received. */
  emitted(delta: Delta, now: number): void;
  flushed(seconds: number): void;
  render(sources: ScrapeSources): string;
}

export function createLianfangMetrics(): LianfangMetrics {
  const fixes = counter('lianfang_ingest_fixes_total', 'Position fixes offered, by protocol and outcome.');
  const latency = histogram(
    'lianfang_ingest_to_emit_seconds',
    'From receiving a fix to fanning out the delta that carries it, on this node.',
    LATENCY_BUCKETS,
  );
  const writes = histogram(
    'lianfang_history_write_seconds',
    'One group commit of position history.',
    WRITE_BUCKETS,
  );
  const written = counter('lianfang_history_fixes_written_total', 'Fixes written to history.');
  const flushes = histogram(
    'lianfang_flush_seconds',
    'One flush: engine tick, delta, history.',
    WRITE_BUCKETS,
  );
  const deltas = counter('lianfang_deltas_total', 'Deltas fanned out by this node.');
  /** The receive time of each unit's last observed fix: a unit re-sent without a new fix is not a sample. */
  const lastRx = new Map<string, number>();
  // How late timers and I/O callbacks run: a busy event loop delays every fix, ack and delta alike.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();

  return {
    meterIngest: (ingest) => ({
      async submit(report) {
        const source = (report as Partial<PositionReport> | null)?.source;
        const protocol = typeof source === 'string' ? source : 'unknown';
        const result = await ingest.submit(report);
        fixes.inc({ protocol, outcome: result.ok ? 'accepted' : 'refused' });
        return result;
      },
      stats: () => ingest.stats(),
    }),
    timeHistory: (history) => ({
      ...history,
      async append(batch) {
        const started = performance.now();
        await history.append(batch);
        writes.observe((performance.now() - started) / 1000);
        written.inc({}, batch.length);
      },
    }),
    emitted(delta, now) {
      deltas.inc();
      for (const unit of delta.units.upsert) {
        if (lastRx.get(unit.id) === unit.rx) continue;
        lastRx.set(unit.id, unit.rx);
        latency.observe(Math.max(0, now - unit.rx) / 1000);
      }
      for (const id of delta.units.remove) lastRx.delete(id);
    },
    flushed: (seconds) => flushes.observe(seconds),
    render(sources) {
      const memory = process.memoryUsage();
      const clients = sources.clients();
      const byKind = new Map<string, { labels: Record<string, string>; value: number }>();
      for (const client of clients) {
        const labels = {
          transport: client.transport,
          room: client.room,
          encoding: client.packed ? 'packed' : 'json',
        };
        const key = JSON.stringify(labels);
        const found = byKind.get(key);
        if (found) found.value++;
        else byKind.set(key, { labels, value: 1 });
      }
      const leading = sources.leading();
      const metrics: Metric[] = [
        fixes,
        latency,
        writes,
        written,
        flushes,
        deltas,
        gauge('lianfang_clients', 'Connected Socket.io clients on this node.', () => [...byKind.values()]),
        gauge('lianfang_queue_depth', 'Items waiting, by queue.', () => [
          { labels: { queue: 'history_writer' }, value: sources.historyQueue() },
          { labels: { queue: 'outbound_packets' }, value: clients.reduce((sum, c) => sum + c.buffered, 0) },
          { labels: { queue: 'cluster_relay' }, value: sources.relayQueue() },
        ]),
        gauge('lianfang_process_memory_bytes', 'Process memory, by kind.', () => [
          { labels: { kind: 'rss' }, value: memory.rss },
          { labels: { kind: 'heap_used' }, value: memory.heapUsed },
          { labels: { kind: 'heap_total' }, value: memory.heapTotal },
          { labels: { kind: 'external' }, value: memory.external },
        ]),
        gauge(
          'lianfang_event_loop_delay_seconds',
          'Event loop delay since the previous scrape (beyond the 10 ms sampling interval), by quantile.',
          () => {
            // The histogram holds whole sampling intervals: the delay is what exceeds the 10 ms.
            const seconds = (ns: number): number =>
              Number.isFinite(ns) ? Math.max(0, ns / 1e9 - LOOP_DELAY_RESOLUTION_MS / 1000) : 0;
            const values = [0.5, 0.9, 0.99, 1].map((q) => ({
              labels: { quantile: String(q) },
              value: seconds(loopDelay.count > 0 ? loopDelay.percentile(q * 100) : 0),
            }));
            loopDelay.reset();
            return values;
          },
        ),
        gauge(
          'lianfang_engine_leader',
          'Cluster: 1 while this node runs the engine (absent on one node).',
          () => (leading === null ? [] : [{ value: leading ? 1 : 0 }]),
        ),
      ];
      return exposition(metrics);
    },
  };
}
