// A throwaway PostgreSQL 15 with PostGIS from the Debian packages: initdb and pg_ctl in a temp dir, on a free
// loopback port; as root (PostgreSQL refuses to run as root) the dir is chowned to `postgres` and the binaries
// run under `runuser -u postgres --`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** postgres://… of the database made for the caller, PostGIS enabled. */
  url: string;
  /** Another empty database on the same cluster, PostGIS enabled. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function pgBinary(asPostgres: boolean, name: string, args: string[]): Promise<void> {
  const [file, argv] = asPostgres
    ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, name), ...args]]
    : [path.join(BIN, name), args];
  await run(file, argv, { timeout: 60_000 });
}

/**
 * Starts a cluster. `fsync` is off unless asked for: semantics tests need no flushes, and on a busy shared disk
 * they cost a factor of three; durability tests and measurements pass `fsync: true`.
 */
export async function startTestPostgres(
  options: { database?: string; fsync?: boolean } = {},
): Promise<TestPostgres> {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianfang-pg-'));
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) await run('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await pgBinary(asPostgres, 'initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    '-c shared_buffers=32MB',
    '-c max_connections=50',
    `-c fsync=${options.fsync ? 'on' : 'off'}`,
  ].join(' ');
  await pgBinary(asPostgres, 'pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-o',
    settings,
    '-w',
    'start',
  ]);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const admin = async <T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: `${base}/${database}` });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  // PostGIS goes into a template once (about a second); each database copies it.
  const prepareTemplate = async (): Promise<void> => {
    await admin('postgres', (c) => c.query('CREATE DATABASE lianfang_template'));
    await admin('lianfang_template', (c) => c.query('CREATE EXTENSION postgis'));
  };
  const createDatabase = async (name: string): Promise<string> => {
    await admin('postgres', (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE lianfang_template`));
    return `${base}/${name}`;
  };
  try {
    await prepareTemplate();
    const url = await createDatabase(options.database ?? 'lianfang');
    console.log(`test postgres on port ${port} ready in ${Math.round(performance.now() - started)} ms`);
    return {
      url,
      createDatabase,
      stop: async () => {
        try {
          await pgBinary(asPostgres, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    const log = fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : '';
    await pgBinary(asPostgres, 'pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`test postgres failed to start: ${String(error)}\n${log}`);
  }
}
