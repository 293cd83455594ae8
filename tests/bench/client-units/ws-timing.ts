// Times every WebSocket message the page handles: socket.io-client's decoding (JSON.parse) and the event's
// handlers, i.e. the task a message costs the main thread. Imported first by page.ts: engine.io-client reads
// globalThis.WebSocket when its module is evaluated.
export interface MessageTiming {
  start: number;
  ms: number;
  bytes: number;
}

const messages: MessageTiming[] = [];
(window as unknown as { __wsMessages: MessageTiming[] }).__wsMessages = messages;

const Native = globalThis.WebSocket;
const onmessage = Object.getOwnPropertyDescriptor(Native.prototype, 'onmessage');

class TimedWebSocket extends Native {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    // The transport assigns onmessage once: wrap whatever it assigns.
    Object.defineProperty(this, 'onmessage', {
      configurable: true,
      get: () => onmessage?.get?.call(this) as unknown,
      set: (handler: ((event: MessageEvent) => void) | null) => {
        const timed =
          handler &&
          ((event: MessageEvent) => {
            const start = performance.now();
            handler.call(this, event);
            const data = event.data as string | ArrayBuffer | Blob;
            const bytes =
              typeof data === 'string' ? data.length : data instanceof Blob ? data.size : data.byteLength;
            messages.push({ start, ms: performance.now() - start, bytes });
          });
        onmessage?.set?.call(this, timed);
      },
    });
  }
}

globalThis.WebSocket = TimedWebSocket;
