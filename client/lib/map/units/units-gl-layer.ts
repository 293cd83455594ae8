// The many-units layer: a MapLibre custom layer drawing one instanced quad per unit from a Float32Array
// (WebGL2). Uploading 50,000 instances is one bufferData of 800 kB; a GeoJSON source would re-tile them all
// in its worker on every update (seconds at that size).
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from 'maplibre-gl';
import { INSTANCE_FLOATS, type Origin } from './instance-buffer';
import { UNIT_FRAGMENT_SHADER, UNIT_VERTEX_SHADER } from './unit-shaders';

interface GlState {
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  corners: WebGLBuffer;
  instances: WebGLBuffer;
  capacity: number;
  uniforms: Record<'matrix' | 'lat0' | 'viewport' | 'size' | 'bearing', WebGLUniformLocation | null>;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('createShader failed');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS))
    throw new Error(`units shader: ${gl.getShaderInfoLog(shader) ?? 'compile failed'}`);
  return shader;
}

function link(gl: WebGL2RenderingContext): WebGLProgram {
  const program = gl.createProgram();
  gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, UNIT_VERTEX_SHADER));
  gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, UNIT_FRAGMENT_SHADER));
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS))
    throw new Error(`units program: ${gl.getProgramInfoLog(program) ?? 'link failed'}`);
  return program;
}

/** Mercator x, y in 0..1 of a WGS-84 point (float64, on the CPU). */
export function mercator(lon: number, lat: number): [number, number] {
  const phi = (lat * Math.PI) / 180;
  return [(lon + 180) / 360, 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)];
}

/** matrix × translate(origin's mercator x, y): instance offsets then map straight to clip space. */
export function originMatrix(main: ArrayLike<number>, origin: Origin): Float32Array {
  const [x, y] = mercator(origin.lon, origin.lat);
  const out = new Float32Array(16);
  for (let i = 0; i < 12; i++) out[i] = main[i] as number;
  for (let row = 0; row < 4; row++)
    out[12 + row] = (main[row] as number) * x + (main[4 + row] as number) * y + (main[12 + row] as number);
  return out;
}

/** Symbol side in CSS px by zoom: small when many units crowd a regional view, larger in the street. */
export function symbolSizePx(zoom: number): number {
  return Math.max(10, Math.min(30, 10 + (zoom - 9) * 2.6));
}

export class UnitsGlLayer implements CustomLayerInterface {
  readonly id: string;
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;
  /** Units drawn by the last frame (tests and the benchmark read it). */
  drawnCount = 0;
  #units = 0;
  enabled = true;
  #map: MapLibreMap | null = null;
  #gl: GlState | null = null;
  #data: Float32Array | null = null;
  #count = 0;
  #origin: Origin = { lon: 0, lat: 0 };
  #dirty = false;

  constructor(id: string) {
    this.id = id;
  }

  /** New instances, `units` of them not empty (read at the next frame; not to be rewritten before). */
  setInstances(data: Float32Array, count: number, units: number, origin: Origin): void {
    this.#data = data;
    this.#count = count;
    this.#units = units;
    this.#origin = origin;
    this.#dirty = true;
    this.#map?.triggerRepaint();
  }

  onAdd(map: MapLibreMap, gl: WebGL2RenderingContext): void {
    this.#map = map;
    const program = link(gl);
    const vao = gl.createVertexArray();
    const corners = gl.createBuffer();
    const instances = gl.createBuffer();
    gl.bindVertexArray(vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, corners);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const corner = gl.getAttribLocation(program, 'a_corner');
    gl.enableVertexAttribArray(corner);
    gl.vertexAttribPointer(corner, 2, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, instances);
    const unit = gl.getAttribLocation(program, 'a_unit');
    gl.enableVertexAttribArray(unit);
    gl.vertexAttribPointer(unit, 4, gl.FLOAT, false, INSTANCE_FLOATS * 4, 0);
    gl.vertexAttribDivisor(unit, 1);
    gl.bindVertexArray(null);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
    const at = (name: string): WebGLUniformLocation | null => gl.getUniformLocation(program, name);
    this.#gl = {
      program,
      vao,
      corners,
      instances,
      capacity: 0,
      uniforms: {
        matrix: at('u_matrix'),
        lat0: at('u_lat0'),
        viewport: at('u_viewport'),
        size: at('u_size'),
        bearing: at('u_bearing'),
      },
    };
    this.#dirty = true;
  }

  onRemove(_map: MapLibreMap, gl: WebGL2RenderingContext): void {
    const state = this.#gl;
    if (state) {
      gl.deleteBuffer(state.corners);
      gl.deleteBuffer(state.instances);
      gl.deleteVertexArray(state.vao);
      gl.deleteProgram(state.program);
    }
    this.#gl = null;
    this.#map = null;
  }

  render(gl: WebGL2RenderingContext, options: CustomRenderMethodInput): void {
    const state = this.#gl;
    const map = this.#map;
    if (!state || !map || !this.enabled || this.#count === 0 || !this.#data) {
      this.drawnCount = 0;
      return;
    }
    // Uploads happen here, inside MapLibre's frame, which resets its cached GL state after custom layers.
    if (this.#dirty) {
      gl.bindBuffer(gl.ARRAY_BUFFER, state.instances);
      const bytes = this.#count * INSTANCE_FLOATS;
      if (bytes > state.capacity) {
        gl.bufferData(gl.ARRAY_BUFFER, this.#data.subarray(0, bytes), gl.DYNAMIC_DRAW);
        state.capacity = bytes;
      } else {
        gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.#data, 0, bytes);
      }
      this.#dirty = false;
    }
    const origin = this.#origin;
    const phi = (origin.lat * Math.PI) / 180;
    const pixelRatio = map.getPixelRatio();
    gl.useProgram(state.program);
    gl.uniformMatrix4fv(
      state.uniforms.matrix,
      false,
      originMatrix(options.defaultProjectionData.mainMatrix, origin),
    );
    gl.uniform2f(state.uniforms.lat0, 1 / Math.cos(phi), Math.tan(phi));
    gl.uniform2f(state.uniforms.viewport, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.uniform1f(state.uniforms.size, symbolSizePx(map.getZoom()) * pixelRatio);
    gl.uniform1f(state.uniforms.bearing, (map.getBearing() * Math.PI) / 180);
    gl.bindVertexArray(state.vao);
    gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, this.#count);
    gl.bindVertexArray(null);
    this.drawnCount = this.#units;
  }
}
