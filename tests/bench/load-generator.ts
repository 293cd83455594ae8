// The load generator: N units at 1 Hz over OsmAnd HTTP (one keep-alive connection per unit, one GET per fix,
// as Traccar Client sends), spread evenly over each second. A fix's `timestamp` is its send time in ms, so any receiver gets
// the ingest → client latency from the unit's `t` alone. Loopback only.
import net from 'node:net';

export interface DriveStats {
  sent: number;
  ok: number;
  failed: number;
  /** Fixes not sent because the unit's previous request was still open (a phone waits, so do we). */
  skipped: number;
  /** Fixes answered 200 whose t falls in the measurement window: the deliveries each client owes. */
  okInWindow: number;
}

export interface Driver {
  stop(): Promise<void>;
  stats(): DriveStats;
}

export interface DriveOptions {
  host: string;
  port: number;
  units: number;
  deviceId: (unit: number) => string;
  /** Fix times [from, to) that count; fixes are sent until `to`. */
  window: { from: number; to: number };
  rateHz?: number;
  /** Seconds to ramp from 0 to the full rate, so that the keep-alive pool grows without a SYN storm. */
  rampS?: number;
}

/**
 * The two areas of the demo scenario as [lon, lat, radius°]: four units in five along the border at
 * Pingxiang, one in five in the grids of Dongcheng. Spread so that, as in the field, only some units walk
 * within the 50 m of a joint patrol.
 */
const BORDER = [106.79, 22.12, 0.12] as const;
const GRIDS = [116.415, 39.925, 0.04] as const;
const WALK_MPS = 1.5;
const DEG_PER_M = 1 / 111_320;

export interface Walker {
  lon: number;
  lat: number;
  headingDeg: number;
}

export function placeWalkers(count: number): Walker[] {
  return Array.from({ length: count }, (_, i) => {
    const [lon, lat, spread] = i % 5 === 4 ? GRIDS : BORDER;
    const angle = (i * 2.399963) % (2 * Math.PI); // golden-angle spiral: even and deterministic
    const radius = spread * Math.sqrt((i + 0.5) / count);
    return {
      lon: lon + radius * Math.cos(angle),
      lat: lat + radius * Math.sin(angle),
      headingDeg: (i * 37) % 360,
    };
  });
}

function step(walker: Walker, seconds: number): void {
  walker.headingDeg = (walker.headingDeg + (Math.random() - 0.5) * 20 + 360) % 360;
  const rad = (walker.headingDeg * Math.PI) / 180;
  const meters = WALK_MPS * seconds;
  walker.lat += meters * Math.cos(rad) * DEG_PER_M;
  walker.lon += (meters * Math.sin(rad) * DEG_PER_M) / Math.cos((walker.lat * Math.PI) / 180);
}

/**
 * One phone's keep-alive connection, as Traccar Client holds it: a request, then wait for the reply before the
 * next. Raw bytes rather than node:http's client, which cost this process about a third of a core at 5,000
 * requests a second on the cores the server needs. The server's replies are plain HTTP/1.1 with a
 * Content-Length, which is all this reads.
 */
class PhoneLine {
  private socket: net.Socket | null = null;
  private pending = '';
  private done: ((ok: boolean) => void) | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  send(request: string, done: (ok: boolean) => void): void {
    this.done = done;
    if (!this.socket) this.socket = this.connect();
    this.socket.write(request);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.read(chunk));
    const fail = (): void => {
      if (this.socket === socket) this.socket = null;
      this.pending = '';
      this.finish(false);
    };
    socket.on('error', fail);
    socket.on('close', fail);
    return socket;
  }

  private read(chunk: string): void {
    this.pending += chunk;
    for (;;) {
      const headEnd = this.pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = this.pending.slice(0, headEnd);
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      const end = headEnd + 4 + length;
      if (this.pending.length < end) return;
      this.pending = this.pending.slice(end);
      this.finish(head.startsWith('HTTP/1.1 200'));
    }
  }

  private finish(ok: boolean): void {
    const done = this.done;
    this.done = null;
    done?.(ok);
  }
}

/** Starts sending at once; stops by itself at window.to. */
export function startDriver(options: DriveOptions): Driver {
  const { host, port, units, window } = options;
  const rateHz = options.rateHz ?? 1;
  const rampS = options.rampS ?? 0;
  const lines = Array.from({ length: units }, () => new PhoneLine(host, port));
  const walkers = placeWalkers(units);
  const busy = new Uint8Array(units);
  const stats: DriveStats = { sent: 0, ok: 0, failed: 0, skipped: 0, okInWindow: 0 };
  const started = Date.now();
  const hostHeader = `${host}:${port}`;
  let due = 0;
  let open = 0;
  let settle: (() => void) | null = null;

  const send = (unit: number): void => {
    const walker = walkers[unit];
    const line = lines[unit];
    if (!walker || !line) return;
    if (busy[unit]) {
      stats.skipped++;
      return;
    }
    step(walker, 1 / rateHz);
    const t = Date.now();
    const path =
      `/?id=${options.deviceId(unit)}&lat=${walker.lat.toFixed(7)}&lon=${walker.lon.toFixed(7)}` +
      `&timestamp=${t}&speed=${(WALK_MPS * 1.943844).toFixed(2)}&bearing=${walker.headingDeg.toFixed(1)}` +
      `&accuracy=${(3 + (unit % 10)).toString()}`;
    busy[unit] = 1;
    open++;
    stats.sent++;
    line.send(`GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: keep-alive\r\n\r\n`, (ok) => {
      busy[unit] = 0;
      open--;
      if (ok) {
        stats.ok++;
        if (t >= window.from && t < window.to) stats.okInWindow++;
      } else stats.failed++;
      if (open === 0) settle?.();
    });
  };

  const timer = setInterval(() => {
    const now = Date.now();
    if (now >= window.to) return;
    const s = (now - started) / 1000;
    // fixes due by now: the integral of a rate that ramps linearly to units × rateHz over rampS
    const seconds = s < rampS ? (s * s) / (2 * rampS) : s - rampS / 2;
    const target = Math.floor(seconds * rateHz * units);
    for (; due < target; due++) send(due % units);
  }, 5);

  return {
    stats: () => ({ ...stats }),
    async stop() {
      clearInterval(timer);
      if (open > 0)
        await new Promise<void>((resolve) => {
          settle = resolve;
          setTimeout(resolve, 5_000).unref(); // a request the server never answers counts as failed
        });
      for (const line of lines) line.close();
    },
  };
}
