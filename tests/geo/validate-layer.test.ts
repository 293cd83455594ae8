// validateLayer: golden error paths, and never a throw on hostile input.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateLayer } from '../../geo';
import type { LayerKind } from '../../geo';
import { scenarios, toGolden } from './support/golden';
import { createMeshLayer, loadCountries } from './support/layers';

interface ValidateScenario {
  description: string;
  kind: LayerKind;
  value: unknown;
}

const results = new Map(
  scenarios<ValidateScenario>('validate-layer').map((s) => [
    s.name,
    validateLayer(s.input.value, s.input.kind),
  ]),
);

describe('validateLayer golden scenarios', () => {
  for (const { name, input, outPath } of scenarios<ValidateScenario>('validate-layer')) {
    it(name, async () => {
      const result = validateLayer(input.value, input.kind);
      await expect(
        toGolden({
          description: input.description,
          kind: input.kind,
          result: result.ok ? { ok: true } : result,
        }),
      ).toMatchFileSnapshot(outPath);
    });
  }
});

describe('validateLayer errors name the exact place', () => {
  const errorOf = (name: string) => {
    const result = results.get(name);
    if (!result || result.ok) throw new Error(`${name} should fail`);
    return result.error;
  };

  it.each([
    ['unclosed-ring', 'features[1].geometry.coordinates[0]', /closed ring/],
    ['lon-out-of-range', 'features[0].geometry.coordinates[0][2][0]', /longitude 190.5/],
    ['duplicate-id', 'features[1].id', /duplicate id "g-1" \(also at features\[0\]\)/],
    ['missing-id', 'features[1].properties.id', /non-empty string id/],
    ['numeric-id', 'features[0].id', /non-empty string id/],
    [
      'wrong-geometry-for-kind',
      'features[0].geometry.type',
      /segments layer takes LineString or MultiLineString/,
    ],
    ['too-few-ring-positions', 'features[0].geometry.coordinates[0]', /at least 4 positions/],
    ['not-a-feature-collection', 'type', /FeatureCollection/],
    ['non-numeric-coordinate', 'features[1].geometry.coordinates[0][1][1]', /finite number/],
    ['line-too-short', 'features[0].geometry.coordinates', /at least 2 positions/],
  ])('%s → %s', (name, path, message) => {
    const error = errorOf(name);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it('accepts valid layers and returns the same value', () => {
    expect(results.get('valid-grids')?.ok).toBe(true);
    expect(results.get('valid-posts')?.ok).toBe(true);
    const mesh = createMeshLayer({ cols: 5, rows: 5, holeFraction: 0.2, exclaveFraction: 0.2 });
    const result = validateLayer(mesh, 'grids');
    expect(result).toEqual({ ok: true, value: mesh });
    expect(result.ok && result.value).toBe(mesh);
    // The committed scenario's polygon layers are clean, topology included.
    for (const kind of ['grids', 'areas', 'sectors'] as const) {
      const layer: unknown = JSON.parse(fs.readFileSync(`data/${kind}.geojson`, 'utf8'));
      expect(validateLayer(layer, kind).ok).toBe(true);
    }
    // world-atlas 110m is not: Fiji and Chukotka have edges across the antimeridian (RFC 7946 §3.1.9 asks
    // for them to be cut), and quantisation pinches some rings (Sudan) into tiny self-intersections.
    const countries = loadCountries('110m');
    const whole = validateLayer(countries, 'areas');
    expect(whole.ok ? null : whole.error.message).toMatch(/crosses the antimeridian/);
    const wraps = (f: (typeof countries.features)[number]): boolean => {
      const text = JSON.stringify(f.geometry.coordinates);
      return text.includes('[-180,') && text.includes('[180,');
    };
    const planar = validateLayer(
      { ...countries, features: countries.features.filter((f) => !wraps(f)) },
      'areas',
    );
    expect(planar.ok ? null : planar.error).toEqual({
      path: expect.stringMatching(/^features\[\d+\]\.geometry\.coordinates\[0\]$/),
      message: expect.stringMatching(/^self-intersection: ring 0 crosses itself/),
    });
  });
});

describe('validateLayer never throws', () => {
  const hostile: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['a string', 'FeatureCollection'],
    ['an array', []],
    ['features not an array', { type: 'FeatureCollection', features: {} }],
    ['a null feature', { type: 'FeatureCollection', features: [null] }],
    [
      'a null geometry',
      { type: 'FeatureCollection', features: [{ type: 'Feature', id: 'a', properties: {}, geometry: null }] },
    ],
    [
      'a throwing getter',
      Object.defineProperty({ type: 'FeatureCollection' }, 'features', {
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
    [
      'a revoked proxy',
      (() => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      })(),
    ],
    [
      'a deeply wrong coordinate',
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'a', properties: {}, geometry: { type: 'Point', coordinates: [[[[1]]]] } },
        ],
      },
    ],
  ];

  it.each(hostile)('%s', (_label, value) => {
    const result = validateLayer(value, 'posts');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(typeof result.error.path).toBe('string');
  });

  it('rejects an unknown layer kind', () => {
    const result = validateLayer({ type: 'FeatureCollection', features: [] }, 'roads' as LayerKind);
    expect(result).toEqual({ ok: false, error: { path: '', message: 'unknown layer kind "roads"' } });
  });
});
