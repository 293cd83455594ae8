// The incident state machine of DOMAIN.md: the allowed status moves, open vs. final, and the level ladder.
import { INCIDENT_LEVELS, type IncidentCategory, type IncidentLevel, type IncidentStatus } from '../contract';

/** Every allowed move; anything else is 409 `illegal_transition`. */
export const TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  reported: ['accepted', 'rejected'],
  accepted: ['dispatched'],
  // handed back to the command center
  dispatched: ['in_progress', 'accepted'],
  in_progress: ['resolved'],
  // verification failed: reopened
  resolved: ['verified', 'in_progress'],
  verified: ['closed'],
  closed: [],
  rejected: [],
};

export const FINAL_STATUSES: readonly IncidentStatus[] = ['closed', 'rejected'];

export function isOpen(status: IncidentStatus): boolean {
  return !FINAL_STATUSES.includes(status);
}

export function allowedMoves(from: IncidentStatus): readonly IncidentStatus[] {
  return TRANSITIONS[from];
}

export function isAllowedMove(from: IncidentStatus, to: IncidentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** "allowed moves from reported: accepted, rejected" or "closed is final: no moves allowed". */
export function describeMoves(from: IncidentStatus): string {
  const moves = TRANSITIONS[from];
  return moves.length === 0
    ? `${from} is final: no moves allowed`
    : `allowed moves from ${from}: ${moves.join(', ')}`;
}

/** Level names as the four-level platform says them. */
export const LEVEL_NAMES: Readonly<Record<IncidentLevel, string>> = {
  grid: '网格',
  community: '社区/村',
  subdistrict: '街道/乡镇',
  district: '区/县',
  city: '市',
};

/** The next level up (grid → community → subdistrict → district → city), null at the top. */
export function nextLevel(level: IncidentLevel): IncidentLevel | null {
  return INCIDENT_LEVELS[INCIDENT_LEVELS.indexOf(level) + 1] ?? null;
}

/** Road-chief anomaly types → incident category (DOMAIN.md). */
export const ANOMALY_CATEGORY = {
  smuggling: 'smuggling',
  illegal_crossing: 'illegal_crossing',
  suspicious: 'public_order',
  damage: 'safety',
  other: 'other',
} as const satisfies Record<string, IncidentCategory>;
