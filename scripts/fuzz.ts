// The long fuzz run (issue 9): every parser and REST property with FUZZ_RUNS cases (10,000 by default) and a
// fresh seed each run (FUZZ_SEED to replay one). `npm test` runs a fixed-seed sample of the same properties.
import { PARSER_CASES } from '../tests/fuzz/parsers';
import { REST_CASES } from '../tests/fuzz/rest';
import { startTestServer } from '../tests/support/server';

const numRuns = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`fuzz: ${numRuns} cases per property, seed ${seed} (FUZZ_SEED=${seed} replays it)`);

let failed = 0;
async function attempt(name: string, run: () => void | Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await run();
    console.log(`ok    ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}\n${String(error instanceof Error ? error.message : error)}`);
  }
}

for (const fuzzCase of PARSER_CASES) await attempt(fuzzCase.name, () => fuzzCase.run({ numRuns, seed }));

// The account rate limit would answer most of a fuzz run 429: off, so every case reaches its handler.
const server = await startTestServer({ REST_RATE_PER_S: '0' });
try {
  const tokens = {
    admin: (await server.login('admin')).token,
    operator: (await server.login('operator')).token,
    leader: (await server.login('leader')).token,
    staff: (await server.login('staff')).token,
  };
  for (const fuzzCase of REST_CASES)
    await attempt(`REST: ${fuzzCase.name}`, () =>
      fuzzCase.run({ http: server.app.http, tokens }, { numRuns, seed }),
    );
} finally {
  await server.close();
}
process.exit(failed === 0 ? 0 : 1);
