// Alerts over REST: the queue (critical first, then newest, scoped by role), one alert with its log,
// acknowledging it (once), escalating it, and its recipients acknowledging one by one.
import type { FastifyInstance } from 'fastify';
import {
  AlertAckInput,
  AlertEscalateInput,
  AlertRecipientType,
  AlertSeverity,
  RecipientAckInput,
} from '../contract';
import type { AlertService } from '../domain/alerts';
import { requireUser } from './auth-routes';
import { ApiError, parseWith } from './errors';
import { parseLimit } from './query-params';

type ListQuery = Partial<Record<'acknowledged' | 'severity' | 'limit' | 'cursor', string>>;

function parseAcknowledged(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ApiError('invalid', 'acknowledged must be 0 or 1');
}

function parseSeverities(raw: string | undefined): AlertSeverity[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  return raw.split(',').map((value) => {
    const parsed = AlertSeverity.safeParse(value.trim());
    if (!parsed.success) throw new ApiError('invalid', `severity: unknown value ${value}`);
    return parsed.data;
  });
}

export function registerAlertRoutes(app: FastifyInstance, alerts: AlertService): void {
  app.get<{ Querystring: ListQuery }>('/api/alerts', async (request) => {
    const user = requireUser(request);
    const { cursor } = request.query;
    if (cursor !== undefined && cursor !== '' && !/^[0-2]\.[0-9A-Z]{26}$/.test(cursor))
      throw new ApiError('invalid', 'cursor must be a nextCursor from a previous page');
    return alerts.list(user, {
      acknowledged: parseAcknowledged(request.query.acknowledged),
      severities: parseSeverities(request.query.severity),
      cursor: cursor || undefined,
      limit: parseLimit(request.query.limit, 100, 1000),
    });
  });

  app.post<{ Params: { id: string } }>('/api/alerts/:id/ack', async (request) => {
    const user = requireUser(request);
    const body = parseWith(AlertAckInput, request.body ?? {});
    return alerts.ack(user, request.params.id, body.note ?? null);
  });

  app.get<{ Params: { id: string } }>('/api/alerts/:id', async (request) =>
    alerts.get(requireUser(request), request.params.id),
  );

  app.post<{ Params: { id: string } }>('/api/alerts/:id/escalate', async (request) => {
    const user = requireUser(request);
    const body = parseWith(AlertEscalateInput, request.body ?? {});
    return alerts.escalate(user, request.params.id, body.note ?? null);
  });

  app.post<{ Params: { id: string; type: string; recipientId: string } }>(
    '/api/alerts/:id/recipients/:type/:recipientId/ack',
    async (request) => {
      const user = requireUser(request);
      const type = AlertRecipientType.safeParse(request.params.type);
      if (!type.success)
        throw new ApiError('invalid', `type: one of ${AlertRecipientType.options.join(', ')}`);
      const body = parseWith(RecipientAckInput, request.body ?? {});
      const recipient = { type: type.data, id: request.params.recipientId };
      return alerts.ackRecipient(user, request.params.id, recipient, body.note ?? null);
    },
  );
}
