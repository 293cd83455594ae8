// The shared store suite against the embedded SQLite store, one temp DATA_DIR per group.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite';
import { storeSuite } from './store-suite';

storeSuite(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianfang-store-'));
  const store = openSqliteStore(dir);
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
