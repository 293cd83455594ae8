// The "7+X" grid staff roster (七种力量 + X): seven fixed roles and one to three extra ones per grid.
import { personName, type NameRegion } from './names';
import type { Rng } from './prng';

export const CORE_ROLES = [
  'party_secretary', // 党支部书记
  'grid_manager', // 管理员
  'assistant', // 助理员
  'supervisor', // 督导员
  'police_officer', // 民警
  'judicial_officer', // 司法力量
  'firefighter', // 消防员
] as const;

export const EXTRA_ROLES = [
  'social_security', // 社保
  'union', // 工会
  'youth_league', // 共青团
  'womens_federation', // 妇联
  'social_organization', // 社会组织
] as const;

export type StaffRole = (typeof CORE_ROLES)[number] | (typeof EXTRA_ROLES)[number];

export interface StaffMember {
  id: string;
  name: string;
  nameEn: string;
  role: StaffRole;
}

export function staffRoster(gridId: string, rng: Rng, region: NameRegion): StaffMember[] {
  const extras = rng.sample(EXTRA_ROLES, rng.int(1, 3));
  const roles: StaffRole[] = [...CORE_ROLES, ...EXTRA_ROLES.filter((r) => extras.includes(r))];
  return roles.map((role, i) => {
    const n = personName(rng, region);
    return { id: `${gridId}-staff-${String(i + 1).padStart(2, '0')}`, name: n.zh, nameEn: n.en, role };
  });
}
