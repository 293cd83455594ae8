// The tablet's side panels, chosen from the bottom bar (and the outbox from the top bar).
export type Panel = 'overview' | 'report' | 'tasks' | 'checkin' | 'outbox';
