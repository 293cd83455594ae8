// Accounts (issue 9): admins list, create, change and delete users and reset passwords; everyone changes their
// own password and signs out. A password change or a sign-out bumps the user's token version, which revokes
// every token issued before (the stolen-tablet answer), and drops the user's live sockets.
import type { FastifyInstance } from 'fastify';
import { PasswordChange, PasswordReset, UserCreate, UserPatch, type User } from '../contract';
import { toUser, type Auth } from '../domain/auth';
import { newId } from '../domain/ids';
import { passwordProblem } from '../domain/password-policy';
import { hashPassword, verifyPassword } from '../domain/passwords';
import { ConflictError, type Store, type UserRecord } from '../store/store';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';

export interface UserRouteDeps {
  store: Store;
  auth: Auth;
  now: () => number;
  /** Called after a user's tokens were revoked: close their live connections. */
  revoked: (userId: string) => void;
}

function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new ApiError('invalid', `password: ${problem}`);
}

async function guard<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConflictError) throw new ApiError('conflict', error.message);
    throw error;
  }
}

export function registerUserRoutes(app: FastifyInstance, deps: UserRouteDeps): void {
  const { store } = deps;
  const existing = async (id: string): Promise<UserRecord> => {
    const record = await store.users.byId(id);
    if (!record) throw new ApiError('not_found', `no user ${id}`);
    return record;
  };
  const revoke = async (record: UserRecord, patch: Partial<UserRecord> = {}): Promise<UserRecord> => {
    const next = await store.users.update(record.id, {
      ...patch,
      tokenVersion: (record.tokenVersion ?? 0) + 1,
    });
    deps.revoked(record.id);
    return next ?? record;
  };

  app.get('/api/users', async (request): Promise<{ items: User[]; nextCursor: null }> => {
    requireUser(request, ['admin']);
    return { items: (await store.users.list()).map(toUser), nextCursor: null };
  });

  app.post('/api/users', async (request, reply) => {
    requireUser(request, ['admin']);
    const body = parseWith(UserCreate, request.body);
    checkPassword(body.password, body.username);
    const record: UserRecord = {
      id: newId(deps.now()),
      username: body.username,
      role: body.role,
      unitId: body.unitId ?? null,
      segmentIds: body.segmentIds,
      areaId: body.areaId ?? null,
      staffId: body.staffId ?? null,
      passwordHash: await hashPassword(body.password),
      createdAt: deps.now(),
      tokenVersion: 0,
    };
    await guard(() => store.users.create(record));
    return reply.status(201).send(toUser(record));
  });

  app.patch<{ Params: { id: string } }>('/api/users/:id', async (request) => {
    const caller = requireUser(request, ['admin']);
    const patch = parseWith(UserPatch, request.body);
    const record = await existing(request.params.id);
    if (record.id === caller.id && patch.role !== undefined && patch.role !== 'admin')
      throw new ApiError('conflict', 'an admin cannot take away their own admin role');
    const updated = await guard(() =>
      store.users.update(record.id, {
        ...(patch.username === undefined ? {} : { username: patch.username }),
        ...(patch.role === undefined ? {} : { role: patch.role }),
        ...(patch.unitId === undefined ? {} : { unitId: patch.unitId }),
        ...(patch.segmentIds === undefined ? {} : { segmentIds: patch.segmentIds }),
        ...(patch.areaId === undefined ? {} : { areaId: patch.areaId }),
        ...(patch.staffId === undefined ? {} : { staffId: patch.staffId }),
      }),
    );
    // a changed role or scope must not live on in tokens and rooms made for the old one
    return toUser(await revoke(updated ?? record));
  });

  app.delete<{ Params: { id: string } }>('/api/users/:id', async (request, reply) => {
    const caller = requireUser(request, ['admin']);
    if (request.params.id === caller.id) throw new ApiError('conflict', 'an admin cannot delete themselves');
    const record = await existing(request.params.id);
    await store.users.remove(record.id);
    deps.revoked(record.id);
    return reply.status(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/users/:id/password', async (request, reply) => {
    requireUser(request, ['admin']);
    const body = parseWith(PasswordReset, request.body);
    const record = await existing(request.params.id);
    checkPassword(body.password, record.username);
    await revoke(record, { passwordHash: await hashPassword(body.password) });
    return reply.status(204).send();
  });

  // Changing one's own password signs out every other session and answers with fresh tokens for this one.
  app.post('/api/me/password', async (request) => {
    const caller = requireUser(request);
    const body = parseWith(PasswordChange, request.body);
    const record = await existing(caller.id);
    if (!(await verifyPassword(body.currentPassword, record.passwordHash)))
      throw new ApiError('forbidden', 'the current password is wrong');
    checkPassword(body.newPassword, record.username);
    const updated = await revoke(record, { passwordHash: await hashPassword(body.newPassword) });
    return deps.auth.session(updated);
  });

  // Signing out revokes every token of the user: a lost tablet is signed out by signing out anywhere.
  app.post('/api/auth/logout', async (request, reply) => {
    const caller = requireUser(request);
    await revoke(await existing(caller.id));
    return reply.status(204).send();
  });
}
