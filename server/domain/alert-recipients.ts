// Per-recipient acknowledgement of an alert that fans out (a post's alarm): each recipient acknowledges once,
// by itself (a leader for their unit, staff for themselves) or through an operator after a phone call.
import type { AlertRecipient, AlertRecord, User } from '../contract';
import { ApiError } from '../http/errors';
import { visibleAlert, type AlertDeps } from './alerts';
import { isCommand } from './incident-access';

/** Whether the user is this recipient: the leader of the unit, the staff member. Posts have no login. */
function isRecipient(user: User, recipient: { type: AlertRecipient['type']; id: string }): boolean {
  if (recipient.type === 'unit') return user.role === 'leader' && user.unitId === recipient.id;
  if (recipient.type === 'staff') return user.role === 'staff' && user.staffId === recipient.id;
  return false;
}

export async function ackRecipient(
  deps: AlertDeps,
  user: User,
  id: string,
  who: { type: AlertRecipient['type']; id: string },
  note: string | null,
): Promise<AlertRecord> {
  const self = isRecipient(user, who);
  if (!self && !isCommand(user)) {
    // Say nothing of the alert to someone it is not addressed to, beyond that it is not theirs.
    throw new ApiError('forbidden', `only ${who.type} ${who.id} or the command center may acknowledge this`);
  }
  const alert = await (self ? deps.store.alerts.byId(id) : visibleAlert(deps, user, id));
  if (!alert) throw new ApiError('not_found', `no alert ${id}`);
  const recipient = alert.recipients.find((r) => r.type === who.type && r.id === who.id);
  if (!recipient) throw new ApiError('not_found', `alert ${id} has no recipient ${who.type} ${who.id}`);
  const by = { id: user.id, name: user.username, onBehalf: !self };
  if (!(await deps.store.alerts.ackRecipient(id, who, by, deps.now(), note))) {
    const now = (await deps.store.alerts.byId(id))?.recipients.find(
      (r) => r.type === who.type && r.id === who.id,
    );
    const when = now?.acknowledgedAt ? ` at ${new Date(now.acknowledgedAt).toISOString()}` : '';
    throw new ApiError(
      'conflict',
      `${who.type} ${who.id} already acknowledged alert ${id} (by ${now?.acknowledgedByName ?? '?'}${when})`,
    );
  }
  const next = (await deps.store.alerts.byId(id)) ?? alert;
  deps.alerted(next);
  return next;
}
