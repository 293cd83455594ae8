// The word lists: no key defined by two modules (a later spread would silently win), every word present in
// both languages, and the same {placeholders} on both sides.
import { describe, expect, it } from 'vitest';
import { MODULES, en, zhCN } from '../../client/lib/i18n/messages';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('i18n messages', () => {
  it('defines every key in exactly one module', () => {
    const owner = new Map<string, string>();
    for (const [name, module] of Object.entries(MODULES)) {
      for (const key of Object.keys(module.zhCN)) {
        expect(owner.get(key), `${key} in ${name} and ${owner.get(key)}`).toBeUndefined();
        owner.set(key, name);
      }
    }
    expect(owner.size).toBe(Object.keys(zhCN).length);
    expect(owner.size).toBeGreaterThan(20);
  });

  it('has both languages for every key, with the same placeholders', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(en[key], key).toBeTruthy();
      expect(zhCN[key], key).toBeTruthy();
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });
});

describe('domain words', () => {
  it('names every incident category, status, level, source, severity and anomaly type', async () => {
    const contract = await import('../../server/contract');
    const groups: [string, readonly string[]][] = [
      ['category', contract.INCIDENT_CATEGORIES],
      ['status', contract.INCIDENT_STATUSES],
      ['level', contract.INCIDENT_LEVELS],
      ['source', contract.INCIDENT_SOURCES],
      ['severity', contract.ALERT_SEVERITIES],
      ['anomaly', contract.ANOMALY_TYPES],
      ['mediation', contract.MEDIATION_KINDS],
    ];
    for (const [group, values] of groups)
      for (const value of values)
        expect(Object.keys(zhCN), `${group}.${value}`).toContain(`${group}.${value}`);
  });
});
