// `npm run layers -- import <file.geojson> --layer grids` / `export --layer grids [--format csv] [--out f]`:
// goes through the running server's admin API, so the engine and every connected client see the change.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `usage:
  npm run layers -- import <file.geojson> --layer <grids|areas|sectors|segments|posts|border>
  npm run layers -- export --layer <kind> [--format geojson|csv] [--out <file>]
environment: LIANFANG_URL (default http://127.0.0.1:8080), LIANFANG_USER (default admin),
             LIANFANG_PASSWORD (default $DEMO_PASSWORD or lianfang-demo)`;

function fail(message: string): never {
  process.stderr.write(`layers: ${message}\n`);
  process.exit(1);
}

async function login(base: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: process.env.LIANFANG_USER ?? 'admin',
      password: process.env.LIANFANG_PASSWORD ?? process.env.DEMO_PASSWORD ?? 'lianfang-demo',
    }),
  }).catch((error: unknown) => fail(`cannot reach ${base}: ${String(error)}`));
  const body = (await response.json()) as { token?: string; error?: { message: string } };
  if (!response.ok || !body.token) fail(`login failed: ${body.error?.message ?? response.status}`);
  return body.token;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { layer: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  });
  const [command, file] = positionals;
  if (!values.layer || (command !== 'import' && command !== 'export')) fail(USAGE);
  const base = (process.env.LIANFANG_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const token = await login(base);
  const url = `${base}/api/layers/${encodeURIComponent(values.layer)}`;
  if (command === 'import') {
    if (!file) fail(USAGE);
    const text = fs.readFileSync(file, 'utf8');
    const response = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: text,
    });
    const body = (await response.json()) as {
      version?: number;
      features?: number;
      error?: { message: string };
    };
    if (!response.ok) fail(`import refused (${response.status}): ${body.error?.message ?? ''}`);
    process.stdout.write(
      `imported ${body.features} features into ${values.layer}, version ${body.version}\n`,
    );
    return;
  }
  const response = await fetch(`${url}?format=${values.format ?? 'geojson'}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) fail(`export failed (${response.status}): ${await response.text()}`);
  const text = await response.text();
  if (values.out) fs.writeFileSync(values.out, text);
  else process.stdout.write(text);
}

void main();
