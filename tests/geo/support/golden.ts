// Golden-file scenarios: tests/fixtures/geo/<function>/in/<scenario>.* → out/<scenario>.*.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/geo/', import.meta.url));

export interface Scenario<T> {
  name: string;
  input: T;
  /** Absolute path of the expected output, for `toMatchFileSnapshot`. */
  outPath: string;
}

/** Every input scenario of a function, sorted by name; the output keeps the input's extension. */
export function scenarios<T>(fn: string): Scenario<T>[] {
  const dir = `${FIXTURES}${fn}/in/`;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') || file.endsWith('.geojson'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.(geo)?json$/, ''),
      input: JSON.parse(readFileSync(dir + file, 'utf8')) as T,
      outPath: `${FIXTURES}${fn}/out/${file}`,
    }));
}

/** One scenario by name (throws when missing, so a renamed fixture fails loudly). */
export function scenario<T>(fn: string, name: string): Scenario<T> {
  const found = scenarios<T>(fn).find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${fn}/${name}`);
  return found;
}

/** Stable, reviewable JSON for golden outputs. */
export function toGolden(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
