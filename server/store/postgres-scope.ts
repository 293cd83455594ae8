// Role scopes as PostgreSQL conditions: which incidents and alerts a list shows (rules in incident-access.ts).
import type { Params } from './postgres-db';
import type { AlertScope, IncidentScope } from './store';

/** The condition "the incident (table alias `i`) is in scope"; a null scope is every incident. */
export function incidentScopeSql(i: string, scope: IncidentScope | null, p: Params): string {
  if (!scope) return 'TRUE';
  return `(${i}.grid_id = ANY(${p.add(scope.gridIds)}::text[])
    OR ${i}.segment_id = ANY(${p.add(scope.segmentIds)}::text[])
    OR ${i}.created_by = ${p.add(scope.createdBy)}
    OR EXISTS (SELECT 1 FROM jsonb_to_recordset(${p.add(JSON.stringify(scope.assignees))}::jsonb)
                 AS w(type text, id text)
               WHERE w.type = ${i}.assignee_type AND w.id = ${i}.assignee_id))`;
}

/** The condition "the alert (table alias `a`) is in scope"; absent or null is every alert. */
export function alertScopeSql(a: string, scope: AlertScope | null | undefined, p: Params): string {
  if (!scope) return 'TRUE';
  return `(${a}.grid_id = ANY(${p.add(scope.gridIds)}::text[])
    OR ${a}.segment_id = ANY(${p.add(scope.segmentIds)}::text[])
    OR ${a}.unit_id = ANY(${p.add(scope.unitIds)}::text[])
    OR EXISTS (SELECT 1 FROM alert_recipients r,
                 jsonb_to_recordset(${p.add(JSON.stringify(scope.recipients))}::jsonb) AS w(type text, id text)
               WHERE r.alert_id = ${a}.id AND r.type = w.type AND r.recipient_id = w.id)
    OR ${a}.incident_id IN (SELECT si.id FROM incidents si WHERE ${incidentScopeSql('si', scope.incidents, p)}))`;
}
