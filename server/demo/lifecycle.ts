// Takes one incident through the closed loop the way a linkage center and its grid staff would: accept or
// reject, dispatch, work, mediate (disputes), escalate now and then, resolve, verify (sometimes reopen), call
// the reporter back, close. Each step is an agenda item done through the incident service; a step finds the
// incident as it left it or stops (a human took it over, or a move was refused).
import type { Incident, IncidentStatus, User } from '../contract';
import { stageDurationMs } from '../domain/deadlines';
import { ApiError } from '../http/errors';
import { DUTY_OFFICER, fieldActor } from './cast';
import {
  FEEDBACK_RATE,
  HUMAN_GRACE_MS,
  HUMAN_SHARE,
  LATE_PACE,
  LATE_RATE,
  MANUAL_ESCALATION_RATE,
  MEDIATION_KINDS,
  MEDIATION_SETTLED,
  REJECT_RATE,
  REOPEN_RATE,
  SATISFACTION,
  STAGE_PACE,
} from './mix';
import type { Random } from './prng';
import { count, type DemoWorld } from './world';

/** What this incident's story has done so far (each happens at most once). */
interface Story {
  random: Random;
  mediated: boolean;
  escalated: boolean;
  reopened: boolean;
  calledBack: boolean;
}

type Act = (world: DemoWorld, incident: Incident, story: Story) => Promise<Incident>;

/** How long the stage the incident is in takes this time: a fraction of its deadline, late now and then. */
function pace(world: DemoWorld, incident: Incident, story: Story, share = 1): number {
  const status = incident.status as keyof typeof STAGE_PACE;
  const deadline = stageDurationMs(world.deadlines, incident.category, status) ?? 3_600_000;
  const [low, high] = story.random.chance(LATE_RATE) ? LATE_PACE : STAGE_PACE[status];
  return Math.max(30_000, Math.round(deadline * story.random.between(low, high) * share));
}

const move =
  (to: IncidentStatus, note: string, by: 'command' | 'field' = 'command'): Act =>
  (world, incident) => {
    const actor: User =
      by === 'field' && incident.assignee ? fieldActor(incident.assignee, incident.gridId) : DUTY_OFFICER;
    return world.services.incidents.transition(actor, incident.id, { to, note });
  };

/** The routed assignee, or for a road-chief incident outside every grid the road chief's own unit. */
async function dispatch(world: DemoWorld, incident: Incident): Promise<Incident> {
  const chief = incident.segmentId ? world.router.segment(incident.segmentId)?.roadChief : null;
  const assignee = incident.assignee ?? (chief?.unitId ? { type: 'unit' as const, id: chief.unitId } : null);
  if (!assignee) throw new ApiError('invalid', 'nobody to dispatch to');
  const to = assignee.type === 'unit' ? '派巡逻分队现场处置' : '派网格员现场核实处置';
  return world.services.incidents.transition(DUTY_OFFICER, incident.id, {
    to: 'dispatched',
    note: to,
    ...(incident.assignee ? {} : { assignee: { type: assignee.type, id: assignee.id } }),
  });
}

const mediate: Act = (world, incident, story) => {
  const settled = story.random.chance(MEDIATION_SETTLED);
  const kind = story.random.weighted(MEDIATION_KINDS);
  const note = settled ? '双方达成调解协议' : '调解未成，引导当事人依法诉讼';
  const actor = incident.assignee ? fieldActor(incident.assignee, incident.gridId) : DUTY_OFFICER;
  return world.services.incidents.mediate(actor, incident.id, { kind, settled, note });
};

const escalate: Act = (world, incident) =>
  world.services.incidents.escalate(DUTY_OFFICER, incident.id, '涉及多个部门，提请上级平台协调');

const callBack: Act = (world, incident, story) => {
  const unsettled = incident.mediation?.settled === false;
  const satisfaction = unsettled ? story.random.int(2, 3) : Number(story.random.weighted(SATISFACTION));
  const note = satisfaction >= 4 ? '回访：群众表示满意' : '回访：群众认为处理偏慢';
  return world.services.incidents.feedback(DUTY_OFFICER, incident.id, { satisfaction, note });
};

const REJECT_NOTES = {
  hotline: '经核实为重复来电，不予受理',
  staff: '不属于受理范围，已告知相关部门',
  report: '经核实为误报',
} as const;

/** The next step for an incident in this state, with its delay; null when the story is over. */
function nextStep(
  world: DemoWorld,
  incident: Incident,
  story: Story,
): { delay: number; label: string; act: Act } | null {
  const r = story.random;
  switch (incident.status) {
    case 'reported': {
      const source =
        incident.source === 'hotline' || incident.source === 'staff' ? incident.source : 'report';
      if (r.chance(REJECT_RATE[source]))
        return {
          delay: pace(world, incident, story),
          label: 'reject',
          act: move('rejected', REJECT_NOTES[source]),
        };
      return { delay: pace(world, incident, story), label: 'accept', act: move('accepted', '已受理') };
    }
    case 'accepted':
      return { delay: pace(world, incident, story), label: 'dispatch', act: (w, i) => dispatch(w, i) };
    case 'dispatched':
      return {
        delay: pace(world, incident, story),
        label: 'start',
        act: move('in_progress', '已到达现场', 'field'),
      };
    case 'in_progress':
      if (incident.category === 'dispute' && !story.mediated) {
        story.mediated = true;
        return { delay: pace(world, incident, story, 0.6), label: 'mediate', act: mediate };
      }
      if (!story.escalated && r.chance(MANUAL_ESCALATION_RATE)) {
        story.escalated = true;
        return { delay: pace(world, incident, story, 0.3), label: 'escalate', act: escalate };
      }
      return {
        delay: pace(world, incident, story),
        label: 'resolve',
        act: move('resolved', '处置完毕', 'field'),
      };
    case 'resolved':
      if (!story.reopened && r.chance(REOPEN_RATE)) {
        story.reopened = true;
        return {
          delay: pace(world, incident, story),
          label: 'reopen',
          act: move('in_progress', '核查未通过，退回重办'),
        };
      }
      return { delay: pace(world, incident, story), label: 'verify', act: move('verified', '核查属实') };
    case 'verified':
      if (!story.calledBack && incident.reporter !== null && r.chance(FEEDBACK_RATE)) {
        story.calledBack = true;
        return { delay: pace(world, incident, story, 0.5), label: 'feedback', act: callBack };
      }
      return { delay: pace(world, incident, story), label: 'close', act: move('closed', '结案归档') };
    case 'closed':
    case 'rejected':
      return null;
  }
}

/** A concurrent writer (the engine escalating it this very moment) is retried a minute later, twice at most. */
const RETRY_MS = 60_000;

type Step = NonNullable<ReturnType<typeof nextStep>>;

function attempt(
  world: DemoWorld,
  id: string,
  expected: IncidentStatus,
  step: Step,
  story: Story,
  at: number,
  tries = 0,
): void {
  world.agenda.at(at, `incident.${step.label}`, async () => {
    const current = await world.store.incidents.byId(id);
    // Someone else moved it (a human at the wall): the demo lets go of it.
    if (!current || current.status !== expected) return;
    try {
      const next = await step.act(world, current, story);
      count(world, `incident.${step.label}`);
      schedule(world, next, story);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'conflict' && tries < 2)
        return attempt(world, id, expected, step, story, world.now() + RETRY_MS, tries + 1);
      count(world, 'incident.refused');
    }
  });
}

function schedule(world: DemoWorld, incident: Incident, story: Story, extraDelay = 0): void {
  const step = nextStep(world, incident, story);
  if (step) attempt(world, incident.id, incident.status, step, story, world.now() + extraDelay + step.delay);
}

/**
 * Follows an incident from now on. Live, some incidents are first left to the humans at the wall: the demo
 * takes them up only if they are still untouched after the grace period.
 */
export function followIncident(world: DemoWorld, incident: Incident): void {
  const story: Story = {
    random: world.random.fork(`incident:${world.followed++}`),
    mediated: incident.mediation !== null,
    escalated: false,
    reopened: false,
    calledBack: incident.feedback !== null,
  };
  const waitForHumans = world.live && story.random.chance(HUMAN_SHARE);
  schedule(world, incident, story, waitForHumans ? HUMAN_GRACE_MS : 0);
}
