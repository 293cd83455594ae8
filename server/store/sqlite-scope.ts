// Role scopes as SQL: which incidents and alerts a list shows a user (the rules live in incident-access.ts).
import type { AlertScope, IncidentScope } from './store';

/**
 * The condition "the incident (table alias `i`) is in scope", over named parameters that start with `p`
 * (e.g. @pGridIds). A null scope is every incident.
 */
export function incidentScopeSql(i: string, p: string): string {
  return `(@${p}Scoped = 0
    OR ${i}.grid_id IN (SELECT value FROM json_each(@${p}GridIds))
    OR ${i}.segment_id IN (SELECT value FROM json_each(@${p}SegmentIds))
    OR ${i}.created_by = @${p}CreatedBy
    OR EXISTS (SELECT 1 FROM json_each(@${p}Assignees) AS a
               WHERE json_extract(a.value, '$.type') = ${i}.assignee_type
                 AND json_extract(a.value, '$.id') = ${i}.assignee_id))`;
}

export function incidentScopeParams(scope: IncidentScope | null, p: string): Record<string, unknown> {
  return {
    [`${p}Scoped`]: scope ? 1 : 0,
    [`${p}GridIds`]: JSON.stringify(scope?.gridIds ?? []),
    [`${p}SegmentIds`]: JSON.stringify(scope?.segmentIds ?? []),
    [`${p}CreatedBy`]: scope?.createdBy ?? null,
    [`${p}Assignees`]: JSON.stringify(scope?.assignees ?? []),
  };
}

/** The condition "the alert (table alias `a`) is in scope", over @s… parameters (alertScopeParams). */
export function alertScopeSql(a: string): string {
  return `(@sScoped = 0
    OR ${a}.grid_id IN (SELECT value FROM json_each(@sGridIds))
    OR ${a}.segment_id IN (SELECT value FROM json_each(@sSegmentIds))
    OR ${a}.unit_id IN (SELECT value FROM json_each(@sUnitIds))
    OR EXISTS (SELECT 1 FROM alert_recipients r, json_each(@sRecipients) AS w
               WHERE r.alert_id = ${a}.id AND r.type = json_extract(w.value, '$.type')
                 AND r.recipient_id = json_extract(w.value, '$.id'))
    OR ${a}.incident_id IN (SELECT i.id FROM incidents i WHERE @sScoped = 1 AND ${incidentScopeSql('i', 'si')}))`;
}

export function alertScopeParams(scope: AlertScope | null | undefined): Record<string, unknown> {
  return {
    sScoped: scope ? 1 : 0,
    sGridIds: JSON.stringify(scope?.gridIds ?? []),
    sSegmentIds: JSON.stringify(scope?.segmentIds ?? []),
    sUnitIds: JSON.stringify(scope?.unitIds ?? []),
    sRecipients: JSON.stringify(scope?.recipients ?? []),
    ...incidentScopeParams(scope?.incidents ?? null, 'si'),
  };
}
