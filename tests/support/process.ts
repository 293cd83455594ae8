// Runs the real server entry (tsx server/main.ts) as a child process, as `npm start` does, and reads the
// URL it listens on from its structured log.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './server';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const STOP_TIMEOUT_MS = 25_000;

export const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/**
 * The server runs as one process, node with tsx's loader, not under the tsx CLI: the CLI is a wrapper that
 * takes a SIGKILL itself and leaves its node child running (orphans that outlived the tests, still simulating).
 */
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

/** Runs main.ts to completion (for configurations that must refuse to start). */
export function runServerToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not exit within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  // SERVER_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server a benchmark starts;
  // SERVER_CPUS (e.g. "0") pins it and its threads to those cores (taskset), for the load bench's split run.
  const flags = (process.env.SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const cpus = process.env.SERVER_CPUS;
  const [node, ...rest] = [...NODE_TSX, ...flags, 'server/main.ts'];
  const [command, args] = cpus ? ['taskset', ['-c', cpus, node, ...rest]] : [node, rest];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', OSMAND_PORT: '0', COT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"url":"(https?:\/\/[^"]+)".*"msg":"lianfang listening"/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        child,
        output: () => output,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          // The server bounds its own shutdown (15 s); past 25 s it is a hang, and the test says so.
          let timer: NodeJS.Timeout | undefined;
          const hung = new Promise<never>((_, fail) => {
            timer = setTimeout(() => {
              child.kill('SIGKILL');
              fail(
                new Error(
                  `server did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}:\n${output.slice(-4000)}`,
                ),
              );
            }, STOP_TIMEOUT_MS);
          });
          try {
            return await Promise.race([exited, hung]);
          } finally {
            clearTimeout(timer);
          }
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}
