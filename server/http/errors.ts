// API errors as {"error":{code,message}} with the right 4xx; unknown failures become a 500 without details.
import type { FastifyInstance, FastifyError } from 'fastify';
import type { z } from 'zod';
import { describeIssue } from '../contract';

export type ErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'illegal_transition'
  | 'too_large'
  | 'rate_limited'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Sent as Retry-After with a 429. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Parses input with a zod schema or throws a 400 `invalid` naming the field. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ApiError('invalid', describeIssue(result.error));
  return result.data;
}

function fromFastify(error: FastifyError): ApiError | null {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('too_large', 'request body too large');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new ApiError('invalid', 'unsupported content type');
  const status = error.statusCode ?? 500;
  if (status === 413) return new ApiError('too_large', 'request body too large');
  if (status === 429) return new ApiError('rate_limited', 'too many requests');
  if (status >= 400 && status < 500) return new ApiError('invalid', error.message);
  return null;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const known = error instanceof ApiError ? error : fromFastify(error);
    if (known) {
      if (known.retryAfterS !== null) void reply.header('retry-after', String(known.retryAfterS));
      void reply.status(known.status).send(errorBody(known.code, known.message));
      return;
    }
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
