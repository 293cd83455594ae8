// The bare relay the load benchmark measures us against: OsmAnd-style HTTP GET in, coalesced by id, one
// Socket.io `delta` per FLUSH_MS to a room. No engine, no store, no auth. Prints {"url"} once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const FLUSH_MS = Number(process.env.FLUSH_MS ?? 100);
const pending = new Map<string, Record<string, number | string | null>>();
const num = (value: string | null): number | null => (value === null ? null : Number(value));

const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  const query = new URL(req.url ?? '/', 'http://relay').searchParams;
  const id = query.get('id');
  if (id === null) return void res.writeHead(400, { 'content-length': 0 }).end();
  const fix = { lon: num(query.get('lon')), lat: num(query.get('lat')), t: num(query.get('timestamp')) };
  pending.set(id, { id, ...fix, speed: num(query.get('speed')), rx: Date.now() });
  res.writeHead(200, { 'content-length': 0 }).end();
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => void socket.join('all'));

let seq = 0;
setInterval(() => {
  if (pending.size === 0) return;
  const upsert = [...pending.values()];
  pending.clear();
  const delta = { epoch: 'relay', seq: ++seq, units: { upsert, remove: [] }, events: [] };
  io.to('all').emit('delta', delta);
}, FLUSH_MS);

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'relay listening' }));
});
