// Photos over REST: a raw JPEG/PNG/WebP body up to 5 MB → 201 {photoId}; served back to signed-in users.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PHOTO_MAX_BYTES, PHOTO_TYPES, type PhotoService } from '../domain/photos';
import { requireUser } from './auth-routes';
import { ApiError } from './errors';

export function registerPhotoRoutes(app: FastifyInstance, photos: PhotoService): void {
  // Encapsulated: the raw image parsers apply to these routes only, not to the rest of the API.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      Object.keys(PHOTO_TYPES),
      { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );

    scope.post('/api/photos', { bodyLimit: PHOTO_MAX_BYTES }, async (request, reply) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body))
        throw new ApiError(
          'invalid',
          'send the image as the raw body with Content-Type image/jpeg, image/png or image/webp',
        );
      const declared = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const photo = await photos.save(user, request.body, declared);
      return reply
        .status(201)
        .send({ photoId: photo.id, contentType: photo.contentType, bytes: photo.bytes });
    });

    scope.get<{ Params: { id: string } }>('/api/photos/:id', async (request, reply) => {
      requireUser(request);
      const found = await photos.open(request.params.id);
      if (!found) throw new ApiError('not_found', `no photo ${request.params.id}`);
      return reply
        .header('content-type', found.record.contentType)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(fs.createReadStream(found.file));
    });
  });
}
