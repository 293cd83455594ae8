// Build of the Svelte client (client/ → dist/client) and the three Vitest tiers: unit, integration, e2e.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: `${root}client`,
  base: '/',
  plugins: [svelte({ configFile: `${root}svelte.config.js` })],
  build: {
    outDir: `${root}dist/client`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
  test: {
    root,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root,
          // Vitest's default is one worker per core less one: on our 2-core CI that is one file at a time.
          // Unit and integration files share one group of two workers (12 minutes serial, about 8 in two).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          include: [
            'tests/geo/**/*.test.ts',
            'tests/data/**/*.test.ts',
            'tests/client/**/*.test.ts',
            'tests/server/**/*.unit.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          root,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          include: ['tests/server/**/*.int.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root,
          // One browser at a time, after the other tiers: two software-rendered maps on two cores slow each
          // other's timers.
          sequence: { groupOrder: 1 },
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
