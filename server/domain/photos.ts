// Report photos: JPEG/PNG/WebP checked by magic bytes, stored once by content hash, durable before the answer.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { User } from '../contract';
import { ApiError } from '../http/errors';
import type { PhotoRecord, Store } from '../store/store';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type PhotoType = keyof typeof PHOTO_TYPES;

const startsWith = (bytes: Buffer, magic: number[], at = 0): boolean =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);

/** The image type the bytes really are (by their magic numbers), or null. */
export function sniffImage(bytes: Buffer): PhotoType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  const riff = [0x52, 0x49, 0x46, 0x46];
  const webp = [0x57, 0x45, 0x42, 0x50];
  if (startsWith(bytes, riff) && startsWith(bytes, webp, 8)) return 'image/webp';
  return null;
}

export interface PhotoService {
  /** Stores the bytes (once per content) and returns the photo id, the SHA-256 of the bytes. */
  save(user: User, bytes: Buffer, declaredType: string): Promise<PhotoRecord>;
  /** The record and the file path, or null for an unknown id. */
  open(id: string): Promise<{ record: PhotoRecord; file: string } | null>;
}

/** Writes to a temp file, fsyncs it, renames it into place and fsyncs the directory: all or nothing. */
async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.promises.open(temp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, file);
  const dir = await fs.promises.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

function checkBytes(bytes: Buffer, declaredType: string): PhotoType {
  if (bytes.length === 0) throw new ApiError('invalid', 'the photo is empty');
  if (bytes.length > PHOTO_MAX_BYTES)
    throw new ApiError('too_large', `a photo is at most ${PHOTO_MAX_BYTES} bytes`);
  const actual = sniffImage(bytes);
  if (!actual) throw new ApiError('invalid', 'not a JPEG, PNG or WebP image (checked by its first bytes)');
  if (actual !== declaredType)
    throw new ApiError('invalid', `Content-Type says ${declaredType} but the bytes are ${actual}`);
  return actual;
}

export function createPhotoService(deps: { store: Store; dataDir: string; now: () => number }): PhotoService {
  const dir = path.join(deps.dataDir, 'photos');
  const fileOf = (id: string, type: PhotoType): string => path.join(dir, `${id}.${PHOTO_TYPES[type]}`);
  return {
    async save(user, bytes, declaredType) {
      const type = checkBytes(bytes, declaredType);
      const id = createHash('sha256').update(bytes).digest('hex');
      const existing = await deps.store.photos.byId(id);
      if (existing) return existing;
      await fs.promises.mkdir(dir, { recursive: true });
      const file = fileOf(id, type);
      if (!fs.existsSync(file)) await writeDurably(file, bytes);
      const record = {
        id,
        contentType: type,
        bytes: bytes.length,
        uploadedBy: user.id,
        createdAt: deps.now(),
      };
      await deps.store.photos.put(record);
      return (await deps.store.photos.byId(id)) ?? record;
    },
    async open(id) {
      const record = /^[0-9a-f]{64}$/.test(id) ? await deps.store.photos.byId(id) : null;
      if (!record || !(record.contentType in PHOTO_TYPES)) return null;
      return { record, file: fileOf(id, record.contentType as PhotoType) };
    },
  };
}
