// The basemap choice: parsed from BASEMAP* environment variables, served public at GET /basemap.json (the login
// screen shows the map), next to the built-in basemap's data at GET /basemap.geojson (data/basemap.geojson) and
// an operator's local PMTiles archive at GET /basemap.pmtiles (basemap-pmtiles.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PMTILES_PATH, registerPmtilesRoute } from './basemap-pmtiles';
import { errorBody } from './errors';

// The JSON shape the client reads (client/lib/map/basemap-config.ts writes it down again; a test keeps them equal).
export type BasemapConfig = (
  | { kind: 'builtin' }
  | { kind: 'off' }
  | { kind: 'style'; url: string }
  /** A PMTiles archive: /basemap.pmtiles for a local file we serve, or the operator's http(s) URL. */
  | { kind: 'pmtiles'; url: string; attribution: string }
  | {
      kind: 'raster';
      tiles: string[];
      labelTiles: string[];
      attribution: string;
      maxzoom: number;
      tileSize: number;
    }
) & { gcj02Display: boolean };

type Env = Record<string, string | undefined>;

export const BASEMAP_KINDS = ['builtin', 'off', 'style', 'raster', 'pmtiles'] as const;

/** The variables each kind needs or allows; any other BASEMAP_* variable set alongside is a mistake we report. */
const VARIABLES: Record<(typeof BASEMAP_KINDS)[number], string[]> = {
  builtin: [],
  off: [],
  style: ['BASEMAP_STYLE_URL'],
  raster: [
    'BASEMAP_TILES',
    'BASEMAP_LABEL_TILES',
    'BASEMAP_ATTRIBUTION',
    'BASEMAP_MAXZOOM',
    'BASEMAP_TILE_SIZE',
  ],
  pmtiles: ['BASEMAP_PMTILES', 'BASEMAP_ATTRIBUTION'],
};
const ALL_VARIABLES = Object.values(VARIABLES).flat();

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/** An absolute http(s) URL, or a path on our own host (a self-hosted style or tile directory). */
function checkUrl(name: string, url: string): string {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} must be an http(s) URL or a path starting with /, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`${name} must be an http(s) URL or a path starting with /, got "${url}"`);
  return url;
}

/** Comma-separated tile URL templates; each needs {z}, {x} and {y} (or {quadkey}). */
function tileTemplates(name: string, raw: string): string[] {
  const templates = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const t of templates) {
    checkUrl(name, t);
    const xyz = t.includes('{z}') && t.includes('{x}') && t.includes('{y}');
    if (!xyz && !t.includes('{quadkey}'))
      throw new Error(`${name} templates need {z}, {x} and {y} (or {quadkey}), got "${t}"`);
  }
  return templates;
}

function integerIn(
  env: Env,
  name: string,
  fallback: number,
  allowed: (n: number) => boolean,
  hint: string,
): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !allowed(n)) throw new Error(`${name} must be ${hint}, got "${raw}"`);
  return n;
}

function gcj02Flag(env: Env): boolean {
  const raw = value(env, 'BASEMAP_GCJ02')?.toLowerCase();
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  throw new Error(`BASEMAP_GCJ02 must be 1 or 0, got "${env['BASEMAP_GCJ02']}"`);
}

/** BASEMAP when set, else inferred: a style URL means style, tiles raster, an archive pmtiles, nothing builtin. */
function kindOf(env: Env): (typeof BASEMAP_KINDS)[number] {
  const raw = value(env, 'BASEMAP')?.toLowerCase();
  if (raw === undefined) {
    if (value(env, 'BASEMAP_STYLE_URL')) return 'style';
    if (value(env, 'BASEMAP_TILES')) return 'raster';
    return value(env, 'BASEMAP_PMTILES') ? 'pmtiles' : 'builtin';
  }
  const kind = BASEMAP_KINDS.find((k) => k === raw);
  if (!kind) throw new Error(`BASEMAP must be one of ${BASEMAP_KINDS.join(', ')}, got "${env['BASEMAP']}"`);
  return kind;
}

/**
 * Parses the BASEMAP* variables (docs/basemap.md). Pure (pmtilesFileFromEnv checks a local archive); throws an
 * Error whose one-line message names the variable.
 * @example basemapConfigFromEnv({}) // { kind: 'builtin', gcj02Display: false }
 */
export function basemapConfigFromEnv(env: Env): BasemapConfig {
  const kind = kindOf(env);
  const stray = ALL_VARIABLES.find(
    (name) => value(env, name) !== undefined && !VARIABLES[kind].includes(name),
  );
  if (stray) throw new Error(`${stray} is set but BASEMAP is ${kind}: unset it, or set BASEMAP to match`);
  const gcj02Display = gcj02Flag(env);
  switch (kind) {
    case 'builtin':
    case 'off':
      return { kind, gcj02Display };
    case 'style': {
      const url = value(env, 'BASEMAP_STYLE_URL');
      if (!url) throw new Error('BASEMAP_STYLE_URL is required with BASEMAP=style');
      return { kind, url: checkUrl('BASEMAP_STYLE_URL', url), gcj02Display };
    }
    case 'pmtiles': {
      const archive = value(env, 'BASEMAP_PMTILES');
      if (!archive) throw new Error('BASEMAP_PMTILES is required with BASEMAP=pmtiles');
      const url = isRemote(archive) ? checkUrl('BASEMAP_PMTILES', archive) : PMTILES_PATH;
      return { kind, url, attribution: value(env, 'BASEMAP_ATTRIBUTION') ?? '', gcj02Display };
    }
    case 'raster': {
      const raw = value(env, 'BASEMAP_TILES');
      if (!raw) throw new Error('BASEMAP_TILES is required with BASEMAP=raster');
      const attribution = value(env, 'BASEMAP_ATTRIBUTION');
      if (!attribution)
        throw new Error(
          "BASEMAP_ATTRIBUTION is required with raster tiles (the tile provider's terms ask for it)",
        );
      const labels = value(env, 'BASEMAP_LABEL_TILES');
      return {
        kind,
        tiles: tileTemplates('BASEMAP_TILES', raw),
        labelTiles: labels ? tileTemplates('BASEMAP_LABEL_TILES', labels) : [],
        attribution,
        maxzoom: integerIn(env, 'BASEMAP_MAXZOOM', 18, (n) => n <= 24, 'an integer from 0 to 24'),
        tileSize: integerIn(env, 'BASEMAP_TILE_SIZE', 256, (n) => n === 256 || n === 512, '256 or 512'),
        gcj02Display,
      };
    }
  }
}

const isRemote = (archive: string): boolean => /^https?:\/\//i.test(archive);

/** The first bytes of a PMTiles v3 archive: the magic "PMTiles" and the spec version. */
const PMTILES_MAGIC = Buffer.from('PMTiles', 'latin1');

/**
 * The local archive BASEMAP_PMTILES names (absolute, or relative to the working directory), checked to be a
 * readable PMTiles v3 file; null when the basemap is not a local archive. Reads the file's first 8 bytes.
 */
export function pmtilesFileFromEnv(env: Env): string | null {
  const archive = value(env, 'BASEMAP_PMTILES');
  if (archive === undefined || isRemote(archive) || kindOf(env) !== 'pmtiles') return null;
  const file = path.resolve(archive);
  const head = Buffer.alloc(8);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 8, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`BASEMAP_PMTILES must be a readable file or an http(s) URL, got "${archive}" (${why})`);
  }
  if (!head.subarray(0, 7).equals(PMTILES_MAGIC))
    throw new Error(`BASEMAP_PMTILES is not a PMTiles archive (no "PMTiles" magic): "${archive}"`);
  if (head[7] !== 3)
    throw new Error(
      `BASEMAP_PMTILES must be a PMTiles version 3 archive, got version ${head[7]}: "${archive}"`,
    );
  return file;
}

/**
 * GET /basemap.json (the choice) and GET /basemap.geojson (the built-in data), both public like the client, and
 * GET /basemap.pmtiles (byte ranges of `pmtilesFile`) when the basemap is a local archive.
 */
export function registerBasemapRoutes(
  app: FastifyInstance,
  config: BasemapConfig,
  dataDir: string,
  pmtilesFile: string | null = null,
): void {
  if (pmtilesFile !== null) registerPmtilesRoute(app, pmtilesFile);
  const body = JSON.stringify(config);
  app.get('/basemap.json', async (_request, reply) =>
    reply.type('application/json').header('cache-control', 'no-cache').send(body),
  );
  app.get('/basemap.geojson', async (_request, reply) => {
    const file = path.join(dataDir, 'basemap.geojson');
    if (config.kind !== 'builtin' || !fs.existsSync(file))
      return reply.status(404).send(errorBody('not_found', 'no built-in basemap: see GET /basemap.json'));
    return reply
      .type('application/geo+json')
      .header('cache-control', 'public, max-age=3600')
      .send(fs.createReadStream(file));
  });
}
