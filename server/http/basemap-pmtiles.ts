// GET /basemap.pmtiles: an operator's local PMTiles archive, public like the basemap, served by byte ranges (the
// PMTiles reader asks for its header, directories and each tile as `Range: bytes=a-b`, one range a request).
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from './errors';

export const PMTILES_PATH = '/basemap.pmtiles';

/** One byte range, inclusive, within a file of `size` bytes; 'unsatisfiable' or null (ignore the header). */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | null {
  if (header === undefined) return null;
  // One range only; a multi-range or malformed header is ignored and the whole file sent (RFC 9110 §14.2).
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    // A suffix: the last n bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}

function sendFile(
  reply: FastifyReply,
  file: string,
  size: number,
  range: [number, number] | null,
): FastifyReply {
  if (range === null) {
    return reply
      .header('content-length', size)
      .send(size === 0 ? '' : fs.createReadStream(file, { start: 0, end: size - 1 }));
  }
  const [start, end] = range;
  return reply
    .status(206)
    .header('content-range', `bytes ${start}-${end}/${size}`)
    .header('content-length', end - start + 1)
    .send(fs.createReadStream(file, { start, end }));
}

export function registerPmtilesRoute(app: FastifyInstance, file: string): void {
  app.get(PMTILES_PATH, async (request, reply) => {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return reply.status(404).send(errorBody('not_found', 'the PMTiles archive is gone from the server'));
    }
    // A strong validator: the reader checks that every range comes from the same archive version.
    const etag = `"${stat.size.toString(16)}-${Math.trunc(stat.mtimeMs).toString(16)}"`;
    void reply
      .type('application/vnd.pmtiles')
      .header('accept-ranges', 'bytes')
      .header('etag', etag)
      .header('cache-control', 'public, max-age=3600');
    const ifRange = request.headers['if-range'];
    const stale = ifRange !== undefined && ifRange !== etag;
    const range = stale ? null : parseRange(request.headers.range, stat.size);
    if (range === 'unsatisfiable') {
      return reply
        .status(416)
        .header('content-range', `bytes */${stat.size}`)
        .type('application/json')
        .send(errorBody('range_not_satisfiable', `the archive has ${stat.size} bytes`));
    }
    return sendFile(reply, file, stat.size, range);
  });
}
