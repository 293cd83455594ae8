// Splits the border line into contiguous segments of equal length and names a road chief (路长) for each.
import * as turf from '@turf/turf';
import type { Feature, LineString, Position } from 'geojson';
import { feature, pad, roundGeometry, samePos } from './geometry';
import { lineLengthKm } from './linear';
import { personName } from './names';
import { createRng } from './prng';

export interface RoadChief {
  id: string;
  name: string;
  nameEn: string;
  unitId: string;
}

export interface SegmentProps {
  id: string;
  index: number;
  name: string;
  nameEn: string;
  lengthMeters: number;
  roadChief: RoadChief;
  requiredKinds: null;
  [key: string]: unknown;
}

/** Cuts a polyline into `n` pieces of equal length; consecutive pieces share their cut vertex exactly. */
export function splitLine(coords: readonly Position[], n: number): Position[][] {
  const cum = [0];
  for (let i = 1; i < coords.length; i++)
    cum.push((cum[i - 1] as number) + turf.distance(coords[i - 1] as Position, coords[i] as Position));
  const total = cum[cum.length - 1] as number;
  const pieces: Position[][] = [[coords[0] as Position]];
  let edge = 1;
  for (let k = 1; k < n; k++) {
    const target = (total * k) / n;
    while ((cum[edge] as number) < target)
      (pieces[pieces.length - 1] as Position[]).push(coords[edge++] as Position);
    const a = coords[edge - 1] as Position;
    const b = coords[edge] as Position;
    const t = (target - (cum[edge - 1] as number)) / ((cum[edge] as number) - (cum[edge - 1] as number) || 1);
    // a cut within a metre of a vertex uses the vertex itself (avoids slivers); 6-decimal cut points
    const lenKm = (cum[edge] as number) - (cum[edge - 1] as number);
    let cut: Position;
    if (t * lenKm < 0.001) cut = a;
    else if ((1 - t) * lenKm < 0.001) cut = b;
    else {
      const x = Math.round(((a[0] as number) + t * ((b[0] as number) - (a[0] as number))) * 1e6) / 1e6;
      const y = Math.round(((a[1] as number) + t * ((b[1] as number) - (a[1] as number))) * 1e6) / 1e6;
      cut = [x, y];
    }
    const cur = pieces[pieces.length - 1] as Position[];
    if (!samePos(cur[cur.length - 1], cut)) cur.push(cut);
    if (samePos(cut, b)) edge++;
    pieces.push([cut]);
  }
  const lastPiece = pieces[pieces.length - 1] as Position[];
  for (; edge < coords.length; edge++) lastPiece.push(coords[edge] as Position);
  for (const [i, p] of pieces.entries()) if (p.length < 2) throw new Error(`segment ${i + 1} is empty`);
  return pieces;
}

export function roadChiefUnitId(index: number): string {
  return `px-rc-${pad(index, 2)}`;
}

export function buildSegments(
  border: readonly Position[],
  count: number,
): Feature<LineString, SegmentProps>[] {
  const rng = createRng('pingxiang:road-chiefs');
  return splitLine(border, count).map((coords, i) => {
    const index = i + 1;
    const id = `px-seg-${pad(index, 2)}`;
    const chief = personName(rng, 'pingxiang');
    const geometry = roundGeometry({ type: 'LineString', coordinates: coords }) as LineString;
    return feature(geometry, {
      id,
      index,
      name: `第${index}段`,
      nameEn: `Segment ${index}`,
      lengthMeters: Math.round(lineLengthKm(geometry.coordinates) * 10000) / 10,
      roadChief: {
        id: `px-roadchief-${pad(index, 2)}`,
        name: chief.zh,
        nameEn: chief.en,
        unitId: roadChiefUnitId(index),
      },
      requiredKinds: null,
    });
  });
}
