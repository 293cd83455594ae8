// Named places in the layer stack, so layers that load at different times still stack in one order:
// static layers under `slot-static`, the units above it, live overlays (incidents, alerts, …) under `slot-top`.
export const STATIC_SLOT = 'slot-static';
export const TOP_SLOT = 'slot-top';
