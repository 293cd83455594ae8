// Limits that fit real use: REST requests per account (a token bucket; one account's burst does not slow
// another's), and messages per socket (10 a second, 50 at once), answered `rate_limited`, never dropped
// silently, so a tablet keeps its fix and tries again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_EVENT_RATE } from '../../server/realtime/socket-server';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ REST_RATE_PER_S: '5', REST_BURST: '10' });
});
afterAll(async () => {
  await server?.close();
});

describe('rate limits', () => {
  it('answers an account past its burst 429 with Retry-After, leaves other accounts alone, and refills', async () => {
    const operator = (await server.login('operator')).token;
    const admin = (await server.login('admin')).token;
    // At most 10 at once, then 5 a second: sent back to back, a 429 comes within a few dozen (timing-proof).
    let accepted = 0;
    let refused: Awaited<ReturnType<TestServer['request']>> | null = null;
    for (let i = 0; i < 60 && !refused; i++) {
      const answer = await server.request('GET', '/api/me', { token: operator });
      if (answer.status === 200) accepted++;
      else refused = answer;
    }
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(refused?.status).toBe(429);
    expect(refused?.body.error.code).toBe('rate_limited');
    expect(refused?.headers['retry-after']).toBe('1');
    expect((await server.request('GET', '/api/me', { token: admin })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await server.request('GET', '/api/me', { token: operator })).status).toBe(200);
  });

  it('answers a socket that sends faster than its pace `rate_limited`, and lets it go on after a pause', async () => {
    const { token } = await server.login('leader');
    const { socket } = await server.socket(token);
    const resync = (): Promise<{ ok: boolean; error?: { code: string } }> =>
      socket.emitWithAck('resync', { epoch: 'none', sinceSeq: 0 });
    const answers = await Promise.all(Array.from({ length: SOCKET_EVENT_RATE.burst + 20 }, resync));
    const limited = answers.filter((answer) => answer.error?.code === 'rate_limited').length;
    // 70 at once against a burst of 50 refilling 10 a second: the burst passes, some of the rest do not.
    expect(answers.length - limited).toBeGreaterThanOrEqual(SOCKET_EVENT_RATE.burst);
    expect(limited).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await resync()).ok).toBe(true);
  });
});
