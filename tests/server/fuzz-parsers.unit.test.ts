// A fixed-seed sample of the parser fuzzers (tests/fuzz/parsers.ts); `npm run fuzz` runs 10,000 cases each.
import { describe, it } from 'vitest';
import { PARSER_CASES } from '../fuzz/parsers';

const SAMPLE = { numRuns: 300, seed: 20261129 };

describe('parser fuzzing (fixed-seed sample)', () => {
  for (const fuzzCase of PARSER_CASES) it(fuzzCase.name, () => fuzzCase.run(SAMPLE), 60_000);
});
