// The only io() call: opts into packed deltas and hands the socket to the live stream (snapshot → full reset,
// deltas → stores, a gap → resync); a rejected token is refreshed before reconnecting.
import { io } from 'socket.io-client';
import { connection } from '../state/connection.svelte';
import { layerVersions } from '../state/layers.svelte';
import { live } from '../state/live.svelte';
import { session } from '../state/session.svelte';
import { units } from '../state/units.svelte';
import { refreshSession } from './api';
import { createLiveStream, type LiveSocket } from './packed-stream';

let socket: LiveSocket | null = null;
let detach: (() => void) | null = null;
// The stream feeds the unit store and, from the same snapshots and deltas, the live records and layer versions.
const stream = createLiveStream(
  {
    applySnapshot: (snapshot) => {
      units.applySnapshot(snapshot);
      live.applySnapshot(snapshot);
      layerVersions.onSnapshot(snapshot);
    },
    applyDelta: (delta) => {
      units.applyDelta(delta);
      live.applyDelta(delta);
      layerVersions.onEvents(delta.events);
    },
    get: (id) => units.get(id),
    // Packed records go straight into the unit columns; the rest of the delta as above.
    applyPacked: (packed, index) => {
      const complete = units.applyPacked(packed, index);
      if (complete) {
        live.applyDelta(packed);
        layerVersions.onEvents(packed.events);
      }
      return complete;
    },
  },
  connection,
);

export function connect(): LiveSocket {
  if (socket) return socket;
  const created: LiveSocket = io({
    // packed: positions arrive as 16-byte records (`delta:packed`) instead of JSON `delta`s.
    auth: (callback) => callback({ token: session.current?.token ?? '', packed: true }),
    transports: ['websocket', 'polling'],
    // Back within 2 s of the link returning (socket.io's default waits up to 5 s between tries); the default
    // jitter (±50 %) spreads a whole command centre's screens reconnecting after a server restart.
    reconnectionDelay: 500,
    reconnectionDelayMax: 1500,
  });
  socket = created;
  connection.status = 'connecting';
  created.on('connect', () => (connection.status = 'live'));
  created.on('disconnect', () => (connection.status = 'offline'));
  created.on('connect_error', (error) => {
    connection.status = 'offline';
    if (error.message !== 'unauthenticated') return;
    void refreshSession().then((ok) => {
      // Only the current socket: one replaced meanwhile (sign-out, a new sign-in) stays closed.
      if (ok && socket === created) created.connect();
    });
  });
  detach = stream.attach(created);
  return created;
}

/** The connected socket, for commands (position, report); null while signed out. */
export function currentSocket(): LiveSocket | null {
  return socket;
}

export function disconnect(): void {
  detach?.();
  socket?.disconnect();
  socket = null;
  detach = null;
}
