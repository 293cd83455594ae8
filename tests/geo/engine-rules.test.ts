// The rules geo/ lives by (DESIGN.md, STYLE.md): loads under plain Node with tsx; pure; one export per file.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as geo from '../../geo';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GEO = `${ROOT}geo/`;
const files = readdirSync(GEO)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((name) => ({ name, text: readFileSync(GEO + name, 'utf8') }));

/** The code without comments (JSDoc examples may mention what the code must not do). */
const codeOf = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('geo/ rules', () => {
  it('geo/index.ts loads under plain Node with tsx (no Vite-only imports)', () => {
    const script = "import('./geo/index.ts').then((m) => console.log(Object.keys(m).sort().join(',')))";
    const output = execFileSync(`${ROOT}node_modules/.bin/tsx`, ['-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(output.trim().split(',')).toEqual(Object.keys(geo).sort());
    expect(output).toContain('createLocator');
  }, 30_000);

  it('files are kebab-case and start with a one-line comment saying what they own', () => {
    for (const { name, text } of files) {
      expect(name, name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.ts$/);
      expect(text.split('\n')[0], name).toMatch(/^\/\/ \S/);
    }
  });

  it('no clock, no randomness, no I/O, no environment, no Vite-only imports, no mutable module state', () => {
    const forbidden = [
      /Date\.now|new Date\(/,
      /Math\.random/,
      /import\.meta/,
      /\?url'/,
      /from 'node:/,
      /process\./,
      /console\./,
      /setTimeout|setInterval/,
    ];
    for (const { name, text } of files) {
      for (const pattern of forbidden) expect(codeOf(text), `${name}: ${pattern}`).not.toMatch(pattern);
      expect(codeOf(text), `${name}: top-level let/var`).not.toMatch(/^(export )?(let|var) /m);
    }
  });

  it('imports are extensionless and only of geo/ itself, Turf, flatbush, kdbush and geojson types', () => {
    for (const { name, text } of files) {
      for (const [, from] of codeOf(text).matchAll(/from '([^']+)'/g)) {
        expect(from, name).toMatch(/^(\.\/[a-z0-9-]+|@turf\/[a-z-]+|flatbush|kdbush|geojson)$/);
      }
    }
  });

  it('one exported function per file, each with JSDoc carrying an @example; index.ts only re-exports', () => {
    for (const { name, text } of files) {
      if (name === 'index.ts') {
        expect(
          text.split('\n').filter((l) => l && !l.startsWith('//') && !l.startsWith('export ')),
          name,
        ).toEqual([]);
        continue;
      }
      const exported = [...text.matchAll(/^export function (\w+)/gm)];
      expect(exported.length, name).toBeLessThanOrEqual(1);
      for (const match of exported) {
        const before = text.slice(0, match.index);
        const doc = before.slice(before.lastIndexOf('/**'));
        expect(doc, `${name}: ${match[1]}`).toMatch(/@example/);
        expect(doc.trimEnd().endsWith('*/'), `${name}: JSDoc right above ${match[1]}`).toBe(true);
      }
    }
  });

  it('modules stay under 300 lines', () => {
    for (const { name, text } of files)
      expect(text.trimEnd().split('\n').length, name).toBeLessThanOrEqual(300);
  });
});
