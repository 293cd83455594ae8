// A camera photo made ready for the outbox: scaled down to 1600 px and re-encoded as JPEG on the device, so
// it is a few hundred kB on a weak link and always under the server's 5 MB; sent as taken when undecodable.
import type { OutboxPhoto } from './outbox-item';

export const PHOTO_MAX_EDGE_PX = 1600;
const JPEG_QUALITY = 0.82;
const SERVER_MAX_BYTES = 5 * 1024 * 1024;
const SERVER_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export class PhotoError extends Error {}

async function reencode(file: Blob): Promise<OutboxPhoto | null> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, PHOTO_MAX_EDGE_PX / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY),
  );
  return blob ? { bytes: await blob.arrayBuffer(), contentType: 'image/jpeg' } : null;
}

export async function preparePhoto(file: File): Promise<OutboxPhoto> {
  try {
    const small = await reencode(file);
    if (small) return small;
  } catch {
    // This browser cannot decode it (e.g. HEIC): the server may still take it as it is.
  }
  if (SERVER_TYPES.includes(file.type) && file.size <= SERVER_MAX_BYTES)
    return { bytes: await file.arrayBuffer(), contentType: file.type };
  throw new PhotoError(`${file.type || 'unknown type'}, ${Math.round(file.size / 1024)} kB`);
}
