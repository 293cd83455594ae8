// Property-based fuzzing of the device parsers: CoT framing and events, OsmAnd requests, layer validation.
// Shared by the fixed-seed sample in `npm test` (tests/server/fuzz-parsers.unit.test.ts) and the long run in
// `npm run fuzz` (scripts/fuzz.ts, 10,000 cases each). The property is always the same: any input is either
// parsed into values inside their ranges or refused with a reason; never a throw, never a hang.
import fs from 'node:fs';
import fc from 'fast-check';
import { validateLayer } from '../../geo';
import { createCotFramer } from '../../server/ingest/cot-frame';
import { parseCotEvent } from '../../server/ingest/cot-parse';
import { parseOsmAndRequest } from '../../server/ingest/osmand-parse';

export interface FuzzOptions {
  numRuns: number;
  seed: number;
}

export interface FuzzCase {
  name: string;
  run(options: FuzzOptions): void;
}

/**
 * A parse of one input slower than this counts as a hang (regex backtracking, entity expansion). Generous:
 * a loaded CI machine stalls for hundreds of ms now and then, a real hang takes seconds or forever.
 */
export const SLOW_MS = 1_000;

const fixture = (name: string): string =>
  fs.readFileSync(new URL(`../fixtures/protocols/${name}`, import.meta.url), 'utf8');

function timed<T>(what: string, input: unknown, parse: () => T): T {
  const started = performance.now();
  const result = parse();
  const took = performance.now() - started;
  if (took > SLOW_MS)
    throw new Error(`${what} took ${took.toFixed(0)} ms on ${JSON.stringify(input).slice(0, 200)}`);
  return result;
}

const inRange = (value: number | null, min: number, max: number): boolean =>
  value === null || (Number.isFinite(value) && value >= min && value <= max);

/** Edits a valid document: insert, delete or replace a random slice, the way a broken link or a bad actor would. */
function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.nat({ max: base.length }),
    fc.nat({ max: 40 }),
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '<',
        '>',
        '"',
        "'",
        '&',
        '&amp;',
        '&#0;',
        '&#x110000;',
        ']]>',
        '<![CDATA[',
        '\u0000',
        '</event>',
      ),
    ),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = base;
    for (const [at, cut, insert] of edits) {
      const start = Math.min(at, text.length);
      text = text.slice(0, start) + insert + text.slice(start + cut);
    }
    return text;
  });
}

const ENTITY_BOMB =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>';

function cotInputs(): fc.Arbitrary<string> {
  const pli = fixture('cot-atak-pli.xml');
  return fc.oneof(
    mutated(pli),
    fc.string({ maxLength: 2000 }),
    fc.string({ unit: 'binary', maxLength: 500 }),
    fc.nat({ max: pli.length }).map((n) => pli.slice(0, n)),
    fc.constantFrom(pli).map((xml) => ENTITY_BOMB + xml.replace(/callsign="[^"]*"/, 'callsign="&lol2;"')),
    // the framer never hands the parser more than 64 KB (COT_MAX_EVENT_BYTES), so test just past that
    fc.nat({ max: 70_000 }).map((n) => pli.replace(/callsign="[^"]*"/, `callsign="${'A'.repeat(n)}"`)),
    fc
      .nat({ max: 5_000 })
      .map((n) => pli.replace('<detail>', `<detail>${'<x>'.repeat(n)}${'</x>'.repeat(n)}`)),
    fc
      .record({ lat: fc.double(), lon: fc.double(), time: fc.string({ maxLength: 30 }) })
      .map(({ lat, lon, time }) =>
        pli
          .replace(/lat="[^"]*"/, `lat="${lat}"`)
          .replace(/lon="[^"]*"/, `lon="${lon}"`)
          .replace(/time="[^"]*"/, `time="${time}"`),
      ),
  );
}

const QUERY_KEYS = [
  'id',
  'deviceid',
  'lat',
  'lon',
  'timestamp',
  'speed',
  'bearing',
  'accuracy',
  'alarm',
  'batt',
  'hdop',
  'altitude',
];

function osmandInputs(): fc.Arbitrary<{ query: string; contentType: string | null; body: string }> {
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.double().map(String),
    fc.integer().map(String),
    fc.constantFrom('NaN', 'Infinity', '-0', '1e999', '2026-11-29T10:00:00Z', '%', '%zz', '%E4%B8%AD', ''),
  );
  const query = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })), value), {
      maxLength: 12,
    })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
  const jsonBody = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
  const locationBody = fc
    .record(
      {
        device_id: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
        location: fc.record(
          {
            timestamp: fc.oneof(fc.string({ maxLength: 30 }), fc.double()),
            coords: fc.record(
              {
                latitude: fc.double(),
                longitude: fc.double(),
                speed: fc.double(),
                heading: fc.double(),
                accuracy: fc.double(),
              },
              { requiredKeys: [] },
            ),
            is_moving: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v));
  return fc.oneof(
    fc.record({ query, contentType: fc.constant(null), body: fc.constant('') }),
    fc.record({
      query: fc.constant(''),
      contentType: fc.constantFrom('application/x-www-form-urlencoded', null),
      body: query,
    }),
    fc.record({
      query: fc.constant(''),
      contentType: fc.constantFrom('application/json', null),
      body: fc.oneof(jsonBody, locationBody, fc.string({ maxLength: 500 })),
    }),
    fc.record({
      query: fc.string({ maxLength: 300 }),
      contentType: fc.option(fc.string({ maxLength: 40 })),
      body: fc.string({ maxLength: 300 }),
    }),
  );
}

function geojsonInputs(): fc.Arbitrary<unknown> {
  const coord = fc.tuple(fc.double({ min: -200, max: 200 }), fc.double({ min: -100, max: 100 }));
  const ring = fc
    .array(coord, { minLength: 0, maxLength: 12 })
    .map((ring) => (ring.length > 2 ? [...ring, ring[0]] : ring));
  const geometry = fc.oneof(
    fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { maxLength: 3 }) }),
    fc.record({
      type: fc.constant('MultiPolygon'),
      coordinates: fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 3 }),
    }),
    fc.record({ type: fc.constant('LineString'), coordinates: fc.array(coord, { maxLength: 10 }) }),
    fc.record({ type: fc.constant('Point'), coordinates: coord }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const feature = fc.record({
    type: fc.constantFrom('Feature', 'feature', 'Polygon'),
    id: fc.option(fc.oneof(fc.string({ maxLength: 70 }), fc.integer())),
    properties: fc.option(
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
    ),
    geometry: fc.option(geometry),
  });
  return fc.oneof(
    fc.record({ type: fc.constant('FeatureCollection'), features: fc.array(feature, { maxLength: 6 }) }),
    fc.jsonValue({ maxDepth: 5 }),
  );
}

export const PARSER_CASES: FuzzCase[] = [
  {
    name: 'CoT events: parsed in range or dropped with a reason',
    run: ({ numRuns, seed }) =>
      fc.assert(
        fc.property(cotInputs(), (xml) => {
          const result = timed('parseCotEvent', xml, () => parseCotEvent(xml));
          if (!result.ok) return typeof result.reason === 'string' && result.message.length > 0;
          const { lat, lon, ceMeters } = result.event;
          return inRange(lat, -90, 90) && inRange(lon, -180, 180) && inRange(ceMeters, 0, Infinity);
        }),
        { numRuns, seed },
      ),
  },
  {
    name: 'CoT framing: any chunking of any bytes keeps memory bounded and never throws',
    run: ({ numRuns, seed }) => {
      const limits = { maxEventBytes: 4096, maxBufferBytes: 16_384 };
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.uint8Array({ maxLength: 3000 }),
              cotInputs().map((s) => Buffer.from(s)),
            ),
            { maxLength: 8 },
          ),
          (chunks) => {
            const framer = createCotFramer(limits);
            for (const chunk of chunks) {
              const result = timed('CoT framer', chunk.length, () => framer.push(Buffer.from(chunk)));
              // The limit is on the bytes received. Decoded, an invalid byte becomes U+FFFD (three bytes if
              // encoded again, one UTF-16 unit in memory), so the bound to check is the string's length: at most
              // one UTF-16 unit per byte received.
              for (const event of result.events) if (event.length > limits.maxEventBytes) return false;
              if (result.overflow) return true;
            }
            return true;
          },
        ),
        { numRuns, seed },
      );
    },
  },
  {
    name: 'OsmAnd requests: fixes in range or a 400 message naming the field',
    run: ({ numRuns, seed }) =>
      fc.assert(
        fc.property(osmandInputs(), (request) => {
          const result = timed('parseOsmAndRequest', request, () =>
            parseOsmAndRequest(request, { timeZone: 'Asia/Shanghai' }),
          );
          if (!result.ok) return result.error.code === 'invalid' && result.error.message.length > 0;
          return result.fixes.every(
            (fix) =>
              fix.deviceId.length > 0 &&
              inRange(fix.lat, -90, 90) &&
              inRange(fix.lon, -180, 180) &&
              (fix.t === null || Number.isFinite(fix.t)),
          );
        }),
        { numRuns, seed },
      ),
  },
  {
    name: 'GeoJSON layer import: validated or refused with problems, never a throw',
    run: ({ numRuns, seed }) =>
      fc.assert(
        fc.property(
          fc.constantFrom('grids', 'segments', 'posts', 'sectors', 'border', 'areas'),
          geojsonInputs(),
          (kind, input) => {
            const result = timed('validateLayer', input, () => validateLayer(input, kind));
            return result.ok ? result.value === input : result.error.message.length > 0;
          },
        ),
        { numRuns, seed },
      ),
  },
];
