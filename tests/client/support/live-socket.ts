// Test doubles for the live stream: a socket the test drives as a server would, and the unit store's adapter.
import type { LiveSocket, StreamStore } from '../../../client/lib/net/packed-stream';
import type { UnitStream } from '../../../client/lib/state/unit-stream';
import type { ResyncResult } from '../../../server/contract';

/** A socket the stream listens on; the test emits what a server would and may answer its resyncs. */
export function fakeSocket() {
  const handlers = new Map<string, (payload: unknown) => void>();
  const resyncs: unknown[] = [];
  const answers: ((error: Error | null, result: ResyncResult) => void)[] = [];
  const socket = {
    on: (event: string, handler: (payload: unknown) => void) => handlers.set(event, handler),
    off: (event: string) => handlers.delete(event),
    timeout: () => ({
      emit: (_event: string, request: unknown, answer: (typeof answers)[number]) => {
        resyncs.push(request);
        answers.push(answer);
      },
    }),
  };
  return {
    socket: socket as unknown as LiveSocket,
    resyncs,
    answers,
    emit: (event: string, payload: unknown) => handlers.get(event)?.(payload),
  };
}

/** The web client's store behind the live stream. */
export function streamStore(stream: UnitStream): StreamStore {
  return {
    applySnapshot: (snapshot) => stream.applySnapshot(snapshot),
    applyDelta: (delta) => stream.applyDelta(delta),
    get: (id) => stream.get(id),
    applyPacked: (packed, index) => stream.applyPacked(packed, index),
  };
}
