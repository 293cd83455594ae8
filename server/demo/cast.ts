// The demo's actors as the services see them: a duty officer at the linkage center, the grid staff and road
// chiefs of the scenario. They are User values, not accounts (nobody can log in as them); their ids start
// with "demo:" so the audit log tells them from the people at the wall.
import type { Assignee, User } from '../contract';
import type { SegmentInfo } from '../domain/routing';

export const DEMO_ID_PREFIX = 'demo:';

/** The command center's duty officer (值班员): accepts, dispatches, verifies, closes, calls back, acks. */
export const DUTY_OFFICER: User = {
  id: `${DEMO_ID_PREFIX}duty-officer`,
  username: '联动中心值班员',
  role: 'operator',
  unitId: null,
  segmentIds: [],
  areaId: null,
  staffId: null,
};

/** A grid staff member of the 7+X roster, acting on what is assigned to them. */
export function staffMember(staff: { id: string; name: string }, gridId: string | null): User {
  return {
    id: `${DEMO_ID_PREFIX}staff:${staff.id}`,
    username: staff.name,
    role: 'staff',
    unitId: null,
    segmentIds: [],
    areaId: gridId,
    staffId: staff.id,
  };
}

/** A segment's road chief (路长), filing reports for that segment from their unit. */
export function roadChief(segment: SegmentInfo): User | null {
  if (!segment.roadChief) return null;
  return {
    id: `${DEMO_ID_PREFIX}road-chief:${segment.roadChief.id}`,
    username: segment.roadChief.name,
    role: 'leader',
    unitId: segment.roadChief.unitId,
    segmentIds: [segment.id],
    areaId: null,
    staffId: null,
  };
}

/** The leader of a unit an incident was dispatched to. */
export function unitLeader(unit: { id: string; name: string }): User {
  return {
    id: `${DEMO_ID_PREFIX}unit:${unit.id}`,
    username: unit.name,
    role: 'leader',
    unitId: unit.id,
    segmentIds: [],
    areaId: null,
    staffId: null,
  };
}

/** Whoever works an incident in the field: its assignee as a user, or the duty officer for a user assignee. */
export function fieldActor(assignee: Assignee, gridId: string | null): User {
  if (assignee.type === 'staff') return staffMember(assignee, gridId);
  if (assignee.type === 'unit') return unitLeader(assignee);
  return DUTY_OFFICER;
}
