// Debian Chromium through playwright-core (never a downloaded browser), with software WebGL for MapLibre.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'artifacts', 'e2e');

export function chromiumMissingMessage(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  return `Chromium not found at ${CHROMIUM}: install it with \`apt-get install chromium fonts-wqy-microhei\` (or set E2E=skip to skip the browser tier explicitly)`;
}

export async function launchBrowser(): Promise<Browser> {
  const missing = chromiumMissingMessage();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
