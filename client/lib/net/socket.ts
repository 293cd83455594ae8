// The only io() call: routes snapshot → full reset and delta → stores; a gap in seq asks for a resync.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '../../../server/contract';
import { connection } from '../state/connection.svelte';
import { session } from '../state/session.svelte';
import { units } from '../state/units.svelte';
import { refreshSession } from './api';

type LianfangSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LianfangSocket | null = null;

function applySnapshot(snapshot: Snapshot): void {
  connection.epoch = snapshot.epoch;
  connection.seq = snapshot.seq;
  connection.lastMessageAt = Date.now();
  units.applySnapshot(snapshot);
}

function applyDelta(target: LianfangSocket, delta: Delta): void {
  connection.lastMessageAt = Date.now();
  if (delta.epoch !== connection.epoch || delta.seq !== connection.seq + 1) {
    if (delta.epoch === connection.epoch && delta.seq <= connection.seq) return; // already applied
    resync(target);
    return;
  }
  connection.seq = delta.seq;
  units.applyDelta(delta);
}

function resync(target: LianfangSocket): void {
  target.emit('resync', { epoch: connection.epoch ?? '', sinceSeq: connection.seq }, (result) => {
    if (!result.ok) return;
    if ('snapshot' in result) applySnapshot(result.snapshot);
    else for (const delta of result.deltas) applyDelta(target, delta);
  });
}

export function connect(): LianfangSocket {
  if (socket) return socket;
  const created: LianfangSocket = io({
    auth: (callback) => callback({ token: session.current?.token ?? '' }),
    transports: ['websocket', 'polling'],
  });
  socket = created;
  connection.status = 'connecting';
  created.on('connect', () => (connection.status = 'live'));
  created.on('disconnect', () => (connection.status = 'offline'));
  created.on('connect_error', (error) => {
    connection.status = 'offline';
    if (error.message !== 'unauthenticated') return;
    void refreshSession().then((ok) => {
      if (ok) created.connect();
    });
  });
  created.on('snapshot', applySnapshot);
  created.on('delta', (delta) => applyDelta(created, delta));
  return created;
}

export function disconnect(): void {
  socket?.disconnect();
  socket = null;
}
