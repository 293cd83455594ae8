// Geofences: list and read (everyone), create, change and delete (admins and operators).
import type { FastifyInstance } from 'fastify';
import { FenceInput, FencePatch, type Fence } from '../contract';
import { newId } from '../domain/ids';
import type { Store } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';

const EDITORS = ['admin', 'operator'] as const;

export function registerFenceRoutes(
  app: FastifyInstance,
  store: Store,
  onChanged: (fences: Fence[]) => void,
  now: () => number,
): void {
  const find = async (id: string): Promise<Fence> => {
    const fence = (await store.fences.list()).find((f) => f.id === id);
    if (!fence) throw new ApiError('not_found', `no fence ${id}`);
    return fence;
  };
  const changed = async (): Promise<void> => onChanged(await store.fences.list());

  app.get('/api/fences', async (request) => {
    requireUser(request);
    return { items: await store.fences.list(), nextCursor: null };
  });

  app.get<{ Params: { id: string } }>('/api/fences/:id', async (request) => {
    requireUser(request);
    return find(request.params.id);
  });

  app.post('/api/fences', async (request, reply) => {
    const user = requireUser(request, EDITORS);
    const input = parseWith(FenceInput, request.body);
    const t = now();
    const fence: Fence = { ...input, id: newId(t), createdBy: user.id, createdAt: t, updatedAt: t };
    await store.fences.put(fence);
    await changed();
    return reply.status(201).send(fence);
  });

  app.patch<{ Params: { id: string } }>('/api/fences/:id', async (request) => {
    requireUser(request, EDITORS);
    const patch = parseWith(FencePatch, request.body);
    const current = await find(request.params.id);
    const fence: Fence = { ...current, ...patch, updatedAt: Math.max(now(), current.updatedAt + 1) };
    await store.fences.put(fence);
    await changed();
    return fence;
  });

  app.delete<{ Params: { id: string } }>('/api/fences/:id', async (request, reply) => {
    requireUser(request, EDITORS);
    if (!(await store.fences.remove(request.params.id)))
      throw new ApiError('not_found', `no fence ${request.params.id}`);
    await changed();
    return reply.status(204).send();
  });
}
