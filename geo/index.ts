// The geo engine's only entry: pure geometry, geofencing, joint patrols and coverage (no I/O, no clock).
export type * from './types';
export type { CellIndex } from './build-cell-index';
export type { RayDirection } from './select-cell-edges';
export type { NearestQuery, PieceTree } from './build-piece-tree';
export type { PieceGrid } from './build-piece-grid';
export type { LineIndexOptions } from './create-line-index';
export type { ProximityMask } from './build-proximity-mask';
export type { CoveredStretch } from './insert-covered-stretch';
export type { Links } from './find-unit-links';
export type { LineFeature } from './to-line-features';
export type { UnionFind } from './create-union-find';

export { createLocator } from './create-locator';
export { createClassifier } from './create-classifier';
export { createLineIndex } from './create-line-index';
export { distanceToLineMeters } from './distance-to-line-meters';
export { distanceMeters } from './distance-meters';
export { metersPerDegree } from './meters-per-degree';
export { signedDistanceToFence } from './signed-distance-to-fence';
export { createFenceState } from './create-fence-state';
export { stepFence } from './step-fence';
export { createJointPatrolDetector } from './create-joint-patrol-detector';
export { createCoverageTracker } from './create-coverage-tracker';
export { createVoidTracker } from './create-void-tracker';
export { validateLayer } from './validate-layer';
export { featureId } from './feature-id';

// Building blocks, exported for tests, benchmarks and the client's what-if tools.
export { flattenPolygons } from './flatten-polygons';
export { buildCellIndex, CROWDED_CELL, EMPTY_CELL, LIST_CELL } from './build-cell-index';
export { buildPieceTree } from './build-piece-tree';
export { buildPieceGrid } from './build-piece-grid';
export { buildProximityMask } from './build-proximity-mask';
export { flatFeatureContains } from './flat-feature-contains';
export { pointInFlatPolygon } from './point-in-flat-polygon';
export { edgeCrossing } from './edge-crossing';
export { selectCellEdges } from './select-cell-edges';
export { chooseRay } from './choose-ray';
export { signOfProductDifference } from './sign-of-product-difference';
export { closestOnSegment } from './closest-on-segment';
export { toLineFeatures } from './to-line-features';
export { findUnitLinks } from './find-unit-links';
export { createUnionFind } from './create-union-find';
export { insertCoveredStretch } from './insert-covered-stretch';

// Datum: GCJ-02 (Chinese web maps) ↔ WGS-84, for imports and for GCJ-02 basemaps (docs/basemap.md).
export { wgs84ToGcj02 } from './wgs84-to-gcj02';
export { gcj02ToWgs84 } from './gcj02-to-wgs84';
export { isOutsideChina } from './is-outside-china';
export { createPathWalker } from './path-walker';
export type { PathWalker, PathPoint } from './path-walker';
export { labelPoint } from './label-point';
export { rewindLayer } from './rewind-layer';
export { toWkt } from './to-wkt';
export { findRingProblem } from './find-ring-problem';
export type { RingProblem } from './find-ring-problem';
export { circleRing } from './circle-ring';
export { corridorOutline } from './corridor-outline';
export { fenceOutline } from './fence-outline';
