// The unit registry (admin writes) and the live units as a FeatureCollection.
import type { FastifyInstance } from 'fastify';
import { UnitPatch, UnitRegistration, type UnitState } from '../contract';
import type { LiveState } from '../engine/live-state';
import type { Registry } from '../engine/registry';
import { ConflictError, type Store, type UnitRecord } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';

export interface UnitRouteDeps {
  store: Store;
  registry: Registry;
  live: LiveState;
  now: () => number;
}

function toFeature(unit: UnitState): GeoJSON.Feature {
  return {
    type: 'Feature',
    id: unit.id,
    geometry: { type: 'Point', coordinates: [unit.lon, unit.lat] },
    properties: unit,
  };
}

function toRegistration(unit: UnitRecord): UnitRecord {
  return {
    id: unit.id,
    kind: unit.kind,
    callsign: unit.callsign,
    deviceId: unit.deviceId,
    createdAt: unit.createdAt,
  };
}

async function guard<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConflictError) throw new ApiError('conflict', error.message);
    throw error;
  }
}

export function registerUnitRoutes(app: FastifyInstance, deps: UnitRouteDeps): void {
  const { store, registry, live } = deps;

  app.get<{ Querystring: { registered?: string } }>('/api/units', async (request) => {
    requireUser(request);
    if (request.query.registered === '1')
      return { items: registry.all().map(toRegistration), nextCursor: null };
    return { type: 'FeatureCollection', features: live.units().map(toFeature) };
  });

  app.get<{ Params: { id: string } }>('/api/units/:id', async (request) => {
    requireUser(request);
    const unit = registry.byId(request.params.id);
    if (!unit) throw new ApiError('not_found', `no unit ${request.params.id}`);
    return { ...toRegistration(unit), state: live.unit(unit.id) ?? null };
  });

  app.post('/api/units', async (request, reply) => {
    requireUser(request, ['admin']);
    const body = parseWith(UnitRegistration, request.body);
    const unit: UnitRecord = { ...body, createdAt: deps.now() };
    await guard(() => store.units.create(unit));
    registry.set(unit);
    return reply.status(201).send(unit);
  });

  app.patch<{ Params: { id: string } }>('/api/units/:id', async (request) => {
    requireUser(request, ['admin']);
    const patch = parseWith(UnitPatch, request.body);
    const unit = await guard(() => store.units.update(request.params.id, patch));
    if (!unit) throw new ApiError('not_found', `no unit ${request.params.id}`);
    registry.set(unit);
    return unit;
  });

  app.delete<{ Params: { id: string } }>('/api/units/:id', async (request, reply) => {
    requireUser(request, ['admin']);
    if (!(await store.units.remove(request.params.id)))
      throw new ApiError('not_found', `no unit ${request.params.id}`);
    registry.remove(request.params.id);
    live.remove(request.params.id);
    return reply.status(204).send();
  });
}
