// Household posts over REST: check in (idempotent, 201 {id, postId, t}), list a post's check-ins, raise its alarm.
import type { FastifyInstance } from 'fastify';
import { CheckinInput, PostAlarmInput } from '../contract';
import type { CheckinService } from '../domain/checkins';
import type { AlertRecord } from '../contract';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';
import { parseLimit, parseTime } from './query-params';
import { headerKey } from './report-routes';

type ById = { Params: { id: string } };
type ListQuery = Partial<Record<'since' | 'cursor' | 'limit', string>>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface PostRouteDeps {
  checkins: CheckinService;
  raiseAlarm: (
    user: Parameters<CheckinService['submit']>[0],
    postId: string,
    input: PostAlarmInput,
    headerKey: string | null,
  ) => Promise<AlertRecord>;
}

export function registerPostRoutes(app: FastifyInstance, deps: PostRouteDeps): void {
  app.post<ById>('/api/posts/:id/checkins', async (request, reply) => {
    const user = requireUser(request);
    const key = headerKey(request.headers['idempotency-key']);
    const body = parseWith(CheckinInput, request.body ?? {});
    return reply.status(201).send(await deps.checkins.submit(user, request.params.id, body, key));
  });

  app.get<ById & { Querystring: ListQuery }>('/api/posts/:id/checkins', async (request) => {
    const user = requireUser(request);
    const { cursor } = request.query;
    if (cursor !== undefined && cursor !== '' && !ULID.test(cursor))
      throw new ApiError('invalid', 'cursor must be a nextCursor from a previous page');
    return deps.checkins.list(user, request.params.id, {
      since: parseTime('since', request.query.since),
      cursor: cursor || undefined,
      limit: parseLimit(request.query.limit, 100, 1000),
    });
  });

  app.post<ById>('/api/posts/:id/alarm', async (request, reply) => {
    const user = requireUser(request);
    const key = headerKey(request.headers['idempotency-key']);
    const body = parseWith(PostAlarmInput, request.body ?? {});
    return reply.status(201).send(await deps.raiseAlarm(user, request.params.id, body, key));
  });
}
