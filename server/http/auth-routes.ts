// Login, refresh and /api/me. The bearer token is checked, and the role, by the access matrix (security/access).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoginRequest, RefreshRequest, type Role, type User } from '../contract';
import type { Auth } from '../domain/auth';
import { createLoginThrottle, type LoginThrottle } from '../security/login-throttle';
import { ApiError, parseWith } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

/** The caller, or a 401/403 when absent or not in one of the roles. */
export function requireUser(request: FastifyRequest, roles?: readonly Role[]): User {
  const user = request.user;
  if (!user) throw new ApiError('unauthenticated', 'a valid access token is required');
  if (roles && !roles.includes(user.role)) {
    throw new ApiError('forbidden', `this needs the role ${roles.join(' or ')}`);
  }
  return user;
}

export function registerAuthRoutes(
  app: FastifyInstance,
  auth: Pick<Auth, 'login' | 'refresh'>,
  throttle: LoginThrottle = createLoginThrottle(),
): void {
  app.post('/api/auth/login', async (request) => {
    const body = parseWith(LoginRequest, request.body);
    const retryAfterS = throttle.retryAfterS(body.username, request.ip);
    if (retryAfterS > 0) {
      request.log.warn({ username: body.username, ip: request.ip }, 'login throttled');
      throw new ApiError(
        'rate_limited',
        `too many failed logins: try again in ${retryAfterS} s`,
        retryAfterS,
      );
    }
    const session = await auth.login(body.username, body.password);
    if (!session) {
      throttle.failed(body.username, request.ip);
      throw new ApiError('unauthenticated', 'wrong username or password');
    }
    throttle.succeeded(body.username);
    request.log.info({ username: body.username }, 'login');
    return session;
  });

  app.post('/api/auth/refresh', async (request) => {
    const body = parseWith(RefreshRequest, request.body);
    const session = await auth.refresh(body.refreshToken);
    if (!session) throw new ApiError('unauthenticated', 'the refresh token is invalid or expired');
    return session;
  });

  app.get('/api/me', async (request) => requireUser(request));
}
