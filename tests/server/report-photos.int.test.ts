// Report photos over real HTTP: raw image bodies, magic bytes, 5 MB limit, content-hashed durable files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

const MB = 1024 * 1024;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
let server: ClosedLoopServer;
let leader: string;

/** Bytes that start like the given image type, then filler. */
function image(type: 'png' | 'jpeg' | 'webp', size: number, fill = 7): Buffer {
  const bytes = Buffer.alloc(size, fill);
  if (type === 'png') Buffer.from(PNG_MAGIC).copy(bytes);
  if (type === 'jpeg') Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(bytes);
  if (type === 'webp') {
    bytes.write('RIFF', 0, 'latin1');
    bytes.write('WEBP', 8, 'latin1');
  }
  return bytes;
}

const upload = (raw: Buffer, contentType: string, token = leader) =>
  server.request('POST', '/api/photos', { token, raw, headers: { 'content-type': contentType } });

beforeAll(async () => {
  server = await startClosedLoopServer();
  leader = (await server.login('leader')).token;
});
afterAll(async () => server.close());

describe('photo upload', () => {
  it('stores a PNG under DATA_DIR/photos/<sha256>.png and answers 201 {photoId}', async () => {
    const bytes = image('png', 2048);
    const reply = await upload(bytes, 'image/png');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ photoId: sha, contentType: 'image/png', bytes: 2048 });
    const dir = path.join(server.dataDir, 'photos');
    expect(fs.readdirSync(dir)).toEqual([`${sha}.png`]);
    expect(fs.readFileSync(path.join(dir, `${sha}.png`)).equals(bytes)).toBe(true);
  });

  it('keeps one copy of the same bytes', async () => {
    const bytes = image('jpeg', 4096, 3);
    const first = await upload(bytes, 'image/jpeg');
    const second = await upload(bytes, 'image/jpeg');
    expect(second.body.photoId).toBe(first.body.photoId);
    const files = fs.readdirSync(path.join(server.dataDir, 'photos'));
    expect(files.filter((f) => f.startsWith(first.body.photoId))).toHaveLength(1);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('accepts exactly 5 MB and refuses one byte more with 413 too_large', async () => {
    expect((await upload(image('webp', 5 * MB), 'image/webp')).status).toBe(201);
    const big = await upload(image('webp', 5 * MB + 1, 9), 'image/webp');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
  });

  it.each([
    ['text bytes called a JPEG', Buffer.from('hello, not an image'), 'image/jpeg'],
    ['a PNG called a JPEG', image('png', 100), 'image/jpeg'],
    ['an empty body', Buffer.alloc(0), 'image/png'],
    ['plain text', Buffer.from('hello'), 'text/plain'],
    ['JSON', Buffer.from('{"photo":"x"}'), 'application/json'],
  ])('400 for %s', async (_name, bytes, type) => {
    const reply = await upload(bytes, type);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('invalid');
  });

  it('needs a token to upload and to read', async () => {
    const bytes = image('png', 64, 1);
    expect((await upload(bytes, 'image/png', '')).status).toBe(401);
    const { photoId } = (await upload(bytes, 'image/png')).body;
    expect((await server.request('GET', `/api/photos/${photoId}`)).status).toBe(401);
  });
});

describe('photo read and use', () => {
  it('serves the bytes back with their type; 404 for unknown ids', async () => {
    const bytes = image('png', 512, 5);
    const { photoId } = (await upload(bytes, 'image/png')).body;
    const reply = await server.request('GET', `/api/photos/${photoId}`, { token: leader });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('image/png');
    expect(reply.bytes.equals(bytes)).toBe(true);
    for (const id of ['0'.repeat(64), '..%2F..%2Flianfang.db', 'nope']) {
      expect((await server.request('GET', `/api/photos/${id}`, { token: leader })).status).toBe(404);
    }
  });

  it('attaches an uploaded photo to a report', async () => {
    const { photoId } = (await upload(image('jpeg', 256, 8), 'image/jpeg')).body;
    const reply = await server.request('POST', '/api/reports', {
      token: leader,
      body: {
        segmentId: 't-seg-01',
        status: 'anomaly',
        anomalyType: 'damage',
        lon: 106.71,
        lat: 21.99,
        photoId,
      },
    });
    expect(reply.status).toBe(201);
    const list = await server.request('GET', '/api/reports?segmentId=t-seg-01', { token: leader });
    expect(list.body.items[0]).toMatchObject({ id: reply.body.id, photoId });
  });
});
