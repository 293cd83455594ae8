// Personal data in the layers: household heads (posts) and grid staff names are shown in full only where the
// reader works — the whole picture (command centre), a leader's own segments, a staff member's own grid —
// and masked elsewhere (李*洋, Li L.). Road chiefs' names stay: they are posted publicly on every segment.
import type { Feature, FeatureCollection } from 'geojson';
import type { LayerKind } from '../contract';

/** Where the reader works: nothing is masked for the whole picture. */
export interface PersonalDataScope {
  whole: boolean;
  gridIds: ReadonlySet<string>;
  segmentIds: ReadonlySet<string>;
}

/** 李兰洋 → 李*洋, 李兰 → 李*, Li Lanyang → Li L. (a name's first part, then initials). */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (/^[\p{Script=Han}·]+$/u.test(trimmed)) {
    const chars = [...trimmed];
    if (chars.length <= 1) return '*';
    if (chars.length === 2) return `${chars[0]}*`;
    return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  const [first, ...rest] = trimmed.split(/\s+/);
  if (!first) return '*';
  if (rest.length === 0) return `${first.slice(0, 1)}.`;
  return [first, ...rest.map((part) => `${part.slice(0, 1)}.`)].join(' ');
}

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const maskIf = (value: unknown): unknown => (text(value) ? maskName(value) : value);

function maskPost(feature: Feature, scope: PersonalDataScope): Feature {
  const p = feature.properties ?? {};
  if (scope.segmentIds.has(String(p.segmentId)) || scope.gridIds.has(String(p.gridId))) return feature;
  if (!text(p.householdHead) && !text(p.householdHeadEn)) return feature;
  return {
    ...feature,
    properties: { ...p, householdHead: maskIf(p.householdHead), householdHeadEn: maskIf(p.householdHeadEn) },
  };
}

function maskGrid(feature: Feature, scope: PersonalDataScope): Feature {
  const p = feature.properties ?? {};
  if (scope.gridIds.has(String(feature.id ?? p.id)) || !Array.isArray(p.staff)) return feature;
  const staff = (p.staff as Record<string, unknown>[]).map((member) => ({
    ...member,
    name: maskIf(member.name),
    nameEn: maskIf(member.nameEn),
  }));
  return { ...feature, properties: { ...p, staff } };
}

/** The layer as this reader may see it (the same object when nothing needs masking). */
export function maskLayer(
  kind: LayerKind,
  collection: FeatureCollection,
  scope: PersonalDataScope,
): FeatureCollection {
  if (scope.whole || (kind !== 'posts' && kind !== 'grids')) return collection;
  const mask = kind === 'posts' ? maskPost : maskGrid;
  return { ...collection, features: collection.features.map((feature) => mask(feature, scope)) };
}
