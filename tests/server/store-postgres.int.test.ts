// The shared store suite against the PostgreSQL/PostGIS store: one throwaway cluster for the file, a fresh
// database per group; plus what only PostgreSQL has: concurrent migrations, the bbox index, a bad URL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres';
import type { Fence } from '../../server/contract';
import { InvalidTextError } from '../../server/store/postgres-errors';
import { POSTGRES_MIGRATIONS } from '../../server/store/postgres-migrations';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { storeSuite } from './store-suite';

let cluster: TestPostgres;
let databases = 0;

beforeAll(async () => {
  cluster = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await cluster.stop();
});

storeSuite(async () => {
  const store = await openPostgresStore(await cluster.createDatabase(`suite_${++databases}`), { max: 4 });
  return { store, dispose: () => store.close() };
});

describe('postgres only', () => {
  it('migrates once when several nodes open the same database at the same moment', async () => {
    const url = await cluster.createDatabase('race');
    const applied: number[][] = [];
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore(url, { max: 2, onMigrated: (v) => applied.push(v) })),
    );
    const all = POSTGRES_MIGRATIONS.map((_, n) => n + 1);
    expect(applied.filter((v) => v.length > 0)).toEqual([all]);
    expect(applied.filter((v) => v.length === 0)).toHaveLength(2);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r: { version: number }) => r.version)).toEqual(all);
    } finally {
      await client.end();
    }
    await Promise.all(stores.map((s) => s.close()));
  });

  it('answers a bbox history query through the GiST index on the fixes point', async () => {
    const url = await cluster.createDatabase('plan');
    const store = await openPostgresStore(url, { max: 2 });
    const fixes = Array.from({ length: 5_000 }, (_, n) => ({
      ...{ unitId: `u${n % 50}`, t: n, rx: n, lon: 100 + (n % 70) / 100, lat: 21 + (n % 90) / 100 },
      ...{ accuracyMeters: null, headingDeg: null, speedMps: null, source: 'test' },
    }));
    await store.history.append(fixes);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('ANALYZE fixes');
      const { rows } = await client.query(
        `EXPLAIN SELECT * FROM fixes WHERE geom && ST_MakeEnvelope(100.1, 21.1, 100.11, 21.11, 4326)`,
      );
      const plan = rows.map((r: Record<string, string>) => Object.values(r).join(' ')).join('\n');
      expect(plan).toContain('fixes_geom');
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('answers text with U+0000 (which PostgreSQL refuses) as bad input, status 400, storing nothing', async () => {
    const store = await openPostgresStore(await cluster.createDatabase('nul'), { max: 2 });
    try {
      const unit = {
        id: 'nul-1',
        kind: 'police' as const,
        callsign: 'a\u0000b',
        deviceId: 'nul-dev',
        createdAt: 1,
      };
      const failed = await store.units.create(unit).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(InvalidTextError);
      expect(failed).toMatchObject({ statusCode: 400 });
      expect(await store.units.byId('nul-1')).toBeNull();
      // Inside JSON bodies the character is escaped and stored as it is.
      const fence = { id: 'f-nul', name: 'x\u0000y', createdAt: 1, updatedAt: 1 } as unknown as Fence;
      await store.fences.put(fence);
      expect((await store.fences.list())[0]?.name).toBe('x\u0000y');
    } finally {
      await store.close();
    }
  });

  it('rejects an unreachable database instead of starting without a store', async () => {
    await expect(openPostgresStore('postgres://postgres@127.0.0.1:1/none', { max: 1 })).rejects.toThrow();
  });
});
