// Device ingest on a cluster node: the leader applies a fix as one node does; a follower checks it, writes
// it to the shared store's history (durable), hands it to the leader through Redis, and only then
// acknowledges, so that an acknowledged fix survives the loss of either node.
import { PositionReport, describeIssue } from '../contract';
import type { Registry } from '../engine/registry';
import type { Ingest, SubmitResult } from '../ingest/pipeline';
import type { HistoryWriter } from '../store/history-writer';
import type { RelaySender } from './relay';

export interface ClusterIngestDeps {
  leading(): boolean;
  local: Ingest;
  history: HistoryWriter;
  registry: Registry;
  relay: RelaySender;
  now(): number;
}

export function createClusterIngest(deps: ClusterIngestDeps): Ingest {
  let accepted = 0;
  let rejected = 0;
  const forward = async (input: PositionReport): Promise<SubmitResult> => {
    const parsed = PositionReport.safeParse(input);
    if (!parsed.success) {
      rejected++;
      return { ok: false, error: { code: 'invalid', message: describeIssue(parsed.error) } };
    }
    const report = parsed.data;
    if (!deps.registry.byId(report.unitId)) {
      rejected++;
      return { ok: false, error: { code: 'not_found', message: `unknown unit ${report.unitId}` } };
    }
    accepted++;
    const fix = { ...report, rx: deps.now() };
    try {
      await deps.history.enqueue(fix);
      await deps.relay.send({ kind: 'fix', fix });
    } catch {
      return { ok: false, error: { code: 'internal', message: 'the fix could not be stored' } };
    }
    return { ok: true, applied: true };
  };
  return {
    submit: (input) => (deps.leading() ? deps.local.submit(input) : forward(input)),
    stats: () => {
      const local = deps.local.stats();
      return { accepted: local.accepted + accepted, rejected: local.rejected + rejected };
    },
  };
}
