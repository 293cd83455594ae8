// GLSL (WebGL2) for the units layer: one screen-aligned quad per unit instance; the fragment shader draws the
// kind's shape (军 square, 警 circle, 民 triangle — the same as the canvas icons), a heading chevron, and
// stale units grey and hollow.

/**
 * Per instance a_unit = [Δlon°, Δlat°, heading° (−1: none), style (kind + 4 if stale; −1 empty)] relative to
 * the origin the matrix was built at. Mercator y is a Taylor series of gd⁻¹ around the origin's latitude
 * (error under 10⁻⁹ of the world within ±1° of it, and the origin follows the view), so float32 suffices.
 */
export const UNIT_VERTEX_SHADER = `#version 300 es
precision highp float;
uniform mat4 u_matrix;
uniform vec2 u_lat0;        // sec(φ0), tan(φ0)
uniform vec2 u_viewport;    // drawing buffer in device px
uniform float u_size;       // quad side in device px
uniform float u_bearing;    // map bearing, radians
in vec2 a_corner;
in vec4 a_unit;
out vec2 v_local;
flat out float v_style;
flat out vec2 v_heading;    // direction of travel on screen (x right, y up); zero when none
const float PI = 3.141592653589793;

void main() {
  v_style = a_unit.w;
  if (a_unit.w < 0.0) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    return;
  }
  float s = u_lat0.x;
  float t = u_lat0.y;
  float p = radians(a_unit.y);
  float p2 = p * p;
  float gd = s * p + 0.5 * s * t * p2 + (s * t * t + s * s * s) * p2 * p / 6.0
    + (s * t * t * t + 5.0 * s * s * s * t) * p2 * p2 / 24.0;
  vec2 mercator = vec2(a_unit.x / 360.0, -gd / (2.0 * PI));
  vec4 center = u_matrix * vec4(mercator, 0.0, 1.0);
  gl_Position = center + vec4(a_corner * u_size / u_viewport * center.w, 0.0, 0.0);
  v_local = a_corner;
  if (a_unit.z >= 0.0) {
    float a = radians(a_unit.z) - u_bearing;
    v_heading = vec2(sin(a), cos(a));
  } else {
    v_heading = vec2(0.0);
  }
}
`;

export const UNIT_FRAGMENT_SHADER = `#version 300 es
precision highp float;
in vec2 v_local;
flat in float v_style;
flat in vec2 v_heading;
out vec4 fragColor;

const vec3 KIND_COLORS[3] = vec3[3](
  vec3(0.478, 0.604, 0.180),   // #7a9a2e 军
  vec3(0.184, 0.502, 0.929),   // #2f80ed 警
  vec3(0.949, 0.600, 0.290)    // #f2994a 民
);
const vec3 STALE_COLOR = vec3(0.541, 0.580, 0.639);  // #8a94a3
const float R = 0.56;        // the shape's radius in quad units (the rest is room for the chevron)
const float STROKE = 0.11;

float sdTriangle(vec2 p, float r) {
  // Equilateral, pointing up, centred on its centroid; r is half its side.
  const float k = 1.7320508;
  p.x = abs(p.x) - r;
  p.y = p.y + r / k;
  if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
  p.x -= clamp(p.x, -2.0 * r, 0.0);
  return -length(p) * sign(p.y);
}

float shapeDistance(int kind, vec2 p) {
  if (kind == 0) {
    vec2 d = abs(p) - vec2(R * 0.82);
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
  }
  if (kind == 1) return length(p) - R * 0.92;
  return sdTriangle(p, R * 0.98);
}

void main() {
  int style = int(v_style + 0.5);
  int kind = style - 4 * (style / 4);
  bool stale = style >= 4;
  vec2 p = v_local;
  float aa = fwidth(p.x) * 1.2;
  vec4 color = vec4(0.0);

  float d = shapeDistance(kind, p);
  // Outline (white, or grey when stale) around the fill (kind colour; none when stale).
  float outer = 1.0 - smoothstep(-aa, aa, d);
  float inner = 1.0 - smoothstep(-aa, aa, d + STROKE);
  vec3 rim = stale ? STALE_COLOR : vec3(1.0);
  vec4 shape = vec4(rim, 1.0) * (outer - inner);
  if (!stale) shape += vec4(KIND_COLORS[kind], 1.0) * inner;
  color = shape;

  if (dot(v_heading, v_heading) > 0.0) {
    // A chevron just outside the shape, in the direction of travel.
    vec2 q = vec2(dot(p, vec2(v_heading.y, -v_heading.x)), dot(p, v_heading));
    float along = (q.y - 0.66) / 0.32;               // 0 at the base, 1 at the tip
    float half_width = 0.22 * (1.0 - along);
    float inside = step(0.0, along) * step(along, 1.0) * (1.0 - smoothstep(half_width - aa, half_width + aa, abs(q.x)));
    vec3 chevron = stale ? STALE_COLOR : vec3(1.0);
    color = color + vec4(chevron, 1.0) * inside * (1.0 - color.a);
  }
  if (color.a <= 0.0) discard;
  // Premultiplied already (MapLibre blends ONE, ONE_MINUS_SRC_ALPHA).
  fragColor = color * (stale ? 0.85 : 1.0);
}
`;

/**
 * The vertex shader's Mercator series in TypeScript (float64), so tests can hold it against the exact
 * projection: the y offset (world units, 0..1 per world, growing south) of a point Δlat° from latitude lat0.
 */
export function mercatorYOffset(deltaLatDeg: number, lat0Deg: number): number {
  const phi0 = (lat0Deg * Math.PI) / 180;
  const s = 1 / Math.cos(phi0);
  const t = Math.tan(phi0);
  const p = (deltaLatDeg * Math.PI) / 180;
  const p2 = p * p;
  const gd =
    s * p +
    0.5 * s * t * p2 +
    ((s * t * t + s * s * s) * p2 * p) / 6 +
    ((s * t * t * t + 5 * s * s * s * t) * p2 * p2) / 24;
  return -gd / (2 * Math.PI);
}
