// ESLint: typescript-eslint (type-aware) + eslint-plugin-svelte, and the import boundaries of STYLE.md.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const boundary = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'var/', 'artifacts/', 'data/', 'tests/fixtures/'] },
  js.configs.recommended,
  ...ts.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Async interfaces wrap synchronous engines (better-sqlite3) on purpose.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteFeatures: { experimentalGenerics: true } } },
  },
  {
    files: ['geo/**'],
    rules: boundary([
      { group: ['**/server/**', '**/client/**', '**/tests/**'], message: 'geo/ imports nothing of ours' },
      { group: ['node:*', 'fs', 'path', 'http', 'net'], message: 'geo/ is pure: no I/O' },
    ]),
  },
  {
    files: ['server/**'],
    rules: boundary([{ group: ['**/client/**'], message: 'server/ never imports client/' }]),
  },
  {
    files: ['server/contract.ts'],
    rules: boundary([{ group: ['./*', '../*', 'node:*'], message: 'contract.ts imports nothing but zod' }]),
  },
  {
    files: ['server/packed-codec.ts'],
    rules: boundary([
      {
        group: ['./*', '!./contract', '../*', 'node:*'],
        message: 'packed-codec.ts imports only contract.ts',
      },
    ]),
  },
  {
    files: ['client/**'],
    rules: boundary([
      {
        group: ['**/server/**', '!**/server/contract', '!**/server/packed-codec'],
        message: 'client/ imports only the wire contract: server/contract.ts and server/packed-codec.ts',
      },
    ]),
  },
  {
    files: ['client/lib/ui/**'],
    rules: boundary([
      { group: ['maplibre-gl', 'maplibre-gl/*'], message: 'UI panels never touch the map' },
      {
        group: ['**/server/**', '!**/server/contract', '!**/server/packed-codec'],
        message: 'client/ imports only the wire contract: server/contract.ts and server/packed-codec.ts',
      },
    ]),
  },
  { files: ['**/*.js'], ...ts.configs.disableTypeChecked },
  {
    files: ['**/*.js', 'scripts/**', 'tests/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
