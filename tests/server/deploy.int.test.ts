// The deployment files under deploy/: every systemd unit passes `systemd-analyze verify` without a warning
// (a unit with an unknown key shows the check can fail), and compose.yaml parses into the two nodes on one
// Redis and one data volume that docs/operations.md describes. No Docker engine here: nothing is started.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/server';

const DEPLOY = path.join(ROOT, 'deploy');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

/** Verifies unit files (a template as instance `a`); resolves with the exit status and everything said. */
function verify(files: string[]): { status: number | null; said: string } {
  const dir = tempDir('lianfang-units-');
  try {
    const copies = files.map((file) => {
      const name = path.basename(file).replace('@.', '@a.');
      fs.copyFileSync(file, path.join(dir, name));
      return path.join(dir, name);
    });
    const result = spawnSync(SYSTEMD_ANALYZE, ['verify', ...copies], { cwd: dir, encoding: 'utf8' });
    return { status: result.status, said: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy/', () => {
  const units = fs
    .readdirSync(DEPLOY)
    .filter((name) => /\.(service|timer)$/.test(name))
    .map((name) => path.join(DEPLOY, name));

  it('has systemd units that systemd-analyze verifies without a word', () => {
    expect(fs.existsSync(SYSTEMD_ANALYZE), `${SYSTEMD_ANALYZE} is on this machine`).toBe(true);
    expect(units.map((file) => path.basename(file)).sort()).toEqual([
      'lianfang-backup.service',
      'lianfang-backup.timer',
      'lianfang-node@.service',
      'lianfang.service',
    ]);
    const started = Date.now();
    const result = verify(units);
    console.log(`systemd-analyze verify of ${units.length} units in ${Date.now() - started} ms`);
    expect(result).toEqual({ status: 0, said: '' });
  });

  it('would notice a broken unit (the check can fail)', () => {
    const dir = tempDir('lianfang-bad-unit-');
    try {
      const bad = path.join(dir, 'bad.service');
      fs.writeFileSync(bad, '[Service]\nExecStartt=/bin/true\nExecStart=/bin/true\n');
      expect(verify([bad]).said).toMatch(/Unknown key/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a compose file with two nodes on one Redis and one data volume', () => {
    const compose = yaml.load(fs.readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8')) as {
      services: Record<string, { image?: string; environment?: Record<string, string>; volumes?: string[] }>;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['node-a', 'node-b', 'redis']);
    for (const name of ['node-a', 'node-b']) {
      const node = compose.services[name];
      expect(node?.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(node?.environment?.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
      expect(node?.volumes).toContain('lianfang-data:/var/lib/lianfang');
    }
    expect(Object.keys(compose.volumes).sort()).toEqual(['lianfang-data', 'redis-data']);
  });
});
