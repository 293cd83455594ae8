// What each KPI tile says: its figure now, the comparison with yesterday by this hour, and a warning tone.
import type { MessageKey } from '../../../lib/i18n/messages';
import type { KpiReport, KpiTile } from '../../../lib/state/kpi-series';

export interface TileText {
  label: MessageKey;
  value: string;
  extra: string;
  compare: string;
  tone: 'normal' | 'warn' | 'bad';
}

export interface TileInputs {
  today: KpiReport | null;
  yesterday: KpiReport | null;
  openIncidents: number;
  overdueIncidents: number;
  jointPatrols: number;
  /** Formatting and words come from the view (locale-aware). */
  percent: (rate: number | null) => string;
  span: (ms: number) => string;
  say: (key: MessageKey, values?: Record<string, string | number>) => string;
}

const rateTone = (rate: number | null | undefined): TileText['tone'] =>
  rate == null ? 'normal' : rate < 0.6 ? 'bad' : rate < 0.8 ? 'warn' : 'normal';

export function tileText(tile: KpiTile, x: TileInputs): TileText {
  const { today: a, yesterday: b, percent, say } = x;
  const hours = (ms: number | null | undefined): string => (ms == null ? '—' : x.span(ms));
  const compare = (value: string): string => say('wall.yesterdaySameTime', { value });
  switch (tile) {
    case 'open':
      return {
        label: 'wall.kpi.open',
        value: String(x.openIncidents),
        extra: x.overdueIncidents > 0 ? say('wall.overdueCount', { n: x.overdueIncidents }) : '',
        compare: say('wall.newTodayVsYesterday', {
          today: a?.incidents.total ?? '—',
          yesterday: b?.incidents.total ?? '—',
        }),
        tone: x.overdueIncidents > 0 ? 'bad' : 'normal',
      };
    case 'closure':
      return {
        label: 'wall.kpi.closure',
        value: hours(a?.closure.p50Ms),
        extra: a?.closure.p90Ms != null ? `p90 ${hours(a.closure.p90Ms)}` : '',
        compare: compare(hours(b?.closure.p50Ms)),
        tone: 'normal',
      };
    case 'deadline':
      return {
        label: 'wall.kpi.deadline',
        value: percent(a?.deadlineCompliance.rate ?? null),
        extra: '',
        compare: compare(percent(b?.deadlineCompliance.rate ?? null)),
        tone: rateTone(a?.deadlineCompliance.rate),
      };
    case 'mediation':
      return {
        label: 'wall.kpi.mediation',
        value: percent(a?.mediation.rate ?? null),
        extra: a ? `${a.mediation.settled}/${a.mediation.mediated}` : '',
        compare: compare(percent(b?.mediation.rate ?? null)),
        tone: rateTone(a?.mediation.rate),
      };
    case 'coverage':
      return {
        label: 'wall.kpi.coverage',
        value: percent(a?.segmentCoverage ?? null),
        extra: '',
        compare: say('wall.coverageWindow'),
        tone: rateTone(a?.segmentCoverage),
      };
    case 'reports':
      return {
        label: 'wall.kpi.reports',
        value: percent(a?.reportCompliance.rate ?? null),
        extra: a ? `${a.reportCompliance.met}/${a.reportCompliance.expected}` : '',
        compare: compare(percent(b?.reportCompliance.rate ?? null)),
        tone: rateTone(a?.reportCompliance.rate),
      };
    case 'joint':
      return {
        label: 'wall.kpi.joint',
        value: String(x.jointPatrols),
        extra: '',
        compare: say('wall.jointNow'),
        tone: 'normal',
      };
  }
}
