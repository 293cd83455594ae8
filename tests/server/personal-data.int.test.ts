// Personal data in the layers: the command centre reads household heads and grid staff in full; a leader
// reads the heads of their own segment's posts and a staff member their own grid's roster, every other name
// masked; the ETag differs by view, so a cached full view is never handed to a masked reader.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../server/domain/personal-data';
import { ROOT, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
const token: Record<string, string> = {};
const users: Record<string, { segmentIds: string[]; areaId: string | null }> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['operator', 'leader', 'staff']) {
    const session = await server.login(name);
    token[name] = session.token;
    users[name] = session.user;
  }
  // The fixture scenario has no posts: import six of the shipped ones, three on the leader's segment.
  const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'posts.geojson'), 'utf8'));
  const features = shipped.features
    .filter((f: { properties: Props }) => f.properties.type === 'household')
    .slice(0, 6)
    .map((f: { properties: Props }, i: number) => ({
      ...f,
      properties: { ...f.properties, segmentId: i < 3 ? users.leader?.segmentIds[0] : 'elsewhere' },
    }));
  const admin = (await server.login('admin')).token;
  const imported = await server.request('PUT', '/api/layers/posts', {
    token: admin,
    body: { type: 'FeatureCollection', features },
  });
  expect(imported.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

type Props = Record<string, any>;
const layer = async (kind: string, who: string): Promise<{ props: Props[]; etag: string }> => {
  const answer = await server.request('GET', `/api/layers/${kind}`, { token: token[who] });
  expect(answer.status).toBe(200);
  return {
    props: answer.body.features.map((f: { id?: string; properties: Props }) => ({
      id: f.id,
      ...f.properties,
    })),
    etag: answer.headers.etag as string,
  };
};

describe('personal data', () => {
  it('masks names the way they are written on forms', () => {
    expect(maskName('李兰洋')).toBe('李*洋');
    expect(maskName('欧阳建国')).toBe('欧**国');
    expect(maskName('李兰')).toBe('李*');
    expect(maskName('Li Lanyang')).toBe('Li L.');
    expect(maskName('Ouyang Jian Guo')).toBe('Ouyang J. G.');
  });

  it('shows household heads in full to the command centre, and to a leader only on their segments', async () => {
    const full = await layer('posts', 'operator');
    const leader = await layer('posts', 'leader');
    const mine = new Set(users.leader?.segmentIds);
    const households = full.props.filter((p) => typeof p.householdHead === 'string');
    expect(households.length).toBeGreaterThan(3);
    let own = 0;
    let masked = 0;
    for (const post of households) {
      const seen = leader.props.find((p) => p.id === post.id) as Props;
      if (mine.has(post.segmentId)) {
        own++;
        expect(seen.householdHead).toBe(post.householdHead);
      } else {
        masked++;
        expect(seen.householdHead).toBe(maskName(post.householdHead));
        expect(seen.householdHead).not.toBe(post.householdHead);
      }
    }
    expect(own).toBeGreaterThan(0);
    expect(masked).toBeGreaterThan(0);
    expect(leader.etag).not.toBe(full.etag);
    // A conditional request with the full view's tag does not get a 304 for the masked view.
    const conditional = await server.request('GET', '/api/layers/posts', {
      token: token.leader,
      headers: { 'if-none-match': full.etag },
    });
    expect(conditional.status).toBe(200);
  });

  it("shows a staff member their own grid's roster and masks the others", async () => {
    const full = await layer('grids', 'operator');
    const staff = await layer('grids', 'staff');
    const own = users.staff?.areaId;
    for (const grid of full.props.filter((g) => Array.isArray(g.staff) && g.staff.length > 0)) {
      const seen = staff.props.find((g) => g.id === grid.id) as Props;
      const names = (g: Props): string[] => (g.staff as { name: string }[]).map((m) => m.name);
      if (grid.id === own) expect(names(seen)).toEqual(names(grid));
      else expect(names(seen)).toEqual(names(grid).map(maskName));
    }
    expect(full.props.some((g) => g.id === own)).toBe(true);
  });
});
