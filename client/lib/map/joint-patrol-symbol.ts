// A joint patrol's one map symbol: which member kinds it holds, in one canonical order (军, 警, 民).
import { UNIT_KINDS, type UnitKind } from '../../../server/contract';

const PREFIX = 'joint-';

/** The icon name for a set of member kinds: canonical order, each kind once, e.g. `joint-military-police`. */
export function jointPatrolSymbolKey(kinds: readonly UnitKind[]): string {
  return PREFIX + UNIT_KINDS.filter((kind) => kinds.includes(kind)).join('-');
}

/** The kinds a symbol key stands for, in canonical order. */
export function kindsOfSymbolKey(key: string): UnitKind[] {
  const names = key.startsWith(PREFIX) ? key.slice(PREFIX.length).split('-') : [];
  return UNIT_KINDS.filter((kind) => names.includes(kind));
}

/** Every key a patrol can have: the seven non-empty sets of kinds. */
export const JOINT_PATROL_SYMBOL_KEYS: readonly string[] = Array.from({ length: 7 }, (_, i) =>
  jointPatrolSymbolKey(UNIT_KINDS.filter((_, bit) => ((i + 1) >> bit) & 1)),
);
