// The OsmAnd / Traccar Client parser: every variant of PROTOCOLS.md c.1, units, timestamps and field errors.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOsmAndRequest, type OsmAndParseResult } from '../../server/ingest/osmand-parse';
import { parseOsmAndTimestamp } from '../../server/ingest/osmand-parse-time';

const TZ = 'Asia/Shanghai';
const fixture = (name: string): string =>
  fs.readFileSync(new URL(`../fixtures/protocols/${name}`, import.meta.url), 'utf8');

const query = (q: string): OsmAndParseResult =>
  parseOsmAndRequest({ query: q, contentType: null, body: '' }, { timeZone: TZ });
const body = (text: string, contentType: string | null = null): OsmAndParseResult =>
  parseOsmAndRequest({ query: '', contentType, body: text }, { timeZone: TZ });

function fixes(result: OsmAndParseResult) {
  if (!result.ok) throw new Error(`expected a parse, got ${result.error.message}`);
  return result.fixes;
}
function only(result: OsmAndParseResult) {
  const [fix, ...rest] = fixes(result);
  expect(rest).toHaveLength(0);
  if (!fix) throw new Error('no fix');
  return fix;
}
function error(result: OsmAndParseResult): string {
  if (result.ok) throw new Error('expected an error');
  expect(result.error.code).toBe('invalid');
  return result.error.message;
}

describe('variant A: query string', () => {
  it('parses the PROTOCOLS.md example exactly', () => {
    const result = query(fixture('osmand-query.txt').slice(2));
    expect(result.ok && result.variant).toBe('query');
    expect(only(result)).toEqual({
      deviceId: '123456',
      lon: 30,
      lat: 60,
      t: 1377177267000,
      speedMps: 0,
      headingDeg: 0,
      accuracyMeters: 5,
      alarm: null,
      attributes: { altitude: 0, batt: 87, charge: true },
    });
  });

  it('converts speed from knots to m/s', () => {
    expect(only(query('id=a&lat=1&lon=2&speed=10')).speedMps).toBeCloseTo(5.144444, 6);
    expect(only(query('id=a&lat=1&lon=2&speed=1.94384')).speedMps).toBeCloseTo(1, 5);
  });

  it('accepts deviceid, location=lat,lon, heading and alarm=sos', () => {
    const fix = only(query('deviceid=dev-1&location=21.99,106.705&heading=45&alarm=SOS'));
    expect(fix).toMatchObject({ deviceId: 'dev-1', lat: 21.99, lon: 106.705, headingDeg: 45, alarm: 'sos' });
  });

  it('keeps other keys as typed attributes, repeatable cell and wifi as lists, never __proto__', () => {
    const fix = only(
      query(
        'id=a&lat=1&lon=2&hdop=0.9&valid=true&driverUniqueId=d7&cell=460,0,1,2&cell=460,0,1,3&__proto__=x',
      ),
    );
    expect(fix.attributes).toEqual({
      hdop: 0.9,
      valid: true,
      driverUniqueId: 'd7',
      cell: ['460,0,1,2', '460,0,1,3'],
    });
    expect(Object.getPrototypeOf(fix.attributes)).toBe(Object.prototype);
  });

  it('treats a message without a full position as a heartbeat', () => {
    expect(only(query('id=a&batt=50'))).toMatchObject({
      lat: null,
      lon: null,
      t: null,
      attributes: { batt: 50 },
    });
    expect(only(query('id=a&lat=1'))).toMatchObject({ lat: null, lon: null });
    expect(only(query('id=a&lat=1&lon=2&valid=false'))).toMatchObject({ lat: null, lon: null });
  });

  it('names the field of a bad value', () => {
    expect(error(query('id=a&lat=91&lon=2'))).toBe('lat: 91 is outside [-90, 90]');
    expect(error(query('id=a&lat=1&lon=-180.5'))).toBe('lon: -180.5 is outside [-180, 180]');
    expect(error(query('id=a&lat=NaN&lon=2'))).toBe('lat: "NaN" is not a number');
    expect(error(query('id=a&lat=0x10&lon=2'))).toBe('lat: "0x10" is not a number');
    expect(error(query('id=a&lat=1&lon=2&accuracy=-3'))).toBe('accuracy: -3 must not be negative');
    expect(error(query('id=a&lat=1&lon=2&bearing=400'))).toBe('bearing: 400 is outside [0, 360]');
    expect(error(query('id=a&lat=1&lon=2&speed=-1'))).toBe('speed: must not be negative');
    expect(error(query('id=a&location=1'))).toBe('location (lon): "" is not a number');
    expect(error(query('lat=1&lon=2'))).toBe('id: required');
    expect(error(query('id=a%20b&lat=1&lon=2'))).toMatch(/^id: must match/);
    expect(error(query('id=a&timestamp=yesterday'))).toMatch(/^timestamp: "yesterday" is not/);
    expect(error(query('id=a&timestamp=2025-02-30%2010:00:00'))).toBe(
      'timestamp: not a calendar date and time',
    );
  });
});

describe('timestamps', () => {
  const expected = Date.parse('2013-08-22T13:14:27Z');
  it.each([
    ['seconds', '1377177267', expected],
    ['decimal seconds', '1377177267.5', expected + 500],
    ['milliseconds (≥ 2^31)', '1377177267000', expected],
    ['ISO 8601 UTC', '2013-08-22T13:14:27Z', expected],
    ['ISO 8601 with +08:00', '2013-08-22T21:14:27+08:00', expected],
    ['ISO 8601 with an unencoded + read as a space', '2013-08-22T21:14:27 08:00', expected],
    ['ISO 8601 with ms and -0300', '2013-08-22T10:14:27.250-0300', expected + 250],
    ['ISO 8601 without offset, in the zone', '2013-08-22T21:14:27', expected],
    ['yyyy-MM-dd HH:mm:ss in Asia/Shanghai', '2013-08-22 21:14:27', expected],
  ])('%s', (_name, raw, t) => {
    expect(parseOsmAndTimestamp(raw, TZ)).toBe(t);
  });

  it('reads wall time in the zone it is given', () => {
    expect(parseOsmAndTimestamp('2013-08-22 21:14:27', 'UTC')).toBe(expected + 8 * 3_600_000);
    expect(parseOsmAndTimestamp('2025-07-01 12:00:00', 'Europe/Berlin')).toBe(
      Date.parse('2025-07-01T10:00:00Z'),
    );
  });

  it('arrives through the query string, + decoded as a space', () => {
    expect(only(query('id=a&timestamp=2013-08-22+21:14:27')).t).toBe(expected);
    expect(only(query('id=a&timestamp=2013-08-22T21:14:27%2B08:00')).t).toBe(expected);
  });
});

describe('variant B: Traccar Client SDK', () => {
  it('parses the form POST body when the URL has no query', () => {
    const result = body(fixture('osmand-sdk-form.txt'), 'application/x-www-form-urlencoded');
    expect(result.ok && result.variant).toBe('form');
    const fix = only(result);
    expect(fix).toMatchObject({ deviceId: '862345678901234', lat: 21.99, lon: 106.705, t: 1764370000000 });
    expect(fix.speedMps).toBeCloseTo(5.144444, 6);
    expect(fix.attributes).toEqual({ altitude: 312, batt: 64, charge: false });
  });

  it('ignores the body when the URL has a query', () => {
    const result = parseOsmAndRequest(
      {
        query: 'id=q&lat=1&lon=2',
        contentType: 'application/x-www-form-urlencoded',
        body: 'id=b&lat=3&lon=4',
      },
      { timeZone: TZ },
    );
    expect(only(result)).toMatchObject({ deviceId: 'q', lat: 1 });
  });

  it('parses the JSON-array batch in order, knots converted', () => {
    const result = body(fixture('osmand-sdk-batch.json'), 'application/json');
    expect(result.ok && result.variant).toBe('json-batch');
    const list = fixes(result);
    expect(list.map((f) => f.t)).toEqual([1764370010000, 1764370020000, 1764370030000]);
    expect(list.map((f) => Number(f.speedMps?.toFixed(3)))).toEqual([0.998, 2.001, 2.999]);
    expect(list[2]).toMatchObject({ lat: 21.9905, lon: 106.7057, headingDeg: 92, accuracyMeters: 6 });
  });

  it('names the index of a bad element in a batch', () => {
    expect(error(body('[{"id":"a","lat":1,"lon":2},{"id":"a","lat":100,"lon":2}]'))).toBe(
      '[1].lat: 100 is outside [-90, 90]',
    );
    expect(error(body('[{"id":"a","lat":{"x":1}}]'))).toBe('[0].lat: must be a number, string or boolean');
    expect(error(body('[1]'))).toBe('[0]: must be an object');
  });

  it('accepts a single flat JSON object, even as text/plain', () => {
    const result = body('{"id":"a","lat":"1.5","lon":2,"timestamp":1377177267}', 'text/plain');
    expect(result.ok && result.variant).toBe('json-flat');
    expect(only(result)).toMatchObject({ deviceId: 'a', lat: 1.5, lon: 2, t: 1377177267000 });
  });

  it('rejects broken JSON and an empty request', () => {
    expect(error(body('{"id":', 'application/json'))).toBe('body: not valid JSON');
    expect(error(body(''))).toBe('id: required (no query string and no body)');
    expect(error(body('"text"', 'application/json'))).toBe(
      'body: must be a JSON object or an array of objects',
    );
  });
});

describe('variant C: Traccar Client 9 JSON', () => {
  it('parses the PROTOCOLS.md example exactly', () => {
    const result = body(fixture('osmand-traccar-client-9.json'), 'application/json');
    expect(result.ok && result.variant).toBe('json-location');
    expect(only(result)).toEqual({
      deviceId: '48241179',
      lat: 37.42,
      lon: -122.08,
      t: 1749995112862,
      speedMps: 0,
      headingDeg: null,
      accuracyMeters: 5,
      alarm: null,
      attributes: {
        altitude: 5,
        batt: 79,
        charge: false,
        motion: false,
        odometer: 0,
        event: 'motionchange',
        activity: 'still',
        mock: true,
        any: 'attr',
      },
    });
  });

  it('reads speed −1 as unknown and m/s otherwise (no knots here)', () => {
    const base = { timestamp: '2025-06-15T13:45:12Z', coords: { latitude: 1, longitude: 2, heading: 10 } };
    const unknown = body(
      JSON.stringify({ device_id: 'a', location: { ...base, coords: { ...base.coords, speed: -1 } } }),
    );
    expect(only(unknown)).toMatchObject({ speedMps: null, headingDeg: 10 });
    const known = body(
      JSON.stringify({ device_id: 'a', location: { ...base, coords: { ...base.coords, speed: 3 } } }),
    );
    expect(only(known).speedMps).toBe(3);
  });

  it('accepts a batch under location[] and an alarm in extras', () => {
    const location = (t: string) => ({
      timestamp: t,
      coords: { latitude: 1, longitude: 2 },
      extras: { alarm: 'sos' },
    });
    const result = body(
      JSON.stringify({
        device_id: 7,
        location: [location('2025-06-15T13:45:12Z'), location('2025-06-15T13:45:22Z')],
      }),
    );
    expect(fixes(result).map((f) => [f.deviceId, f.t, f.alarm])).toEqual([
      ['7', 1749995112000, 'sos'],
      ['7', 1749995122000, 'sos'],
    ]);
  });

  it('names the field of a bad value', () => {
    const bad = (coords: object, extra: object = {}) =>
      error(body(JSON.stringify({ device_id: 'a', location: { coords, ...extra } })));
    expect(bad({ latitude: '1', longitude: 2 })).toBe('location.coords.latitude: must be a number');
    expect(bad({ latitude: 1, longitude: 200 })).toBe(
      'location.coords.longitude: 200 is outside [-180, 180]',
    );
    expect(bad({ latitude: 1, longitude: 2, accuracy: -1 })).toBe(
      'location.coords.accuracy: -1 must not be negative',
    );
    expect(bad({ latitude: 1, longitude: 2 }, { timestamp: 'now' })).toBe(
      'location.timestamp: "now" is not an ISO 8601 time',
    );
    expect(error(body('{"location":{"coords":{}}}'))).toBe('device_id: required');
    expect(error(body('{"device_id":"a","location":{}}'))).toBe('location.coords: required');
  });
});
