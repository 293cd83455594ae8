// Before the browser tier: fail loudly when Chromium is missing (unless E2E=skip), and build the client.
import { ensureClientBuild } from '../../scripts/ensure-client';
import { chromiumMissingMessage } from '../support/browser';

export default function setup(): void {
  if (process.env.E2E === 'skip') return;
  const missing = chromiumMissingMessage();
  if (missing) throw new Error(missing);
  ensureClientBuild();
}
