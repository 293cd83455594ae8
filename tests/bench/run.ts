// Runs every tests/bench/*.bench.ts in sequence, each in its own tsx process (`npm run bench`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();

let failed = 0;
for (const file of benches) {
  console.error(`# ${file}`);
  const result = spawnSync(`${root}node_modules/.bin/tsx`, [`${here}${file}`], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.error(`# ${file} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
