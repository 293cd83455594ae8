// The command-center wall: panels, map layers, alarms, replay, kiosk.
export const zhCN = {} as const;

export const en: Record<keyof typeof zhCN, string> = {};
