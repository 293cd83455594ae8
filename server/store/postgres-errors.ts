// PostgreSQL refuses text SQLite takes: U+0000 in a TEXT value. Such a write is bad input, not a server fault:
// it surfaces as an error with statusCode 400, which the HTTP error handler answers as `invalid`.
import type { Store } from './store';

/** SQLSTATE 22021 (character_not_in_repertoire): what PostgreSQL says to a NUL byte in UTF-8 text. */
const NUL_IN_TEXT = '22021';

export class InvalidTextError extends Error {
  readonly statusCode = 400;
}

function translate(error: unknown): unknown {
  if (error instanceof Error && 'code' in error && error.code === NUL_IN_TEXT)
    return new InvalidTextError('text may not contain the NUL character (U+0000)');
  return error;
}

/** Wraps every method of every group of the store so that NUL-in-text failures become InvalidTextError. */
export function withTextErrors(store: Store): Store {
  const wrapped: Record<string, unknown> = {};
  for (const [name, group] of Object.entries(store)) {
    if (typeof group !== 'object' || group === null) {
      wrapped[name] = group;
      continue;
    }
    wrapped[name] = Object.fromEntries(
      Object.entries(group as Record<string, unknown>).map(([method, fn]) => [
        method,
        typeof fn === 'function'
          ? async (...args: unknown[]) => {
              try {
                return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
              } catch (error) {
                throw translate(error);
              }
            }
          : fn,
      ]),
    );
  }
  return wrapped as unknown as Store;
}
