// Builds the client when dist/client is missing or older than its sources (a hash of every input file).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = ['client', 'geo', 'server/contract.ts', 'vite.config.ts', 'package-lock.json'];
const STAMP = path.join(ROOT, 'dist', 'client', '.source-hash');

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [entry];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => files(path.join(entry, name)));
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) {
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

export function ensureClientBuild(): boolean {
  const expected = sourceHash();
  const current = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : null;
  if (current === expected && fs.existsSync(path.join(ROOT, 'dist', 'client', 'index.html'))) return false;
  process.stderr.write('lianfang: building the client (dist/client is missing or stale)…\n');
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  fs.writeFileSync(STAMP, expected + '\n');
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) ensureClientBuild();
