// How each kind of outbox item is delivered: photo first (its id is saved, so a retry skips it), then the
// JSON request with the item's idempotency key; a task move that already happened counts as delivered.
import type { Incident } from '../../../server/contract';
import type { Deliver, DeliveryOutcome } from './outbox';
import type { OutboxItem, OutboxProblem } from './outbox-item';
import { DeliveryError, isTransient, type Transport } from './transport';

function outcomeOf(problem: OutboxProblem): DeliveryOutcome {
  return isTransient(problem) ? { type: 'retry', problem } : { type: 'failed', problem };
}

/** The body with the uploaded photo's id where this kind takes it. */
export function bodyWithPhoto(item: OutboxItem, photoId: string | null): Record<string, unknown> {
  if (photoId === null) return item.body;
  if (item.photoInto === 'photoId') return { ...item.body, photoId };
  const note = typeof item.body.note === 'string' && item.body.note !== '' ? `${item.body.note}\n` : '';
  return { ...item.body, note: `${note}[photo:${photoId}]` };
}

/**
 * A task move has no idempotency key on the server: a resend after a lost answer gets 409 illegal_transition.
 * If the incident is already where the move was taking it, the move did arrive.
 */
async function alreadyMoved(transport: Transport, item: OutboxItem): Promise<Incident | null> {
  if (item.kind !== 'transition' || item.ref === null) return null;
  const incident = await transport.getJson<Incident>(`/api/incidents/${encodeURIComponent(item.ref)}`);
  return incident.status === item.body.to ? incident : null;
}

export function createDeliver(transport: Transport): Deliver {
  return async (item, save) => {
    try {
      let photoId = item.photoId;
      if (item.photo && photoId === null) {
        photoId = (await transport.postPhoto(item.photo.bytes, item.photo.contentType)).photoId;
        await save({ photoId });
      }
      const headers: Record<string, string> = item.idempotent
        ? { 'idempotency-key': item.idempotencyKey }
        : {};
      const result = await transport.postJson(item.path, bodyWithPhoto(item, photoId), headers);
      return { type: 'sent', result };
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      if (error.problem.code === 'illegal_transition') {
        const moved = await alreadyMoved(transport, item).catch(() => null);
        if (moved) return { type: 'sent', result: moved };
      }
      return outcomeOf(error.problem);
    }
  };
}
