// The time machine (replay) and the units layer: slider, speeds, back to live, aggregation.
export const zhCN = {} as const;

export const en: Record<keyof typeof zhCN, string> = {};
