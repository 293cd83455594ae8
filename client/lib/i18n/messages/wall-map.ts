// The wall's map: layer names, legend, map popups, aggregation, the alarm takeover.
export const zhCN = {} as const;

export const en: Record<keyof typeof zhCN, string> = {};
