// The two demo regions the views can fly to: Pingxiang's border and Dongcheng's grids.
export interface Region {
  id: 'pingxiang' | 'dongcheng';
  center: [number, number];
  zoom: number;
}

export const REGIONS: Record<Region['id'], Region> = {
  pingxiang: { id: 'pingxiang', center: [106.78, 22.06], zoom: 10.6 },
  dongcheng: { id: 'dongcheng', center: [116.413, 39.91], zoom: 12.2 },
};
