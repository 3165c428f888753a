/**
 * A tiny software rasteriser for the demo product pictures (no canvas library is available here).
 *
 * Shapes are described by signed distance functions (negative inside) in "user" coordinates; the canvas maps
 * user coordinates to pixels with a uniform scale plus translation. Each row of a fill is walked with the
 * distance bound: runs of pixels certainly outside or inside a shape are skipped or filled in one go, and
 * only pixels near an edge are supersampled on a 4x4 grid, which gives anti-aliased edges at a small cost.
 * A `feather` option replaces the crisp edge by a smooth ramp (soft glows); drop shadows use `fillShadow`,
 * which blurs a coarse mask of the silhouette. Clips are rasterised once into coverage masks.
 *
 * Pixels are stored as straight (non-premultiplied) RGBA bytes and composited with source-over blending.
 */

/** A colour: r, g, b in 0..255, alpha in 0..1. */
export interface Color {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

export function rgb(r: number, g: number, b: number, a = 1): Color {
  return { r, g, b, a };
}

/** h in degrees (any value, wrapped), s and l in 0..1. */
export function hsl(h: number, s: number, l: number, a = 1): Color {
  const hh = (((h % 360) + 360) % 360) / 360;
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number): number => {
    let t = t0;
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return { r: channel(hh + 1 / 3) * 255, g: channel(hh) * 255, b: channel(hh - 1 / 3) * 255, a };
}

export function mix(c0: Color, c1: Color, t: number): Color {
  return {
    r: c0.r + (c1.r - c0.r) * t,
    g: c0.g + (c1.g - c0.g) * t,
    b: c0.b + (c1.b - c0.b) * t,
    a: c0.a + (c1.a - c0.a) * t,
  };
}

const WHITE: Color = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Color = { r: 0, g: 0, b: 0, a: 1 };

export function lighten(c: Color, t: number): Color {
  return { ...mix(c, WHITE, t), a: c.a };
}

export function darken(c: Color, t: number): Color {
  return { ...mix(c, BLACK, t), a: c.a };
}

export function withAlpha(c: Color, a: number): Color {
  return { r: c.r, g: c.g, b: c.b, a };
}

// ---------------------------------------------------------------------------------------------------------
// Paints

export type GradientStop = readonly [offset: number, color: Color];

const LUT_SIZE = 256;

/** Math.hypot is accurate but slow; the rasteriser calls this in its inner loops. */
const len = (x: number, y: number): number => Math.sqrt(x * x + y * y);

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

function buildLut(stops: readonly GradientStop[]): Float32Array {
  if (stops.length === 0) throw new Error('a gradient needs at least one stop');
  const sorted = [...stops].sort((a, b) => a[0] - b[0]);
  const lut = new Float32Array(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = i / (LUT_SIZE - 1);
    let c = sorted[0]![1];
    if (t >= sorted[sorted.length - 1]![0]) {
      c = sorted[sorted.length - 1]![1];
    } else {
      for (let k = 0; k < sorted.length - 1; k++) {
        const [o0, c0] = sorted[k]!;
        const [o1, c1] = sorted[k + 1]!;
        if (t >= o0 && t <= o1) {
          c = o1 > o0 ? mix(c0, c1, (t - o0) / (o1 - o0)) : c1;
          break;
        }
      }
    }
    lut[i * 4] = clamp(c.r, 0, 255);
    lut[i * 4 + 1] = clamp(c.g, 0, 255);
    lut[i * 4 + 2] = clamp(c.b, 0, 255);
    lut[i * 4 + 3] = clamp(c.a, 0, 1);
  }
  return lut;
}

export interface Gradient {
  readonly lut: Float32Array;
  /** Position along the gradient of a user-space point, 0..1 (clamped by the caller). */
  position(x: number, y: number): number;
  /** For linear gradients: position = kx * x + ky * y + c, which lets rows be filled incrementally. */
  readonly linear?: { readonly kx: number; readonly ky: number; readonly c: number };
  /** For radial gradients: position = distance to (cx, cy) * inv, computed inline by the rasteriser. */
  readonly radial?: { readonly cx: number; readonly cy: number; readonly inv: number };
}

export function linearGradient(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  stops: readonly GradientStop[],
): Gradient {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy || 1;
  const kx = dx / len2;
  const ky = dy / len2;
  const c = -(x0 * dx + y0 * dy) / len2;
  return {
    lut: buildLut(stops),
    position: (x, y) => kx * x + ky * y + c,
    linear: { kx, ky, c },
  };
}

export function radialGradient(cx: number, cy: number, r: number, stops: readonly GradientStop[]): Gradient {
  const inv = 1 / (r || 1);
  return {
    lut: buildLut(stops),
    position: (x, y) => len(x - cx, y - cy) * inv,
    radial: { cx, cy, inv },
  };
}

export type Paint = Color | Gradient;

function isGradient(p: Paint): p is Gradient {
  return (p as Gradient).lut !== undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Shapes

export interface Bounds {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Shape {
  /** Signed distance (user units, negative inside). Combinations may return a bound instead. */
  sdf(x: number, y: number): number;
  /**
   * Optional cheaper distance query: a value with the sign of sdf, at most the true distance in magnitude,
   * and exact whenever the true distance is below `limit` (beyond it, only |value| >= limit is promised).
   */
  sdfWithin?(x: number, y: number, limit: number): number;
  /**
   * Optional scanline support (polygons): writes into `out` the x of every edge crossing the horizontal line
   * at `y` (even-odd rule, any order) and returns how many there are.
   */
  crossings?(y: number, out: number[]): number;
  /** Optional faster point-in-shape test, used for supersampling edge pixels. */
  inside?(x: number, y: number): boolean;
  readonly bounds: Bounds;
}

export function rect(x: number, y: number, w: number, h: number): Shape {
  return roundedRect(x, y, w, h, 0);
}

/**
 * Rounded rectangle; `r` is one radius or [topLeft, topRight, bottomRight, bottomLeft].
 * Radii are clamped to half the smaller side.
 */
export function roundedRect(
  x: number,
  y: number,
  w: number,
  h: number,
  r: number | readonly [number, number, number, number],
): Shape {
  const cx = x + w / 2;
  const cy = y + h / 2;
  const hw = w / 2;
  const hh = h / 2;
  const maxR = Math.min(hw, hh);
  const [tl, tr, br, bl] = (typeof r === 'number' ? [r, r, r, r] : r).map((v) => clamp(v, 0, maxR)) as [
    number,
    number,
    number,
    number,
  ];
  return {
    bounds: { x0: x, y0: y, x1: x + w, y1: y + h },
    sdf(px, py) {
      const dx = px - cx;
      const dy = py - cy;
      const rr = dx > 0 ? (dy > 0 ? br : tr) : dy > 0 ? bl : tl;
      const qx = Math.abs(dx) - hw + rr;
      const qy = Math.abs(dy) - hh + rr;
      const ox = qx > 0 ? qx : 0;
      const oy = qy > 0 ? qy : 0;
      return Math.min(Math.max(qx, qy), 0) + Math.sqrt(ox * ox + oy * oy) - rr;
    },
  };
}

export function circle(cx: number, cy: number, r: number): Shape {
  return {
    bounds: { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r },
    sdf: (px, py) => len(px - cx, py - cy) - r,
  };
}

export function ellipse(cx: number, cy: number, rx: number, ry: number): Shape {
  if (Math.abs(rx - ry) < 1e-6) return circle(cx, cy, rx);
  const irx = 1 / rx;
  const iry = 1 / ry;
  const minR = Math.min(rx, ry);
  return {
    bounds: { x0: cx - rx, y0: cy - ry, x1: cx + rx, y1: cy + ry },
    sdf(px, py) {
      // Inigo Quilez's cheap approximation: accurate near the boundary, which is all the rasteriser needs.
      const x = px - cx;
      const y = py - cy;
      const k0 = len(x * irx, y * iry);
      const k1 = len(x * irx * irx, y * iry * iry);
      if (k1 < 1e-9) return -minR;
      const d = (k0 * (k0 - 1)) / k1;
      // Outside, the approximation never overestimates the distance; inside it can, so take the weaker of
      // it and (k0 - 1) * minR, a true lower bound. The rasteriser relies on |sdf| <= true distance.
      return d >= 0 ? d : Math.max(d, (k0 - 1) * minR);
    },
  };
}

/** A line segment with round caps and the given thickness. */
export function capsule(x0: number, y0: number, x1: number, y1: number, thickness: number): Shape {
  const hr = thickness / 2;
  const ex = x1 - x0;
  const ey = y1 - y0;
  const len2 = ex * ex + ey * ey || 1e-9;
  return {
    bounds: {
      x0: Math.min(x0, x1) - hr,
      y0: Math.min(y0, y1) - hr,
      x1: Math.max(x0, x1) + hr,
      y1: Math.max(y0, y1) + hr,
    },
    sdf(px, py) {
      const wx = px - x0;
      const wy = py - y0;
      const t = clamp((wx * ex + wy * ey) / len2, 0, 1);
      return len(wx - ex * t, wy - ey * t) - hr;
    },
  };
}

/** A ring (circle outline) of the given thickness centred on radius r. */
export function ring(cx: number, cy: number, r: number, thickness: number): Shape {
  const hr = thickness / 2;
  return {
    bounds: { x0: cx - r - hr, y0: cy - r - hr, x1: cx + r + hr, y1: cy + r + hr },
    sdf: (px, py) => Math.abs(len(px - cx, py - cy) - r) - hr,
  };
}

/**
 * A circular arc stroke with round caps, from angle a0 to a1 (radians, clockwise on screen since y points
 * down; a1 > a0).
 */
export function arc(cx: number, cy: number, r: number, a0: number, a1: number, thickness: number): Shape {
  const hr = thickness / 2;
  const sx0 = cx + Math.cos(a0) * r;
  const sy0 = cy + Math.sin(a0) * r;
  const sx1 = cx + Math.cos(a1) * r;
  const sy1 = cy + Math.sin(a1) * r;
  const mid = (a0 + a1) / 2;
  const half = (a1 - a0) / 2;
  const cosHalf = Math.cos(half);
  const mx = Math.cos(mid);
  const my = Math.sin(mid);
  return {
    bounds: { x0: cx - r - hr, y0: cy - r - hr, x1: cx + r + hr, y1: cy + r + hr },
    sdf(px, py) {
      const x = px - cx;
      const y = py - cy;
      const l = len(x, y);
      // Inside the angular range when the angle to the arc's mid direction is at most `half`.
      if (l > 1e-9 && (x * mx + y * my) / l >= cosHalf) return Math.abs(l - r) - hr;
      return Math.min(len(px - sx0, py - sy0), len(px - sx1, py - sy1)) - hr;
    },
  };
}

export type Point = readonly [number, number];

/**
 * A closed polygon (any winding, may be concave). Edges are bucketed by horizontal bands so that a query
 * mostly looks at the few edges near it, which keeps polygons with many vertices (smooth outlines) cheap.
 */
export function polygon(points: readonly Point[]): Shape {
  const n = points.length;
  if (n < 3) throw new Error('a polygon needs at least 3 points');
  const ax = new Float64Array(n);
  const ay = new Float64Array(n);
  const ex = new Float64Array(n);
  const ey = new Float64Array(n);
  const il = new Float64Array(n);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const [px, py] = points[i]!;
    const [qx, qy] = points[(i + n - 1) % n]!;
    ax[i] = px;
    ay[i] = py;
    ex[i] = qx - px;
    ey[i] = qy - py;
    il[i] = 1 / ((qx - px) ** 2 + (qy - py) ** 2 || 1e-9);
    x0 = Math.min(x0, px);
    x1 = Math.max(x1, px);
    y0 = Math.min(y0, py);
    y1 = Math.max(y1, py);
  }
  const band = Math.max((y1 - y0) / 24, 2);
  const nb = Math.max(1, Math.ceil((y1 - y0) / band));
  const lists: number[][] = Array.from({ length: nb }, () => []);
  for (let i = 0; i < n; i++) {
    const lo = Math.min(ay[i]!, ay[i]! + ey[i]!);
    const hi = Math.max(ay[i]!, ay[i]! + ey[i]!);
    const k0 = Math.max(0, Math.floor((lo - y0) / band));
    const k1 = Math.min(nb - 1, Math.floor((hi - y0) / band));
    for (let k = k0; k <= k1; k++) lists[k]!.push(i);
  }
  const offsets = new Int32Array(nb + 1);
  for (let k = 0; k < nb; k++) offsets[k + 1] = offsets[k]! + lists[k]!.length;
  const edges = Int32Array.from(lists.flat());

  /** Squared distance to the nearest edge among buckets k0..k1, or `best` if none is nearer. */
  const nearest2 = (px: number, py: number, k0: number, k1: number, best: number): number => {
    let d = best;
    for (let m = offsets[k0]!, end = offsets[k1 + 1]!; m < end; m++) {
      const i = edges[m]!;
      const wx = px - ax[i]!;
      const wy = py - ay[i]!;
      const eix = ex[i]!;
      const eiy = ey[i]!;
      let t = (wx * eix + wy * eiy) * il[i]!;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const bx = wx - eix * t;
      const by = wy - eiy * t;
      const dd = bx * bx + by * by;
      if (dd < d) d = dd;
    }
    return d;
  };
  /** Even-odd test: count edges crossed by a ray to the right (only edges in the point's own band can). */
  const inside = (px: number, py: number): boolean => {
    const k = Math.floor((py - y0) / band);
    if (k < 0 || k >= nb || px < x0 || px > x1) return false;
    let odd = false;
    for (let m = offsets[k]!, end = offsets[k + 1]!; m < end; m++) {
      const i = edges[m]!;
      const viy = ay[i]!;
      const vjy = viy + ey[i]!;
      if (py >= viy !== py >= vjy) {
        const xc = ax[i]! + ((py - viy) / ey[i]!) * ex[i]!;
        if (xc > px) odd = !odd;
      }
    }
    return odd;
  };
  /** Signed distance, searching bands outwards only until `limit` is reached (see Shape.sdfWithin). */
  const distance = (px: number, py: number, limit: number): number => {
    const k = Math.min(nb - 1, Math.max(0, Math.floor((py - y0) / band)));
    let lo = k;
    let hi = k;
    let d2 = nearest2(px, py, lo, hi, Infinity);
    let reach = 0;
    // Widen the search until no unsearched band can hold a nearer edge (or the limit is reached).
    for (;;) {
      const below = lo > 0 ? py - (y0 + lo * band) : Infinity;
      const above = hi < nb - 1 ? y0 + (hi + 1) * band - py : Infinity;
      reach = Math.max(0, Math.min(below, above));
      if (d2 <= reach * reach || reach >= limit) break;
      if (lo > 0) {
        lo--;
        d2 = nearest2(px, py, lo, lo, d2);
      }
      if (hi < nb - 1) {
        hi++;
        d2 = nearest2(px, py, hi, hi, d2);
      }
    }
    const d = Math.min(Math.sqrt(d2), reach);
    return inside(px, py) ? -d : d;
  };
  const crossings = (py: number, out: number[]): number => {
    const k = Math.floor((py - y0) / band);
    if (k < 0 || k >= nb) return 0;
    let count = 0;
    for (let m = offsets[k]!, end = offsets[k + 1]!; m < end; m++) {
      const i = edges[m]!;
      const viy = ay[i]!;
      if (py >= viy !== py >= viy + ey[i]!) out[count++] = ax[i]! + ((py - viy) / ey[i]!) * ex[i]!;
    }
    return count;
  };
  return {
    bounds: { x0, y0, x1, y1 },
    inside,
    crossings,
    sdf: (px, py) => distance(px, py, Infinity),
    sdfWithin: distance,
  };
}

/** An open polyline stroke with round joins and caps. */
export function polyline(points: readonly Point[], thickness: number): Shape {
  const n = points.length - 1;
  if (n < 1) throw new Error('a polyline needs at least 2 points');
  const hr = thickness / 2;
  const ax = new Float64Array(n);
  const ay = new Float64Array(n);
  const ex = new Float64Array(n);
  const ey = new Float64Array(n);
  const il = new Float64Array(n);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const [px, py] = points[i]!;
    const [qx, qy] = points[i + 1]!;
    ax[i] = px;
    ay[i] = py;
    ex[i] = qx - px;
    ey[i] = qy - py;
    il[i] = 1 / ((qx - px) ** 2 + (qy - py) ** 2 || 1e-9);
  }
  for (const [px, py] of points) {
    x0 = Math.min(x0, px - hr);
    x1 = Math.max(x1, px + hr);
    y0 = Math.min(y0, py - hr);
    y1 = Math.max(y1, py + hr);
  }
  return {
    bounds: { x0, y0, x1, y1 },
    sdf(px, py) {
      let d = Infinity;
      for (let i = 0; i < n; i++) {
        // Skip segments whose bounding box is already farther than the best distance so far.
        const sx = ex[i]!;
        const sy = ey[i]!;
        const ox = Math.max(Math.min(ax[i]!, ax[i]! + sx) - px, px - Math.max(ax[i]!, ax[i]! + sx), 0);
        const oy = Math.max(Math.min(ay[i]!, ay[i]! + sy) - py, py - Math.max(ay[i]!, ay[i]! + sy), 0);
        if (ox * ox + oy * oy >= d) continue;
        const wx = px - ax[i]!;
        const wy = py - ay[i]!;
        let t = (wx * ex[i]! + wy * ey[i]!) * il[i]!;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const bx = wx - ex[i]! * t;
        const by = wy - ey[i]! * t;
        const dd = bx * bx + by * by;
        if (dd < d) d = dd;
      }
      return Math.sqrt(d) - hr;
    },
    inside(px, py) {
      const r2 = hr * hr;
      for (let i = 0; i < n; i++) {
        const sx = ex[i]!;
        const sy = ey[i]!;
        if (px < Math.min(ax[i]!, ax[i]! + sx) - hr || px > Math.max(ax[i]!, ax[i]! + sx) + hr) continue;
        if (py < Math.min(ay[i]!, ay[i]! + sy) - hr || py > Math.max(ay[i]!, ay[i]! + sy) + hr) continue;
        const wx = px - ax[i]!;
        const wy = py - ay[i]!;
        let t = (wx * sx + wy * sy) * il[i]!;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const bx = wx - sx * t;
        const by = wy - sy * t;
        if (bx * bx + by * by <= r2) return true;
      }
      return false;
    },
  };
}

/**
 * Samples a closed Catmull-Rom spline through the control points: a convenient way to make smooth organic
 * outlines (a shoe, a mouse) out of a handful of points. Each span is split into just enough pieces (at most
 * `maxSteps`) to keep the chords within about a fifth of a unit of the curve.
 */
export function smoothClosed(points: readonly Point[], maxSteps = 8): Point[] {
  const n = points.length;
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    sampleSpan(
      points[(i - 1 + n) % n]!,
      points[i]!,
      points[(i + 1) % n]!,
      points[(i + 2) % n]!,
      maxSteps,
      out,
    );
  }
  return out;
}

/** Samples an open Catmull-Rom spline through the points (end points included). */
export function smoothOpen(points: readonly Point[], maxSteps = 8): Point[] {
  const n = points.length;
  const out: Point[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const p0 = points[Math.max(i - 1, 0)]!;
    const p3 = points[Math.min(i + 2, n - 1)]!;
    sampleSpan(p0, points[i]!, points[i + 1]!, p3, maxSteps, out);
  }
  out.push(points[n - 1]!);
  return out;
}

function sampleSpan(p0: Point, p1: Point, p2: Point, p3: Point, maxSteps: number, out: Point[]): void {
  // Sagitta of the span: how far its middle strays from the chord. Splitting in k divides it by about k^2.
  const mid = catmullRom(p0, p1, p2, p3, 0.5);
  const dev = Math.hypot(mid[0] - (p1[0] + p2[0]) / 2, mid[1] - (p1[1] + p2[1]) / 2);
  const steps = Math.max(1, Math.min(maxSteps, Math.ceil(Math.sqrt(dev / 0.2))));
  for (let s = 0; s < steps; s++) out.push(catmullRom(p0, p1, p2, p3, s / steps));
}

function catmullRom(p0: Point, p1: Point, p2: Point, p3: Point, t: number): Point {
  const t2 = t * t;
  const t3 = t2 * t;
  const f = (a: number, b: number, c: number, d: number): number =>
    0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
  return [f(p0[0], p1[0], p2[0], p3[0]), f(p0[1], p1[1], p2[1], p3[1])];
}

function within(s: Shape, x: number, y: number, limit: number): number {
  return s.sdfWithin ? s.sdfWithin(x, y, limit) : s.sdf(x, y);
}

function isInside(s: Shape, x: number, y: number): boolean {
  return s.inside ? s.inside(x, y) : s.sdf(x, y) <= 0;
}

export function union(...shapes: Shape[]): Shape {
  if (shapes.length === 0) throw new Error('union of nothing');
  if (shapes.length === 1) return shapes[0]!;
  const b = shapes.map((s) => s.bounds);
  return {
    bounds: {
      x0: Math.min(...b.map((v) => v.x0)),
      y0: Math.min(...b.map((v) => v.y0)),
      x1: Math.max(...b.map((v) => v.x1)),
      y1: Math.max(...b.map((v) => v.y1)),
    },
    sdf(px, py) {
      let d = Infinity;
      for (const s of shapes) {
        const bb = s.bounds;
        // Cheap reject: the distance to a shape is at least the distance to its bounding box.
        const ox = Math.max(bb.x0 - px, px - bb.x1, 0);
        const oy = Math.max(bb.y0 - py, py - bb.y1, 0);
        if (ox * ox + oy * oy >= d * d && d !== Infinity && d > 0) continue;
        const v = s.sdf(px, py);
        if (v < d) d = v;
      }
      return d;
    },
    sdfWithin(px, py, limit) {
      let d = Infinity;
      for (const s of shapes) d = Math.min(d, within(s, px, py, limit));
      return d;
    },
    inside: (px, py) => shapes.some((s) => isInside(s, px, py)),
  };
}

/** The part of `a` outside `b`. */
export function subtract(a: Shape, b: Shape): Shape {
  return {
    bounds: a.bounds,
    sdf: (px, py) => Math.max(a.sdf(px, py), -b.sdf(px, py)),
    sdfWithin: (px, py, limit) => Math.max(within(a, px, py, limit), -within(b, px, py, limit)),
    inside: (px, py) => isInside(a, px, py) && !isInside(b, px, py),
  };
}

export function intersect(a: Shape, b: Shape): Shape {
  const ba = a.bounds;
  const bb = b.bounds;
  return {
    bounds: {
      x0: Math.max(ba.x0, bb.x0),
      y0: Math.max(ba.y0, bb.y0),
      x1: Math.min(ba.x1, bb.x1),
      y1: Math.min(ba.y1, bb.y1),
    },
    sdf: (px, py) => Math.max(a.sdf(px, py), b.sdf(px, py)),
    sdfWithin: (px, py, limit) => Math.max(within(a, px, py, limit), within(b, px, py, limit)),
    inside: (px, py) => isInside(a, px, py) && isInside(b, px, py),
  };
}

export function translate(s: Shape, dx: number, dy: number): Shape {
  const b = s.bounds;
  return {
    bounds: { x0: b.x0 + dx, y0: b.y0 + dy, x1: b.x1 + dx, y1: b.y1 + dy },
    sdf: (px, py) => s.sdf(px - dx, py - dy),
    sdfWithin: (px, py, limit) =>
      s.sdfWithin ? s.sdfWithin(px - dx, py - dy, limit) : s.sdf(px - dx, py - dy),
    inside: (px, py) => isInside(s, px - dx, py - dy),
    crossings: s.crossings
      ? (py, out) => {
          const n = s.crossings!(py - dy, out);
          for (let i = 0; i < n; i++) out[i]! += dx;
          return n;
        }
      : undefined,
  };
}

/** Rotates a shape by `angle` radians (clockwise on screen) around (cx, cy). */
export function rotate(s: Shape, angle: number, cx: number, cy: number): Shape {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const b = s.bounds;
  const corners: Point[] = [
    [b.x0, b.y0],
    [b.x1, b.y0],
    [b.x1, b.y1],
    [b.x0, b.y1],
  ];
  const rx = corners.map(([x, y]) => cx + (x - cx) * cos - (y - cy) * sin);
  const ry = corners.map(([x, y]) => cy + (x - cx) * sin + (y - cy) * cos);
  return {
    bounds: { x0: Math.min(...rx), y0: Math.min(...ry), x1: Math.max(...rx), y1: Math.max(...ry) },
    sdf(px, py) {
      const x = px - cx;
      const y = py - cy;
      return s.sdf(cx + x * cos + y * sin, cy - x * sin + y * cos);
    },
    sdfWithin(px, py, limit) {
      const x = px - cx;
      const y = py - cy;
      return within(s, cx + x * cos + y * sin, cy - x * sin + y * cos, limit);
    },
    inside(px, py) {
      const x = px - cx;
      const y = py - cy;
      return isInside(s, cx + x * cos + y * sin, cy - x * sin + y * cos);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Canvas

export interface FillOptions {
  /** Width (user units) of a smooth edge ramp instead of a crisp anti-aliased edge. */
  feather?: number;
  /** Extra opacity multiplier, 0..1. */
  opacity?: number;
}

export interface ShadowOptions {
  /** Offset of the shadow (user units). */
  dx?: number;
  dy?: number;
  /** Blur size (user units), roughly the width of the soft edge. */
  blur: number;
  /** Opacity multiplier, 0..1. */
  opacity?: number;
}

const SS = 4; // supersampling grid per axis for edge pixels
const SS_OFFSETS = Array.from({ length: SS }, (_, i) => (i + 0.5) / SS - 0.5);
/** Pixels whose centre distance exceeds this cannot have a sample on the other side of the edge. */
const EDGE_BAND = 0.75;
/** Distance (pixels) from a 2x2 quadrant centre to its farthest sample, with a little margin. */
const QUADRANT_REACH = 0.19;
/** How far (pixels) beyond the edge band a distance query needs to be exact; just a skipping horizon. */
const SKIP_LIMIT = 24;

interface ClipMask {
  /** Pixel rectangle [x0, x1) x [y0, y1) covered by the mask; outside it everything is clipped away. */
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly w: number;
  readonly mask: Float32Array;
}

export class Canvas {
  readonly data: Uint8Array;
  private scale = 1;
  private tx = 0;
  private ty = 0;
  /** Active clips, innermost last; each mask already includes the clips outside it. */
  private readonly clips: ClipMask[] = [];
  private readonly crossingsScratch: number[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new Error(`invalid canvas size ${width}x${height}`);
    }
    this.data = new Uint8Array(width * height * 4);
  }

  /** Maps user (x, y) to pixel (x * scale + tx, y * scale + ty). */
  setTransform(scale: number, tx: number, ty: number): void {
    this.scale = scale;
    this.tx = tx;
    this.ty = ty;
  }

  /**
   * Runs `draw` with every `fill` clipped to `shape` (clips nest). The clip's coverage is rasterised once
   * into a mask, so clipping many small fills to a complex shape stays cheap.
   */
  clip(shape: Shape, draw: () => void): void {
    const parent = this.clips[this.clips.length - 1];
    const b = shape.bounds;
    let x0 = Math.max(0, Math.floor(b.x0 * this.scale + this.tx - 1));
    let y0 = Math.max(0, Math.floor(b.y0 * this.scale + this.ty - 1));
    let x1 = Math.min(this.width, Math.ceil(b.x1 * this.scale + this.tx + 1));
    let y1 = Math.min(this.height, Math.ceil(b.y1 * this.scale + this.ty + 1));
    if (parent) {
      x0 = Math.max(x0, parent.x0);
      y0 = Math.max(y0, parent.y0);
      x1 = Math.min(x1, parent.x1);
      y1 = Math.min(y1, parent.y1);
    }
    const w = Math.max(0, x1 - x0);
    const h = Math.max(0, y1 - y0);
    const mask = new Float32Array(w * h);
    for (let py = y0; py < y1; py++) {
      const row = mask.subarray((py - y0) * w, (py - y0 + 1) * w);
      this.rowCoverage(shape, py, x0, x1, 0, row);
      if (parent) {
        const po = (py - parent.y0) * parent.w + (x0 - parent.x0);
        for (let i = 0; i < w; i++) row[i]! *= parent.mask[po + i]!;
      }
    }
    this.clips.push({ x0, y0, x1: x0 + w, y1: y0 + h, w, mask });
    try {
      draw();
    } finally {
      this.clips.pop();
    }
  }

  /** Paints every pixel of the canvas (ignores clips), e.g. a background gradient. */
  fillAll(paint: Paint): void {
    this.fillPixels(0, 0, this.width, this.height, paint, null, 0, 1);
  }

  fill(shape: Shape, paint: Paint, options: FillOptions = {}): void {
    const feather = (options.feather ?? 0) * this.scale;
    const opacity = options.opacity ?? 1;
    if (opacity <= 0) return;
    const grow = feather / 2 + 1;
    const { x0, y0, x1, y1 } = shape.bounds;
    let px0 = Math.max(0, Math.floor(x0 * this.scale + this.tx - grow));
    let py0 = Math.max(0, Math.floor(y0 * this.scale + this.ty - grow));
    let px1 = Math.min(this.width, Math.ceil(x1 * this.scale + this.tx + grow));
    let py1 = Math.min(this.height, Math.ceil(y1 * this.scale + this.ty + grow));
    const clip = this.clips[this.clips.length - 1];
    if (clip) {
      px0 = Math.max(px0, clip.x0);
      py0 = Math.max(py0, clip.y0);
      px1 = Math.min(px1, clip.x1);
      py1 = Math.min(py1, clip.y1);
    }
    if (px0 >= px1 || py0 >= py1) return;
    this.fillPixels(px0, py0, px1, py1, paint, shape, feather, opacity);
  }

  /**
   * A soft drop shadow of `shape`: its silhouette is rasterised into a coarse mask (one cell per 4x4 pixels),
   * box-blurred three times (close to a Gaussian) and composited with bilinear upsampling. The cost does not
   * depend on how complex the shape is, unlike a wide `feather`. Clips do not apply to shadows.
   */
  fillShadow(shape: Shape, color: Color, options: ShadowOptions): void {
    const scale = this.scale;
    const blurPx = Math.max(0, options.blur * scale);
    const cell = 4;
    const radius = Math.max(1, Math.round(blurPx / cell / 2));
    const b = shape.bounds;
    const dx = (options.dx ?? 0) * scale;
    const dy = (options.dy ?? 0) * scale;
    const pad = radius * 3 * cell + cell;
    // Mask grid in pixel space, covering the offset silhouette plus the blur spread.
    const gx0 = Math.floor(b.x0 * scale + this.tx + dx - pad);
    const gy0 = Math.floor(b.y0 * scale + this.ty + dy - pad);
    const gw = Math.ceil(((b.x1 - b.x0) * scale + 2 * pad) / cell) + 2;
    const gh = Math.ceil(((b.y1 - b.y0) * scale + 2 * pad) / cell) + 2;
    const mask = new Float32Array(gw * gh);
    const inv = 1 / scale;
    // Cell coverage from a 2x2 point-in-shape test (the blur hides the coarseness).
    const q = (cell / 4) * inv;
    for (let j = 0; j < gh; j++) {
      const uy = (gy0 + (j + 0.5) * cell - dy - this.ty) * inv;
      if (uy < b.y0 - 2 * q || uy > b.y1 + 2 * q) continue;
      for (let i = 0; i < gw; i++) {
        const ux = (gx0 + (i + 0.5) * cell - dx - this.tx) * inv;
        if (ux < b.x0 - 2 * q || ux > b.x1 + 2 * q) continue;
        const hits =
          +isInside(shape, ux - q, uy - q) +
          +isInside(shape, ux + q, uy - q) +
          +isInside(shape, ux - q, uy + q) +
          +isInside(shape, ux + q, uy + q);
        mask[j * gw + i] = hits / 4;
      }
    }
    const tmp = new Float32Array(gw * gh);
    for (let pass = 0; pass < 3; pass++) {
      boxBlur(mask, tmp, gh, gw, radius, 1, gw); // along rows
      boxBlur(tmp, mask, gw, gh, radius, gw, 1); // along columns
    }
    const px0 = Math.max(0, gx0);
    const py0 = Math.max(0, gy0);
    const px1 = Math.min(this.width, gx0 + (gw - 1) * cell);
    const py1 = Math.min(this.height, gy0 + (gh - 1) * cell);
    const alpha = clamp(color.a * (options.opacity ?? 1), 0, 1);
    const r = clamp(color.r, 0, 255);
    const g = clamp(color.g, 0, 255);
    const bl = clamp(color.b, 0, 255);
    for (let py = py0; py < py1; py++) {
      const fy = (py + 0.5 - gy0) / cell - 0.5;
      const j = Math.max(0, Math.min(gh - 2, Math.floor(fy)));
      const ty = clamp(fy - j, 0, 1);
      for (let px = px0; px < px1; px++) {
        const fx = (px + 0.5 - gx0) / cell - 0.5;
        const i = Math.max(0, Math.min(gw - 2, Math.floor(fx)));
        const tx = clamp(fx - i, 0, 1);
        const k = j * gw + i;
        const top = mask[k]! + (mask[k + 1]! - mask[k]!) * tx;
        const bot = mask[k + gw]! + (mask[k + gw + 1]! - mask[k + gw]!) * tx;
        const a = (top + (bot - top) * ty) * alpha;
        if (a > 1 / 512) blend(this.data, (py * this.width + px) * 4, r, g, bl, a);
      }
    }
  }

  fillRect(x: number, y: number, w: number, h: number, paint: Paint, options?: FillOptions): void {
    this.fill(rect(x, y, w, h), paint, options);
  }

  fillRoundedRect(
    x: number,
    y: number,
    w: number,
    h: number,
    r: number | readonly [number, number, number, number],
    paint: Paint,
    options?: FillOptions,
  ): void {
    this.fill(roundedRect(x, y, w, h, r), paint, options);
  }

  fillCircle(cx: number, cy: number, r: number, paint: Paint, options?: FillOptions): void {
    this.fill(circle(cx, cy, r), paint, options);
  }

  fillEllipse(cx: number, cy: number, rx: number, ry: number, paint: Paint, options?: FillOptions): void {
    this.fill(ellipse(cx, cy, rx, ry), paint, options);
  }

  fillPolygon(points: readonly Point[], paint: Paint, options?: FillOptions): void {
    this.fill(polygon(points), paint, options);
  }

  strokeLine(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    thickness: number,
    paint: Paint,
    options?: FillOptions,
  ): void {
    this.fill(capsule(x0, y0, x1, y1, thickness), paint, options);
  }

  strokeCircle(
    cx: number,
    cy: number,
    r: number,
    thickness: number,
    paint: Paint,
    options?: FillOptions,
  ): void {
    this.fill(ring(cx, cy, r, thickness), paint, options);
  }

  strokeArc(
    cx: number,
    cy: number,
    r: number,
    a0: number,
    a1: number,
    thickness: number,
    paint: Paint,
    options?: FillOptions,
  ): void {
    this.fill(arc(cx, cy, r, a0, a1, thickness), paint, options);
  }

  strokePolyline(points: readonly Point[], thickness: number, paint: Paint, options?: FillOptions): void {
    this.fill(polyline(points, thickness), paint, options);
  }

  /**
   * Coverage (0..1) of the pixels px0..px1-1 of row py by a shape; `feather` is in pixels. Uses the distance
   * bound to skip runs of pixels that are certainly fully outside or fully inside (sphere tracing along the
   * row), and supersamples only the pixels that straddle an edge.
   */
  private rowCoverage(
    shape: Shape,
    py: number,
    px0: number,
    px1: number,
    feather: number,
    out: Float32Array,
  ): void {
    if (feather === 0 && shape.crossings) {
      this.scanlineCoverage(shape, py, px0, px1, out);
      return;
    }
    const scale = this.scale;
    const inv = 1 / scale;
    const uy = (py + 0.5 - this.ty) * inv;
    const sdf = shape.sdf;
    const half = feather / 2;
    const band = feather > 0 ? half : EDGE_BAND;
    const within = shape.sdfWithin;
    // Exact distances are needed inside the edge band; beyond it they only decide how far to skip.
    const limit = (band + SKIP_LIMIT) * inv;
    let px = px0;
    while (px < px1) {
      const ux = (px + 0.5 - this.tx) * inv;
      const d = (within ? within.call(shape, ux, uy, limit) : sdf.call(shape, ux, uy)) * scale;
      if (d >= band || d <= -band) {
        const n = Math.min(px1 - px, Math.floor(Math.abs(d) - band) + 1);
        out.fill(d > 0 ? 0 : 1, px - px0, px - px0 + n);
        px += n;
        continue;
      }
      let c: number;
      if (feather > 0) {
        const t = 0.5 - d / feather;
        c = t * t * (3 - 2 * t);
      } else {
        c = this.supersample(shape, ux, uy, inv) / (SS * SS);
      }
      out[px - px0] = c;
      px++;
    }
  }

  /**
   * Polygon coverage by scanlines: for each of the 4 sub-rows of the pixel row, the spans between sorted edge
   * crossings are inside (even-odd), and every pixel gets 1/16 per 4x4 sample those spans contain. This is
   * the same 4x4 supersampling as elsewhere, without a per-pixel distance query.
   */
  private scanlineCoverage(shape: Shape, py: number, px0: number, px1: number, out: Float32Array): void {
    const n = px1 - px0;
    out.fill(0, 0, n);
    const xs = this.crossingsScratch;
    const scale = this.scale;
    const inv = 1 / scale;
    const maxSample = n * SS;
    for (let sub = 0; sub < SS; sub++) {
      const uy = (py + (sub + 0.5) / SS - this.ty) * inv;
      const k = shape.crossings!(uy, xs);
      if (k < 2) continue;
      // insertion sort: there are only a few crossings per line
      for (let i = 1; i < k; i++) {
        const v = xs[i]!;
        let j = i - 1;
        while (j >= 0 && xs[j]! > v) {
          xs[j + 1] = xs[j]!;
          j--;
        }
        xs[j + 1] = v;
      }
      for (let m = 0; m + 1 < k; m += 2) {
        // Sample s of the row sits at x = px0 + (s + 0.5) / SS; it is covered when a <= x < b.
        const a = (xs[m]! * scale + this.tx - px0) * SS - 0.5;
        const b = (xs[m + 1]! * scale + this.tx - px0) * SS - 0.5;
        const s0 = Math.max(0, Math.ceil(a));
        const s1 = Math.min(maxSample, Math.ceil(b));
        if (s0 >= s1) continue;
        const i0 = Math.floor(s0 / SS);
        const i1 = Math.floor((s1 - 1) / SS);
        const w = 1 / (SS * SS);
        if (i0 === i1) {
          out[i0]! += (s1 - s0) * w;
          continue;
        }
        out[i0]! += (SS * (i0 + 1) - s0) * w;
        for (let i = i0 + 1; i < i1; i++) out[i]! += SS * w;
        out[i1]! += (s1 - SS * i1) * w;
      }
    }
  }

  /** Number of the 4x4 sub-pixel samples around (ux, uy) that fall inside the shape. */
  private supersample(shape: Shape, ux: number, uy: number, inv: number): number {
    const test = shape.inside;
    let inside = 0;
    if (test) {
      for (let i = 0; i < SS; i++) {
        const sy = uy + SS_OFFSETS[i]! * inv;
        for (let j = 0; j < SS; j++) if (test.call(shape, ux + SS_OFFSETS[j]! * inv, sy)) inside++;
      }
      return inside;
    }
    // Without a point test, look at the centre of each 2x2 quadrant first: when the edge is farther from it
    // than its farthest sample, all four samples agree and need no evaluation.
    const sdf = shape.sdf;
    for (let qy = 0; qy < 2; qy++) {
      for (let qx = 0; qx < 2; qx++) {
        const cx = ux + (qx - 0.5) * 0.5 * inv;
        const cy = uy + (qy - 0.5) * 0.5 * inv;
        const d = sdf.call(shape, cx, cy) * this.scale;
        if (d > QUADRANT_REACH) continue;
        if (d < -QUADRANT_REACH) {
          inside += 4;
          continue;
        }
        for (let i = 0; i < 2; i++) {
          for (let j = 0; j < 2; j++) {
            if (sdf.call(shape, cx + (j - 0.5) * 0.25 * inv, cy + (i - 0.5) * 0.25 * inv) <= 0) inside++;
          }
        }
      }
    }
    return inside;
  }

  private fillPixels(
    px0: number,
    py0: number,
    px1: number,
    py1: number,
    paint: Paint,
    shape: Shape | null,
    feather: number,
    opacity: number,
  ): void {
    const data = this.data;
    const w = this.width;
    const clip = shape ? this.clips[this.clips.length - 1] : undefined;
    const gradient = isGradient(paint) ? paint : null;
    const solid = isGradient(paint) ? null : paint;
    const inv = 1 / this.scale;
    const n = px1 - px0;
    const cov = new Float32Array(n);
    const lut = gradient ? gradient.lut : null;
    const tRow = new Float32Array(lut ? n : 0);
    const lin = gradient?.linear;
    const rad = gradient?.radial;
    const linStep = lin ? lin.kx * inv : 0;
    const sr = solid ? clamp(solid.r, 0, 255) : 0;
    const sg = solid ? clamp(solid.g, 0, 255) : 0;
    const sb = solid ? clamp(solid.b, 0, 255) : 0;
    const sA = solid ? clamp(solid.a, 0, 1) : 0;
    for (let py = py0; py < py1; py++) {
      const uy = (py + 0.5 - this.ty) * inv;
      if (shape) this.rowCoverage(shape, py, px0, px1, feather, cov);
      else cov.fill(1);
      if (clip) {
        const mo = (py - clip.y0) * clip.w + (px0 - clip.x0);
        const m = clip.mask;
        for (let i = 0; i < n; i++) cov[i]! *= m[mo + i]!;
      }
      const o = (py * w + px0) * 4;
      if (!lut) {
        blendSolidRow(data, o, cov, n, sr, sg, sb, sA * opacity);
        continue;
      }
      if (lin) {
        const t0 = lin.kx * (px0 + 0.5 - this.tx) * inv + lin.ky * uy + lin.c;
        for (let i = 0; i < n; i++) tRow[i] = t0 + linStep * i;
      } else if (rad) {
        const dy = uy - rad.cy;
        const dy2 = dy * dy;
        const ux0 = (px0 + 0.5 - this.tx) * inv - rad.cx;
        for (let i = 0; i < n; i++) {
          const dx = ux0 + i * inv;
          tRow[i] = Math.sqrt(dx * dx + dy2) * rad.inv;
        }
      } else {
        for (let i = 0; i < n; i++) tRow[i] = gradient!.position((px0 + i + 0.5 - this.tx) * inv, uy);
      }
      blendLutRow(data, o, cov, n, tRow, lut, opacity);
    }
  }
}

function blend(data: Uint8Array, o: number, r: number, g: number, b: number, sa: number): void {
  const da = data[o + 3]! / 255;
  if (da >= 1) {
    // Opaque destination (the common case): plain lerp.
    data[o] = data[o]! + (r - data[o]!) * sa + 0.5;
    data[o + 1] = data[o + 1]! + (g - data[o + 1]!) * sa + 0.5;
    data[o + 2] = data[o + 2]! + (b - data[o + 2]!) * sa + 0.5;
    return;
  }
  const oa = sa + da * (1 - sa);
  const kd = (da * (1 - sa)) / oa;
  const ks = sa / oa;
  data[o] = r * ks + data[o]! * kd + 0.5;
  data[o + 1] = g * ks + data[o + 1]! * kd + 0.5;
  data[o + 2] = b * ks + data[o + 2]! * kd + 0.5;
  data[o + 3] = oa * 255 + 0.5;
}

function blendSolidRow(
  data: Uint8Array,
  o0: number,
  cov: Float32Array,
  n: number,
  r: number,
  g: number,
  b: number,
  alpha: number,
): void {
  if (alpha <= 0) return;
  for (let i = 0, o = o0; i < n; i++, o += 4) {
    const cv = cov[i]!;
    if (cv <= 0) continue;
    const sa = cv * alpha;
    if (sa >= 1) {
      data[o] = r + 0.5;
      data[o + 1] = g + 0.5;
      data[o + 2] = b + 0.5;
      data[o + 3] = 255;
    } else {
      blend(data, o, r, g, b, sa);
    }
  }
}

function blendLutRow(
  data: Uint8Array,
  o0: number,
  cov: Float32Array,
  n: number,
  tRow: Float32Array,
  lut: Float32Array,
  opacity: number,
): void {
  for (let i = 0, o = o0; i < n; i++, o += 4) {
    const cv = cov[i]!;
    if (cv <= 0) continue;
    let t = tRow[i]!;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const li = ((t * (LUT_SIZE - 1) + 0.5) | 0) * 4;
    const sa = lut[li + 3]! * cv * opacity;
    if (sa <= 0) continue;
    if (sa >= 1) {
      data[o] = lut[li]! + 0.5;
      data[o + 1] = lut[li + 1]! + 0.5;
      data[o + 2] = lut[li + 2]! + 0.5;
      data[o + 3] = 255;
    } else {
      blend(data, o, lut[li]!, lut[li + 1]!, lut[li + 2]!, sa);
    }
  }
}

/**
 * One box-blur pass along lines of a grid: `lines` lines of `length` cells, where consecutive cells of a line
 * are `step` apart and consecutive lines `stride` apart. Cells outside the grid count as empty.
 */
function boxBlur(
  src: Float32Array,
  dst: Float32Array,
  lines: number,
  length: number,
  radius: number,
  step: number,
  stride: number,
): void {
  const norm = 1 / (2 * radius + 1);
  for (let l = 0; l < lines; l++) {
    const base = l * stride;
    let acc = 0;
    for (let i = 0; i <= radius && i < length; i++) acc += src[base + i * step]!;
    for (let i = 0; i < length; i++) {
      dst[base + i * step] = acc * norm;
      const add = i + radius + 1;
      const sub = i - radius;
      if (add < length) acc += src[base + add * step]!;
      if (sub >= 0) acc -= src[base + sub * step]!;
    }
  }
}
