// The unit registry (admin writes) and the live units as a FeatureCollection.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UnitPatch, UnitRegistration, type UnitState } from '../contract';
import type { LiveState } from '../engine/live-state';
import type { Registry } from '../engine/registry';
import { generateDeviceSecret, hashDeviceSecret } from '../security/device-auth';
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

/** A registration as the API shows it: never the secret's hash, only whether there is one. */
function toRegistration(unit: UnitRecord): Omit<UnitRecord, 'secretHash'> & { hasSecret: boolean } {
  return {
    id: unit.id,
    kind: unit.kind,
    callsign: unit.callsign,
    deviceId: unit.deviceId,
    createdAt: unit.createdAt,
    hasSecret: Boolean(unit.secretHash),
  };
}

/** An admin registering a district's devices at once: one transaction, at most this many. */
export const BULK_MAX_UNITS = 5000;
const BulkRegistration = z.object({ units: z.array(UnitRegistration).min(1).max(BULK_MAX_UNITS) });

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
    const user = requireUser(request);
    // The roster is the command centre's; in the field an account reads its own unit only.
    if (user.role !== 'admin' && user.role !== 'operator' && user.unitId !== request.params.id)
      throw new ApiError('forbidden', 'you may read only your own unit');
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
    return reply.status(201).send(toRegistration(unit));
  });

  // Bulk import: units whose id or device id is already taken (or repeated in the batch) are skipped and
  // named, the rest are added in one transaction.
  app.post('/api/units/bulk', { bodyLimit: 2_000_000 }, async (request) => {
    requireUser(request, ['admin']);
    const body = parseWith(BulkRegistration, request.body);
    const ids = new Set<string>();
    const devices = new Set<string>();
    const fresh: UnitRecord[] = [];
    const skipped: string[] = [];
    const createdAt = deps.now();
    for (const unit of body.units) {
      const taken =
        ids.has(unit.id) ||
        devices.has(unit.deviceId) ||
        registry.byId(unit.id) !== undefined ||
        registry.byDeviceId(unit.deviceId) !== undefined;
      if (taken) {
        skipped.push(unit.id);
        continue;
      }
      ids.add(unit.id);
      devices.add(unit.deviceId);
      fresh.push({ ...unit, createdAt });
    }
    const added = await store.units.createMany(fresh);
    for (const unit of fresh) registry.set(unit);
    return { added, skipped };
  });

  // A device secret is shown once, when it is made; the store keeps only its SHA-256.
  app.post<{ Params: { id: string } }>('/api/units/:id/secret', async (request, reply) => {
    requireUser(request, ['admin']);
    const secret = generateDeviceSecret();
    const unit = await store.units.update(request.params.id, { secretHash: hashDeviceSecret(secret) });
    if (!unit) throw new ApiError('not_found', `no unit ${request.params.id}`);
    registry.set(unit);
    return reply.status(201).send({ unitId: unit.id, deviceId: unit.deviceId, secret });
  });

  app.delete<{ Params: { id: string } }>('/api/units/:id/secret', async (request, reply) => {
    requireUser(request, ['admin']);
    const unit = await store.units.update(request.params.id, { secretHash: null });
    if (!unit) throw new ApiError('not_found', `no unit ${request.params.id}`);
    registry.set(unit);
    return reply.status(204).send();
  });

  app.patch<{ Params: { id: string } }>('/api/units/:id', async (request) => {
    requireUser(request, ['admin']);
    const patch = parseWith(UnitPatch, request.body);
    const unit = await guard(() => store.units.update(request.params.id, patch));
    if (!unit) throw new ApiError('not_found', `no unit ${request.params.id}`);
    registry.set(unit);
    return toRegistration(unit);
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
