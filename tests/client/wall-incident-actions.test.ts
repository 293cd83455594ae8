// The incident detail's buttons against the server's own rules: for every status, role and assignment the
// moves offered are exactly those the server's state machine and access rules would accept.
import { describe, expect, it } from 'vitest';
import {
  INCIDENT_LEVELS,
  INCIDENT_STATUSES,
  ROLES,
  type Incident,
  type IncidentStatus,
  type User,
} from '../../server/contract';
import { refuseMove } from '../../server/domain/incident-access';
import { TRANSITIONS, isAllowedMove } from '../../server/domain/incident-machine';
import { MOVES, allowedActions, moveName } from '../../client/lib/state/incident-actions';

function user(role: User['role']): User {
  return {
    id: `u-${role}`,
    username: role,
    role,
    unitId: 'unit-7',
    segmentIds: [],
    areaId: null,
    staffId: 'staff-7',
  };
}

function incident(
  status: IncidentStatus,
  assignee: Incident['assignee'],
  extra: Partial<Incident> = {},
): Incident {
  return {
    id: '01JTESTINCIDENT000000000000',
    category: 'other',
    summary: 's',
    description: '',
    source: 'hotline',
    reporter: null,
    lon: 106.7,
    lat: 22.1,
    gridId: 'g',
    sectorId: null,
    postId: null,
    segmentId: null,
    level: 'grid',
    status,
    assignee,
    deadlineAt: null,
    createdAt: 0,
    updatedAt: 0,
    createdBy: 'u',
    mediation: null,
    feedback: null,
    reportId: null,
    ...extra,
  };
}

const ASSIGNEES: Incident['assignee'][] = [
  null,
  { type: 'staff', id: 'staff-7', name: 'a' },
  { type: 'unit', id: 'unit-7', name: 'b' },
  { type: 'staff', id: 'someone-else', name: 'c' },
];

describe('incident actions', () => {
  it('copies the server state machine exactly', () => {
    expect(MOVES).toEqual(TRANSITIONS);
  });

  it('offers exactly the moves the server accepts, for every status, role and assignee', () => {
    let checked = 0;
    for (const status of INCIDENT_STATUSES)
      for (const role of ROLES)
        for (const assignee of ASSIGNEES) {
          const who = user(role);
          const subject = incident(status, assignee);
          const offered = allowedActions(subject, who)
            .flatMap((a) => (a.kind === 'move' ? [a.to] : []))
            .sort();
          const accepted = INCIDENT_STATUSES.filter(
            (to) => isAllowedMove(status, to) && refuseMove(who, subject, to) === null,
          ).sort();
          expect(offered, `${status} ${role} ${JSON.stringify(assignee)}`).toEqual(accepted);
          checked++;
        }
    expect(checked).toBe(INCIDENT_STATUSES.length * ROLES.length * ASSIGNEES.length);
  });

  it('names each move for what the operator does', () => {
    expect(moveName('reported', 'accepted')).toBe('accept');
    expect(moveName('dispatched', 'accepted')).toBe('handBack');
    expect(moveName('dispatched', 'in_progress')).toBe('start');
    expect(moveName('resolved', 'in_progress')).toBe('failVerification');
    expect(moveName('resolved', 'verified')).toBe('verify');
    expect(moveName('verified', 'closed')).toBe('close');
    expect(moveName('reported', 'rejected')).toBe('reject');
    expect(moveName('accepted', 'dispatched')).toBe('dispatch');
    expect(moveName('in_progress', 'resolved')).toBe('resolve');
  });

  it('an operator on a new incident: accept, reject, escalate — and mediation for a dispute', () => {
    const names = (i: Incident): string[] =>
      allowedActions(i, user('operator')).map((a) => (a.kind === 'move' ? a.name : a.kind));
    expect(names(incident('reported', null))).toEqual(['accept', 'reject', 'escalate']);
    expect(names(incident('reported', null, { category: 'dispute' }))).toEqual([
      'accept',
      'reject',
      'escalate',
      'mediation',
    ]);
  });

  it('escalation stops at the city level and at final statuses', () => {
    const kinds = (i: Incident): string[] => allowedActions(i, user('operator')).map((a) => a.kind);
    for (const level of INCIDENT_LEVELS) {
      expect(kinds(incident('accepted', null, { level })).includes('escalate')).toBe(level !== 'city');
    }
    expect(kinds(incident('closed', null))).not.toContain('escalate');
    expect(kinds(incident('rejected', null))).not.toContain('escalate');
  });

  it('feedback is the command center’s, once verified or closed, and only once', () => {
    const has = (i: Incident, role: User['role']): boolean =>
      allowedActions(i, user(role)).some((a) => a.kind === 'feedback');
    expect(has(incident('verified', null), 'operator')).toBe(true);
    expect(has(incident('closed', null), 'admin')).toBe(true);
    expect(has(incident('resolved', null), 'operator')).toBe(false);
    expect(has(incident('closed', { type: 'staff', id: 'staff-7', name: 'a' }), 'staff')).toBe(false);
    const answered = { satisfaction: 5, note: '', by: 'op', at: 1 };
    expect(has(incident('closed', null, { feedback: answered }), 'operator')).toBe(false);
  });

  it('staff who are not the assignee get nothing', () => {
    const other = incident('dispatched', { type: 'staff', id: 'someone-else', name: 'c' });
    expect(allowedActions(other, user('staff'))).toEqual([]);
  });
});
