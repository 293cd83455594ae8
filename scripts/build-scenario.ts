// Builds the demo scenario in data/ from data/source/ and world-atlas: `npx tsx scripts/build-scenario.ts`.
// With --check, writes nothing and exits 1 if any committed file differs from a fresh build.
import fs from 'node:fs';
import path from 'node:path';
import { buildScenario } from './scenario/index';
import { REPO_ROOT } from './scenario/sources';

const check = process.argv.includes('--check');
const files = buildScenario();
let stale = 0;
let total = 0;
for (const [rel, text] of Object.entries(files)) {
  const file = path.join(REPO_ROOT, rel);
  const bytes = Buffer.byteLength(text);
  total += bytes;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  const same = current === text;
  if (!same) stale++;
  if (!check && !same) fs.writeFileSync(file, text);
  console.log(
    `${same ? 'unchanged' : check ? 'DIFFERS  ' : 'written  '} ${rel} ${(bytes / 1024).toFixed(0)} KiB`,
  );
}
console.log(`${Object.keys(files).length} files, ${(total / 1024 / 1024).toFixed(2)} MiB`);
if (check && stale > 0) {
  console.error(`${stale} file(s) differ from a fresh build: run npx tsx scripts/build-scenario.ts`);
  process.exit(1);
}
