// The patrol-leader tablet: my unit, patrol, reports, offline queue, tasks, SOS.
export const zhCN = {} as const;

export const en: Record<keyof typeof zhCN, string> = {};
