// Police sectors (警务片区): Pingxiang's are the Voronoi cells of its police stations clipped to the city
// outline; Dongcheng's follow its subdistricts, one per subdistrict police station.
import * as turf from '@turf/turf';
import type { Feature, Point, Polygon } from 'geojson';
import { feature, localProjection, pad, type Area } from './geometry';
import type { AreaProps } from './hierarchy';
import type { PostProps } from './posts';

export interface SectorProps {
  id: string;
  name: string;
  nameEn: string;
  region: 'dongcheng' | 'pingxiang';
  stationName: string;
  stationId: string;
  [key: string]: unknown;
}

function sectorName(station: PostProps): { name: string; nameEn: string } {
  return {
    name: `${station.name.replace(/(边境)?派出所$/, '')}警务片区`,
    nameEn: `${station.nameEn.replace(/ (Border )?Police Station$/, '')} Police Sector`,
  };
}

export function pingxiangSectors(
  outline: Polygon,
  stations: readonly Feature<Point, PostProps>[],
): Feature<Area, SectorProps>[] {
  const [, minLat, , maxLat] = turf.bbox(outline);
  const proj = localProjection((minLat + maxLat) / 2);
  const projected = turf.feature(proj.area(outline));
  const [x0, y0, x1, y1] = turf.bbox(projected);
  const cells = turf.voronoi(
    turf.featureCollection(stations.map((s) => turf.point(proj.fwd(s.geometry.coordinates)))),
    { bbox: [x0 - 0.1, y0 - 0.1, x1 + 0.1, y1 + 0.1] },
  );
  return stations.map((s, i) => {
    const cell = cells.features[i];
    const clipped = cell ? turf.intersect(turf.featureCollection<Area>([cell, projected])) : null;
    if (!clipped) throw new Error(`sector of ${s.properties.name} is empty`);
    return feature<Area, SectorProps>(proj.areaInv(clipped.geometry), {
      id: `px-sector-${pad(i + 1, 2)}`,
      ...sectorName(s.properties),
      region: 'pingxiang',
      stationName: s.properties.name,
      stationId: s.properties.id,
    });
  });
}

export function dongchengSectors(
  areas: readonly Feature<Area, AreaProps>[],
  stations: readonly Feature<Point, PostProps>[],
): Feature<Area, SectorProps>[] {
  const subs = areas.filter((a) => a.properties.level === 'subdistrict');
  return stations.map((s, i) => {
    const sub = subs[i]; // stations are listed in subdistrict order
    if (!sub || !turf.booleanPointInPolygon(s.geometry.coordinates, sub))
      throw new Error(`${s.properties.name} does not lie in its subdistrict`);
    return feature<Area, SectorProps>(sub.geometry, {
      id: `dc-sector-${pad(i + 1, 2)}`,
      ...sectorName(s.properties),
      region: 'dongcheng',
      stationName: s.properties.name,
      stationId: s.properties.id,
    });
  });
}
