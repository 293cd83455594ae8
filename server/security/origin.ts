// Who may open the live link from a browser. Socket.io's `cors` option does not stop a cross-origin WebSocket
// (browsers send no preflight for it), so the handshake's Origin is checked here, in `allowRequest`: the page's
// own origin (Origin's host equals the Host the browser connected to) and those in ALLOWED_ORIGINS pass.
// Devices and scripts send no Origin and pass on their token alone.
import type { IncomingMessage } from 'node:http';

/** `https://wall.example.cn,http://10.0.0.5:8080` → normalised origins; throws on one that is not an origin. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const url = new URL(item);
      if (url.origin === 'null' || url.pathname !== '/' || url.search || url.hash)
        throw new Error(`not an origin (scheme://host[:port]): ${item}`);
      return url.origin;
    });
}

export function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.host === request.headers.host) return true;
  return allowed.includes(url.origin);
}
