// A joint patrol's symbol key: one canonical key per set of member kinds, and back.
import { describe, expect, it } from 'vitest';
import {
  JOINT_PATROL_SYMBOL_KEYS,
  jointPatrolSymbolKey,
  kindsOfSymbolKey,
} from '../../client/lib/map/joint-patrol-symbol';

describe('jointPatrolSymbolKey', () => {
  it('orders kinds 军, 警, 民 and lists each once, whatever order the patrol reports', () => {
    expect(jointPatrolSymbolKey(['police', 'military'])).toBe('joint-military-police');
    expect(jointPatrolSymbolKey(['civilian', 'police', 'civilian'])).toBe('joint-police-civilian');
    expect(jointPatrolSymbolKey(['civilian', 'military', 'police'])).toBe('joint-military-police-civilian');
  });

  it('has seven keys, one per non-empty set of kinds, each reversible', () => {
    expect(new Set(JOINT_PATROL_SYMBOL_KEYS).size).toBe(7);
    for (const key of JOINT_PATROL_SYMBOL_KEYS) expect(jointPatrolSymbolKey(kindsOfSymbolKey(key))).toBe(key);
    expect(JOINT_PATROL_SYMBOL_KEYS).toContain(jointPatrolSymbolKey(['military', 'civilian']));
  });

  it('reads no kinds from a key that is not a joint patrol key', () => {
    expect(kindsOfSymbolKey('unit-police')).toEqual([]);
  });
});
