// A fixed-seed sample of the REST fuzzers (tests/fuzz/rest.ts) against the real app: never a 5xx, every error
// in the `{error:{code,message}}` shape. `npm run fuzz` runs 10,000 cases each.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { REST_CASES, type RestTarget } from '../fuzz/rest';
import { startTestServer, type TestServer } from '../support/server';

const SAMPLE = { numRuns: 150, seed: 20261129 };

let server: TestServer;
let target: RestTarget;
beforeAll(async () => {
  // The account rate limit would answer most cases 429: off, so every case reaches its handler.
  server = await startTestServer({ REST_RATE_PER_S: '0' });
  const [admin, operator, leader, staff] = await Promise.all(
    ['admin', 'operator', 'leader', 'staff'].map(async (name) => (await server.login(name)).token),
  );
  target = {
    http: server.app.http,
    tokens: { admin: admin!, operator: operator!, leader: leader!, staff: staff! },
  };
});
afterAll(async () => server.close());

describe('REST fuzzing (fixed-seed sample)', () => {
  for (const fuzzCase of REST_CASES) it(fuzzCase.name, () => fuzzCase.run(target, SAMPLE), 120_000);
});
