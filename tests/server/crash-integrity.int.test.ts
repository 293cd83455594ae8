// The integrity check on start: a sound store opens (and says how long the check took); a store with a
// damaged page or a damaged header is refused by openSqliteStore and by the real server, with one line, and
// the file is left as it was for inspection.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, readScenario } from '../../server/domain/scenario';
import { StoreIntegrityError, openSqliteStore, type IntegrityReport } from '../../server/store/sqlite';
import type { FixRecord } from '../../server/store/store';
import { runServerToExit } from '../support/process';
import { FIXTURE_SCENARIO, tempDir } from '../support/server';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A closed store with the fixture scenario and 20,000 fixes, so the fixes table spans many pages. */
async function filledStore(): Promise<{ dir: string; file: string }> {
  const dir = tempDir('lianfang-integrity-');
  dirs.push(dir);
  const store = openSqliteStore(dir);
  await loadScenario(store, readScenario(FIXTURE_SCENARIO), Date.now());
  const fixes: FixRecord[] = Array.from({ length: 20_000 }, (_, i) => ({
    unitId: ['t-mil-1', 't-pol-1', 't-civ-1', 't-civ-2'][i % 4] as string,
    t: 1_700_000_000_000 + i * 5_000,
    rx: 1_700_000_000_000 + i * 5_000 + 40,
    lon: 106.7 + (i % 1000) * 1e-5,
    lat: 21.98 + (i % 777) * 1e-5,
    accuracyMeters: 5,
    headingDeg: null,
    speedMps: null,
    source: 'osmand',
  }));
  await store.history.append(fixes);
  await store.close();
  return { dir, file: path.join(dir, 'lianfang.db') };
}

function overwrite(file: string, offset: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, offset);
  fs.closeSync(fd);
}

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** openSqliteStore refuses the store; the real server exits 1 with one line naming the file, file untouched. */
async function expectRefused(dir: string, file: string, detail: RegExp): Promise<void> {
  const before = sha(file);
  let thrown: unknown = null;
  try {
    openSqliteStore(dir);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StoreIntegrityError);
  expect((thrown as Error).message).toMatch(detail);

  const started = performance.now();
  const { code, stderr } = await runServerToExit(
    { DATA_DIR: dir, PORT: '0', OSMAND_PORT: '0', COT_PORT: '0', DEMO_BACKFILL_DAYS: '0' },
    60_000,
  );
  console.log(`server refused in ${Math.round(performance.now() - started)} ms: ${stderr.trim()}`);
  expect(code).toBe(1);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^lianfang: the store ${file.replace(/[.]/g, '\\.')} is damaged \\(`));
  expect(lines[0]).toMatch(detail);
  expect(lines[0]).toContain('restore DATA_DIR from a backup');
  expect(sha(file)).toBe(before);
  expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
}

describe('integrity check on start', () => {
  it('opens a sound store and reports the check', async () => {
    const { dir, file } = await filledStore();
    const reports: IntegrityReport[] = [];
    const store = openSqliteStore(dir, { onChecked: (report) => reports.push(report) });
    await store.close();
    console.log('sound store:', JSON.stringify(reports[0]));
    expect(reports).toEqual([{ file, check: 'quick_check', result: 'ok', ms: expect.any(Number) }]);
  });

  it('refuses a store with a damaged page in the middle of the fixes table', async () => {
    const { dir, file } = await filledStore();
    const db = new Database(file, { readonly: true });
    const pages = db
      .prepare("SELECT pageno, pgsize FROM dbstat WHERE name = 'fixes' AND pagetype = 'leaf' ORDER BY pageno")
      .all() as { pageno: number; pgsize: number }[];
    db.close();
    expect(pages.length).toBeGreaterThan(20);
    const victim = pages[Math.floor(pages.length / 2)] as { pageno: number; pgsize: number };
    // A torn write: 512 bytes of the page's cells overwritten with junk.
    overwrite(file, (victim.pageno - 1) * victim.pgsize + 2048, Buffer.alloc(512, 0x5a));
    await expectRefused(dir, file, new RegExp(`quick_check: .*page ${victim.pageno}\\b`));
  }, 90_000);

  it('refuses a file whose header is not SQLite at all', async () => {
    const { dir, file } = await filledStore();
    overwrite(file, 0, Buffer.from('this is no database, a backup tool wrote over it'.padEnd(100, '.')));
    await expectRefused(dir, file, /SQLITE_NOTADB: file is not a database/);
  }, 90_000);
});
