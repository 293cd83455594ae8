// What the load benchmarks ran on and saw besides latency: cores, CPU model, Node and load average; the CPU
// time of a process tree (tsx runs the server in a child of the pid we spawn); the kernel's listen-queue
// overflows; and a probe of the server's responsiveness.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';

export function describeMachine(): Record<string, unknown> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8' });
    cpu = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? cpu;
  } catch {
    // no lscpu: keep os.cpus()
  }
  return {
    nproc: os.availableParallelism(),
    cpu,
    node: process.version,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavg1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    cpuPressurePct: cpuPressure(),
  };
}

/** The share of the last 10 s in which some runnable task waited for a CPU (Linux PSI), or null. */
export function cpuPressure(): number | null {
  try {
    const some = /some avg10=([\d.]+)/.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'))?.[1];
    return some === undefined ? null : Number(some);
  } catch {
    return null;
  }
}

const TICK_MS = 1000 / Number(tryExec('getconf', ['CLK_TCK']) ?? 100);

function tryExec(file: string, args: string[]): string | null {
  try {
    return execFileSync(file, args, { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** user + system CPU ms of pid and all its descendants (0 where /proc is unavailable). */
export function processTreeCpuMs(root: number): number {
  return sumOverTree(root).cpuMs;
}

/** Resident memory of pid and all its descendants, in MiB. */
export function processTreeRssMiB(root: number): number {
  return Math.round(sumOverTree(root).rssPages * PAGE_MIB);
}

const PAGE_MIB = Number(tryExec('getconf', ['PAGESIZE']) ?? 4096) / 2 ** 20;

function sumOverTree(root: number): { cpuMs: number; rssPages: number } {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  const rss = new Map<number, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return { cpuMs: 0, rssPages: 0 };
  }
  for (const name of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    rss.set(pid, Number(fields[21]));
  }
  const total = { cpuMs: 0, rssPages: 0 };
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total.cpuMs += cpu.get(pid) ?? 0;
    total.rssPages += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The kernel's count of connections dropped because a listen queue was full (all sockets, since boot). */
export function listenOverflows(): number {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = lines[i]?.split(' ') ?? [];
      const values = lines[i + 1]?.split(' ') ?? [];
      const at = names.indexOf('ListenOverflows');
      if (names[0] === 'TcpExt:' && at > 0) return Number(values[at]);
    }
  } catch {
    // not Linux
  }
  return 0;
}

/**
 * Times a tiny GET every intervalMs on one keep-alive connection (skipping a tick while one is still open,
 * so a stall is not counted over and over): how responsive the server's event loop is.
 */
export function startProbe(url: string, intervalMs = 100): { stop(): number[] } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  let open = false;
  const timer = setInterval(() => {
    if (open) return;
    open = true;
    const started = performance.now();
    const done = (): void => {
      open = false;
      times.push(performance.now() - started);
    };
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on('end', done);
      })
      .on('error', done);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      agent.destroy();
      return times;
    },
  };
}
