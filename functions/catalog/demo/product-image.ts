/**
 * Stylised demo product pictures for the storefront: a flat illustration of a product (phone, laptop, ...)
 * on a soft gradient background in the product's hue. Everything is drawn by the tiny rasteriser in
 * ./raster.ts and encoded with pngjs; rendering is deterministic (same spec, same bytes).
 */
import { PNG } from 'pngjs';
import {
  Canvas,
  type Color,
  type Paint,
  type Point,
  type Shape,
  arc,
  capsule,
  circle,
  darken,
  ellipse,
  hsl,
  intersect,
  lighten,
  linearGradient,
  mix,
  polygon,
  radialGradient,
  rect,
  rgb,
  ring,
  roundedRect,
  smoothClosed,
  smoothOpen,
  subtract,
  translate,
  union,
  withAlpha,
} from './raster.js';

export const PRODUCT_KINDS = [
  'phone',
  'laptop',
  'headphones',
  'watch',
  'camera',
  'tablet',
  'speaker',
  'keyboard',
  'mouse',
  'monitor',
  'shoe',
  'backpack',
] as const;

export type ProductKind = (typeof PRODUCT_KINDS)[number];

export interface ProductImageSpec {
  kind: ProductKind;
  /** Hue of the background (and some details), degrees 0..360. */
  hue: number;
  /** Any non-negative integer; changes secondary details (colours, screen contents, accents). */
  variant: number;
  /** Pixels; default 480. */
  width?: number;
  /** Pixels; default 480. */
  height?: number;
}

/** Drawings are authored in a 480x480 design space, scaled to fit (centred) in the requested size. */
const DESIGN = 480;
const MAX_SIDE = 4096;

export function renderProductImage(spec: ProductImageSpec): Buffer {
  const width = spec.width ?? DESIGN;
  const height = spec.height ?? DESIGN;
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_SIDE) {
      throw new RangeError(`${name} must be an integer in 1..${MAX_SIDE}, got ${v}`);
    }
  }
  // hasOwn, not a plain lookup: a kind such as 'toString' must not reach Object.prototype.
  if (!Object.hasOwn(DRAWERS, spec.kind)) throw new RangeError(`unknown product kind ${String(spec.kind)}`);
  const draw = DRAWERS[spec.kind];
  const hue = Number.isFinite(spec.hue) ? ((spec.hue % 360) + 360) % 360 : 0;
  const variant = Number.isFinite(spec.variant) ? Math.abs(Math.trunc(spec.variant)) : 0;

  const canvas = new Canvas(width, height);
  const scale = Math.min(width, height) / DESIGN;
  canvas.setTransform(scale, (width - DESIGN * scale) / 2, (height - DESIGN * scale) / 2);
  const ctx = makeContext(canvas, spec.kind, hue, variant);
  drawBackground(ctx);
  draw(ctx);

  const png = new PNG({ width, height });
  png.data = Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.byteLength);
  // Paeth filtering only: nearly the smallest output and several times faster than trying every filter.
  return PNG.sync.write(png, { colorType: 6, filterType: 4 });
}

// ---------------------------------------------------------------------------------------------------------
// Shared drawing context and helpers

interface Ctx {
  c: Canvas;
  hue: number;
  variant: number;
  /** Deterministic pseudo-random numbers in [0, 1), seeded by kind and variant. */
  rnd: () => number;
  /** Variant accent colour (a hue offset from the background hue). */
  accent: Color;
  /** A second accent colour, for screens and details. */
  accent2: Color;
  /** Product body finish, chosen by variant. */
  finish: Finish;
  shadow: Color;
}

interface Finish {
  base: Color;
  light: Color;
  dark: Color;
  /** true when the finish is dark (details on it should be light). */
  isDark: boolean;
}

function finish(base: Color): Finish {
  const lum = (0.2126 * base.r + 0.7152 * base.g + 0.0722 * base.b) / 255;
  return { base, light: lighten(base, 0.35), dark: darken(base, 0.35), isDark: lum < 0.45 };
}

const ACCENT_SHIFTS = [180, 30, 300, 130, 0, 230, 60, 270, 100, 200];

function makeContext(c: Canvas, kind: ProductKind, hue: number, variant: number): Ctx {
  const rnd = mulberry32(hashString(`${kind}:${variant}`));
  const shift = ACCENT_SHIFTS[pickN(variant, ACCENT_SHIFTS.length)]!;
  const accent = hsl(hue + shift, 0.78, 0.56);
  const accent2 = hsl(hue + shift + 140 + pickN(variant, 3) * 25, 0.7, 0.6);
  const finishes: Color[] = [
    hsl(222, 0.1, 0.2), // graphite
    hsl(215, 0.1, 0.82), // silver
    hsl(hue + shift, 0.35, 0.42), // tinted
    hsl(40, 0.15, 0.95), // white
    hsl(230, 0.3, 0.16), // midnight
  ];
  return {
    c,
    hue,
    variant,
    rnd,
    accent,
    accent2,
    finish: finish(finishes[pickN(variant, finishes.length)]!),
    shadow: hsl(hue, 0.45, 0.22),
  };
}

/**
 * Chooses one of n options for a variant: variants 0..n-1 get distinct options, and each further block of n
 * variants is rotated by one more step, so that variants which are n apart still differ. `salt` offsets
 * choices that would otherwise move in lockstep.
 */
function pickN(variant: number, n: number, salt = 0): number {
  return (variant + salt + Math.floor(variant / n)) % n;
}

function pick(ctx: Ctx, n: number, salt = 0): number {
  return pickN(ctx.variant, n, salt);
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WHITE = rgb(255, 255, 255);
const INK = rgb(22, 24, 32);

function vgrad(y0: number, y1: number, top: Color, bottom: Color): Paint {
  return linearGradient(0, y0, 0, y1, [
    [0, top],
    [1, bottom],
  ]);
}

function dgrad(x0: number, y0: number, x1: number, y1: number, c0: Color, c1: Color): Paint {
  return linearGradient(x0, y0, x1, y1, [
    [0, c0],
    [1, c1],
  ]);
}

/** A shaded fill for a body: lighter top-left, darker bottom-right. */
function bodyPaint(s: Shape, base: Color, amount = 0.22): Paint {
  const b = s.bounds;
  return linearGradient(b.x0, b.y0, b.x1, b.y1, [
    [0, lighten(base, amount)],
    [0.55, base],
    [1, darken(base, amount * 0.9)],
  ]);
}

function metal(x0: number, y0: number, x1: number, y1: number, tone = 0.78): Paint {
  const base = hsl(215, 0.08, tone);
  return linearGradient(x0, y0, x1, y1, [
    [0, lighten(base, 0.5)],
    [0.35, base],
    [0.6, darken(base, 0.18)],
    [1, lighten(base, 0.2)],
  ]);
}

function drawBackground(ctx: Ctx): void {
  const { c, hue } = ctx;
  // One pass: a soft radial "spotlight" gradient, light behind the product and deeper towards the corners.
  c.fillAll(
    radialGradient(240, 210, 400, [
      [0, hsl(hue, 0.65, 0.97)],
      [0.45, hsl(hue, 0.55, 0.91)],
      [1, hsl(hue, 0.45, 0.76)],
    ]),
  );
  // A few decorative shapes in the corners, placed by the variant.
  const rnd = mulberry32(hashString(`bg:${ctx.variant}`));
  const corners: Point[] = [
    [56, 64],
    [424, 70],
    [428, 404],
    [52, 410],
  ];
  const skip = pick(ctx, 4);
  corners.forEach(([x0, y0], i) => {
    if (i === skip) return;
    const x = x0 + (rnd() - 0.5) * 30;
    const y = y0 + (rnd() - 0.5) * 30;
    const kind = (i + ctx.variant) % 3;
    if (kind === 0) {
      c.fillCircle(x, y, 7 + rnd() * 6, hsl(hue, 0.6, 0.99, 0.8));
      c.fillCircle(x + 22, y + 16, 4, withAlpha(ctx.accent, 0.45));
    } else if (kind === 1) {
      c.fill(ring(x, y, 9 + rnd() * 5, 3.5), withAlpha(ctx.accent, 0.4));
    } else {
      sparkle(c, x, y, 11 + rnd() * 5, hsl(hue, 0.6, 0.99, 0.9));
    }
  });
}

/** A four-pointed star. */
function sparkle(c: Canvas, x: number, y: number, r: number, col: Color): void {
  const k = r * 0.28;
  c.fill(
    polygon([
      [x, y - r],
      [x + k, y - k],
      [x + r, y],
      [x + k, y + k],
      [x, y + r],
      [x - k, y + k],
      [x - r, y],
      [x - k, y - k],
    ]),
    col,
  );
}

/** A soft drop shadow of a shape, offset down and to the right. */
function dropShadow(
  ctx: Ctx,
  s: Shape,
  opts: { dx?: number; dy?: number; blur?: number; alpha?: number } = {},
) {
  ctx.c.fillShadow(s, ctx.shadow, {
    dx: opts.dx ?? 10,
    dy: opts.dy ?? 16,
    blur: opts.blur ?? 34,
    opacity: opts.alpha ?? 0.28,
  });
}

/** A contact shadow ellipse on the "floor" under the product. */
function floorShadow(ctx: Ctx, cx: number, cy: number, rx: number, ry: number, alpha = 0.35) {
  ctx.c.fillShadow(ellipse(cx, cy, rx, ry), ctx.shadow, {
    blur: ry * 1.4,
    opacity: Math.min(1, alpha * 1.5),
  });
}

/** A diagonal glossy sheen clipped to a shape. */
function sheen(ctx: Ctx, s: Shape, alpha = 0.14): void {
  const b = s.bounds;
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  // An intersection rather than a clip: a single fill needs no clip mask.
  const triangle = polygon([
    [b.x0 - 10, b.y0 - 10],
    [b.x0 + w * 0.62, b.y0 - 10],
    [b.x0 - 10, b.y0 + h * 0.7],
  ]);
  ctx.c.fill(intersect(s, triangle), withAlpha(WHITE, alpha));
}

/** A colourful wallpaper with soft blobs, used by every screen. */
function wallpaper(ctx: Ctx, s: Shape): void {
  const { c, rnd } = ctx;
  const b = s.bounds;
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  const h0 = ctx.hue + ACCENT_SHIFTS[pick(ctx, ACCENT_SHIFTS.length)]!;
  const dark = pick(ctx, 2) === 1;
  c.fill(
    s,
    dgrad(
      b.x0,
      b.y0,
      b.x1,
      b.y1,
      hsl(h0, 0.7, dark ? 0.3 : 0.62),
      hsl(h0 + 60 + pick(ctx, 4) * 30, 0.65, dark ? 0.18 : 0.45),
    ),
  );
  c.clip(s, () => {
    for (let i = 0; i < 3; i++) {
      const cx = b.x0 + w * (0.1 + rnd() * 0.8);
      const cy = b.y0 + h * (0.15 + rnd() * 0.8);
      const r = Math.min(w, h) * (0.3 + rnd() * 0.35);
      c.fillCircle(cx, cy, r, hsl(h0 + 30 + i * 50, 0.8, dark ? 0.45 : 0.75, 0.35));
    }
  });
}

/** Simple desktop-like content: a couple of windows. */
function desktop(ctx: Ctx, x: number, y: number, w: number, h: number): void {
  const { c, rnd } = ctx;
  const screen = rect(x, y, w, h);
  wallpaper(ctx, screen);
  c.clip(screen, () => {
    // Menu bar
    c.fillRect(x, y, w, h * 0.06, withAlpha(WHITE, 0.45));
    // Windows
    const windows = 2;
    for (let i = 0; i < windows; i++) {
      const ww = w * (0.42 + rnd() * 0.12);
      const wh = h * (0.42 + rnd() * 0.12);
      const wx = x + w * 0.08 + i * w * 0.34 + rnd() * w * 0.05;
      const wy = y + h * 0.14 + i * h * 0.16;
      const r = Math.min(w, h) * 0.03;
      const win = roundedRect(wx, wy, ww, wh, r);
      c.fill(translate(win, 3, 5), INK, { feather: 12, opacity: 0.3 });
      c.fill(win, hsl(0, 0, 0.98));
      c.fill(roundedRect(wx, wy, ww, wh * 0.14, [r, r, 0, 0]), hsl(220, 0.1, 0.9));
      for (let k = 0; k < 3; k++)
        c.fillCircle(
          wx + 8 + k * 8,
          wy + wh * 0.07,
          2.5,
          [rgb(255, 95, 87), rgb(254, 188, 46), rgb(40, 200, 64)][k]!,
        );
      // content lines / a picture
      if (i === 0) {
        for (let k = 0; k < 4; k++) {
          const lw = ww * (0.45 + ((k * 37 + ctx.variant * 13) % 40) / 100);
          c.fillRoundedRect(wx + 8, wy + wh * (0.26 + k * 0.16), lw, wh * 0.07, 2, hsl(220, 0.1, 0.8));
        }
      } else {
        c.fillRoundedRect(
          wx + 8,
          wy + wh * 0.22,
          ww - 16,
          wh * 0.68,
          4,
          dgrad(wx, wy, wx + ww, wy + wh, ctx.accent, ctx.accent2),
        );
      }
    }
    // Dock
    const dw = w * 0.46;
    c.fillRoundedRect(x + (w - dw) / 2, y + h * 0.86, dw, h * 0.1, h * 0.04, withAlpha(WHITE, 0.5));
    for (let k = 0; k < 6; k++) {
      const s = h * 0.07;
      c.fillRoundedRect(
        x + (w - dw) / 2 + dw * 0.07 + k * dw * 0.145,
        y + h * 0.875,
        s,
        s,
        s * 0.25,
        hsl(ctx.hue + k * 55 + ctx.variant * 20, 0.7, 0.55),
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// The products

type Drawer = (ctx: Ctx) => void;

const DRAWERS: Record<ProductKind, Drawer> = {
  phone: drawPhone,
  laptop: drawLaptop,
  headphones: drawHeadphones,
  watch: drawWatch,
  camera: drawCamera,
  tablet: drawTablet,
  speaker: drawSpeaker,
  keyboard: drawKeyboard,
  mouse: drawMouse,
  monitor: drawMonitor,
  shoe: drawShoe,
  backpack: drawBackpack,
};

function drawPhone(ctx: Ctx): void {
  const { c, finish: f, rnd } = ctx;
  const body = roundedRect(150, 48, 180, 362, 36);
  floorShadow(ctx, 240, 418, 110, 12);
  dropShadow(ctx, body);
  // side buttons
  c.fillRoundedRect(145, 130, 8, 28, 3, f.dark);
  c.fillRoundedRect(145, 172, 8, 46, 3, f.dark);
  c.fillRoundedRect(327, 156, 8, 62, 3, f.dark);
  c.fill(body, bodyPaint(body, f.base, 0.3));
  const bezel = roundedRect(157, 55, 166, 348, 30);
  c.fill(bezel, INK);
  const screen = roundedRect(163, 61, 154, 336, 25);
  wallpaper(ctx, screen);
  c.clip(screen, () => {
    // status bar
    c.fillRoundedRect(178, 72, 22, 7, 3, withAlpha(WHITE, 0.9));
    c.fillRoundedRect(284, 72, 18, 7, 2, withAlpha(WHITE, 0.9));
    // clock widget
    c.fillRoundedRect(180, 104, 120, 54, 14, withAlpha(WHITE, 0.28));
    c.fillRoundedRect(192, 116, 56, 14, 5, withAlpha(WHITE, 0.95));
    c.fillRoundedRect(192, 136, 84, 8, 4, withAlpha(WHITE, 0.7));
    // app grid 4x4
    const icon = 27;
    const gap = (154 - 4 * icon) / 5;
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 4; col++) {
        const x = 163 + gap + col * (icon + gap);
        const y = 176 + row * 40;
        const h = ctx.hue + (row * 4 + col) * 47 + ctx.variant * 31 + rnd() * 20;
        c.fillRoundedRect(
          x,
          y,
          icon,
          icon,
          8,
          dgrad(x, y, x + icon, y + icon, hsl(h, 0.75, 0.66), hsl(h + 25, 0.8, 0.48)),
        );
      }
    }
    // dock
    c.fillRoundedRect(171, 346, 138, 42, 18, withAlpha(WHITE, 0.35));
    for (let k = 0; k < 4; k++) {
      const x = 179 + k * 32.5;
      c.fillRoundedRect(x, 353, 27, 27, 8, hsl(ctx.hue + 200 + k * 40 + ctx.variant * 17, 0.7, 0.55));
    }
  });
  // camera island
  c.fillRoundedRect(211, 70, 58, 18, 9, INK);
  c.fillCircle(258, 79, 4, hsl(230, 0.4, 0.3));
  c.fillCircle(257, 78, 1.5, withAlpha(WHITE, 0.6));
  sheen(ctx, screen, 0.12);
}

function drawLaptop(ctx: Ctx): void {
  const { c } = ctx;
  const f = pick(ctx, 2) === 0 ? finish(hsl(215, 0.08, 0.82)) : ctx.finish;
  const lid = roundedRect(92, 66, 296, 206, [18, 18, 4, 4]);
  const base: Point[] = [
    [96, 272],
    [384, 272],
    [446, 342],
    [34, 342],
  ];
  floorShadow(ctx, 240, 362, 230, 14);
  dropShadow(ctx, union(lid, polygon(base)), { dy: 12 });
  c.fill(lid, bodyPaint(lid, f.base, 0.25));
  c.fillRoundedRect(100, 74, 280, 194, 11, INK);
  desktop(ctx, 110, 86, 260, 170);
  c.fillCircle(240, 80, 2.6, hsl(230, 0.3, 0.3));
  sheen(ctx, rect(110, 86, 260, 170), 0.08);
  // hinge
  c.fillRect(96, 268, 288, 6, darken(f.base, 0.45));
  // base deck
  c.fillPolygon(base, vgrad(272, 342, lighten(f.base, 0.2), darken(f.base, 0.05)));
  // front edge
  c.fillRoundedRect(
    34,
    340,
    412,
    12,
    [0, 0, 10, 10],
    vgrad(340, 352, darken(f.base, 0.12), darken(f.base, 0.4)),
  );
  c.fillRoundedRect(205, 340, 70, 5, [0, 0, 4, 4], darken(f.base, 0.3));
  // keyboard well and keys in perspective
  const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
  const topY = 280;
  const botY = 318;
  const edge = (y: number): [number, number] => {
    const t = (y - 272) / 70;
    return [lerp(96, 34, t) + 26 + t * 12, lerp(384, 446, t) - 26 - t * 12];
  };
  const [tl, tr] = edge(topY);
  const [bl, br] = edge(botY);
  c.fillPolygon(
    [
      [tl, topY],
      [tr, topY],
      [br, botY],
      [bl, botY],
    ],
    darken(f.base, f.isDark ? 0.3 : 0.55),
  );
  const rows = 5;
  const cols = 14;
  const keyCol = f.isDark ? hsl(220, 0.08, 0.3) : hsl(220, 0.05, 0.2);
  for (let r = 0; r < rows; r++) {
    const y0 = lerp(topY, botY, r / rows) + 1;
    const y1 = lerp(topY, botY, (r + 1) / rows) - 1;
    const [l0, r0] = edge(y0);
    const [l1, r1] = edge(y1);
    for (let k = 0; k < cols; k++) {
      const gap = 0.12;
      const a = (k + gap) / cols;
      const b = (k + 1 - gap) / cols;
      // the space bar spans several keys on the last row
      if (r === rows - 1 && k > 4 && k < 9) {
        if (k !== 5) continue;
        const bb = (9 - gap) / cols;
        c.fillPolygon(
          [
            [lerp(l0, r0, a), y0],
            [lerp(l0, r0, bb), y0],
            [lerp(l1, r1, bb), y1],
            [lerp(l1, r1, a), y1],
          ],
          keyCol,
        );
        continue;
      }
      c.fillPolygon(
        [
          [lerp(l0, r0, a), y0],
          [lerp(l0, r0, b), y0],
          [lerp(l1, r1, b), y1],
          [lerp(l1, r1, a), y1],
        ],
        keyCol,
      );
    }
  }
  // trackpad
  c.fillPolygon(
    [
      [204, 323],
      [276, 323],
      [280, 336],
      [200, 336],
    ],
    f.isDark ? lighten(f.base, 0.1) : darken(f.base, 0.08),
  );
}

function drawHeadphones(ctx: Ctx): void {
  const { c } = ctx;
  const f = ctx.finish;
  const cx = 240;
  const cy = 232;
  const R = 132;
  const band = arc(cx, cy, R, Math.PI + 0.05, 2 * Math.PI - 0.05, 24);
  const cupW = 74;
  const cupH = 136;
  const cupY = 250;
  const left = roundedRect(cx - R - cupW / 2 - 6, cupY, cupW, cupH, 34);
  const right = roundedRect(cx + R - cupW / 2 + 6, cupY, cupW, cupH, 34);
  floorShadow(ctx, 240, 410, 190, 12);
  dropShadow(ctx, union(band, left, right));
  c.fill(band, vgrad(cy - R - 12, cy, lighten(f.base, 0.25), darken(f.base, 0.2)));
  // headband cushion
  c.fill(arc(cx, cy, R - 14, Math.PI * 1.18, Math.PI * 1.82, 12), darken(ctx.accent, 0.25));
  // sliders
  for (const side of [-1, 1]) {
    const x = cx + side * R;
    c.fill(roundedRect(x - 6, cy - 4, 12, 40, 4), metal(x - 6, 0, x + 6, 0, 0.7));
    c.fill(roundedRect(x - 9, cy + 30, 18, 24, 6), f.dark);
  }
  for (const [shell, side] of [
    [left, -1],
    [right, 1],
  ] as const) {
    const b = shell.bounds;
    const w = b.x1 - b.x0;
    // ear cushion on the inner side
    const padX = side < 0 ? b.x1 - 22 : b.x0 - 12;
    const pad = roundedRect(padX, b.y0 + 10, 34, cupH - 20, 17);
    c.fill(pad, vgrad(b.y0, b.y1, hsl(220, 0.08, 0.28), hsl(220, 0.1, 0.14)));
    c.fill(shell, bodyPaint(shell, f.base, 0.3));
    // accent ring and cap on the outer side
    const ccx = b.x0 + w / 2 + side * 4;
    const ccy = b.y0 + cupH / 2;
    c.fill(
      ellipse(ccx, ccy, w * 0.32, cupH * 0.3),
      dgrad(ccx - 20, ccy - 30, ccx + 20, ccy + 30, lighten(ctx.accent, 0.15), darken(ctx.accent, 0.25)),
    );
    c.fill(ellipse(ccx, ccy, w * 0.18, cupH * 0.17), withAlpha(WHITE, 0.22));
    sheen(ctx, shell, 0.18);
  }
  sheen(ctx, band, 0.2);
}

function drawWatch(ctx: Ctx): void {
  const { c, rnd } = ctx;
  const cx = 240;
  const cy = 240;
  const strapColors = [
    hsl(25, 0.45, 0.35),
    hsl(ctx.hue + 180, 0.5, 0.4),
    hsl(220, 0.1, 0.18),
    hsl(ctx.hue + 30, 0.6, 0.55),
    hsl(150, 0.35, 0.35),
  ];
  const strap = strapColors[pick(ctx, strapColors.length)]!;
  const top = roundedRect(cx - 54, 26, 108, 150, [16, 16, 4, 4]);
  const bottom = roundedRect(cx - 54, 304, 108, 150, [4, 4, 16, 16]);
  const caseShape = circle(cx, cy, 104);
  floorShadow(ctx, 240, 462, 90, 9);
  dropShadow(ctx, union(top, bottom, caseShape));
  for (const s of [top, bottom])
    c.fill(s, dgrad(cx - 54, 0, cx + 54, 0, lighten(strap, 0.12), darken(strap, 0.2)));
  // strap stitching and holes
  for (const x of [cx - 44, cx + 44]) {
    for (let y = 34; y < 170; y += 12) c.strokeLine(x, y, x, y + 6, 2, withAlpha(WHITE, 0.35));
    for (let y = 312; y < 446; y += 12) c.strokeLine(x, y, x, y + 6, 2, withAlpha(WHITE, 0.35));
  }
  for (let k = 0; k < 4; k++) c.fillCircle(cx, 372 + k * 20, 5, darken(strap, 0.5));
  c.fillRoundedRect(cx - 58, 340, 116, 14, 4, darken(strap, 0.2));
  // crown and pusher
  c.fillRoundedRect(cx + 98, cy - 16, 20, 32, 6, metal(0, cy - 16, 0, cy + 16, 0.7));
  c.fillRoundedRect(cx + 88, cy - 62, 12, 18, 4, metal(0, cy - 62, 0, cy - 44, 0.7));
  // case and bezel
  c.fill(caseShape, metal(cx - 104, cy - 104, cx + 104, cy + 104, pick(ctx, 3) === 1 ? 0.55 : 0.78));
  c.fill(ring(cx, cy, 94, 10), darken(hsl(215, 0.08, 0.6), 0.4));
  const faceColors = [
    hsl(220, 0.2, 0.14),
    hsl(40, 0.2, 0.95),
    hsl(ctx.hue + 200, 0.55, 0.3),
    hsl(150, 0.3, 0.22),
  ];
  const face = faceColors[pick(ctx, faceColors.length, 1)]!;
  const faceLight = (0.2126 * face.r + 0.7152 * face.g + 0.0722 * face.b) / 255 > 0.5;
  c.fill(
    circle(cx, cy, 88),
    radialGradient(cx - 20, cy - 30, 120, [
      [0, lighten(face, 0.15)],
      [1, darken(face, 0.2)],
    ]),
  );
  const tick = faceLight ? hsl(220, 0.1, 0.2) : withAlpha(WHITE, 0.9);
  for (let i = 0; i < 60; i++) {
    const a = (i / 60) * Math.PI * 2;
    const major = i % 5 === 0;
    const r0 = major ? 66 : 76;
    const r1 = 82;
    c.strokeLine(
      cx + Math.cos(a) * r0,
      cy + Math.sin(a) * r0,
      cx + Math.cos(a) * r1,
      cy + Math.sin(a) * r1,
      major ? 5 : 1.5,
      major && i === 45 ? ctx.accent : tick,
    );
  }
  // date window / sub-dial
  if (pick(ctx, 2) === 0) {
    c.fillRoundedRect(cx + 34, cy - 9, 24, 18, 3, faceLight ? hsl(220, 0.1, 0.25) : WHITE);
  } else {
    c.fill(ring(cx, cy + 38, 16, 2), withAlpha(tick, 0.8));
  }
  // hands
  const hours = (ctx.variant * 5 + 10) % 12;
  const minutes = Math.floor(rnd() * 60);
  const ha = ((hours + minutes / 60) / 12) * Math.PI * 2 - Math.PI / 2;
  const ma = (minutes / 60) * Math.PI * 2 - Math.PI / 2;
  const sa = rnd() * Math.PI * 2;
  const hand = faceLight ? hsl(220, 0.15, 0.15) : WHITE;
  const shadowOff = 3;
  for (const [a, len, th] of [
    [ha, 46, 8],
    [ma, 66, 6],
  ] as const) {
    c.strokeLine(
      cx + shadowOff,
      cy + shadowOff,
      cx + Math.cos(a) * len + shadowOff,
      cy + Math.sin(a) * len + shadowOff,
      th,
      INK,
      { opacity: 0.25, feather: 4 },
    );
    c.strokeLine(cx, cy, cx + Math.cos(a) * len, cy + Math.sin(a) * len, th, hand);
  }
  c.strokeLine(
    cx - Math.cos(sa) * 18,
    cy - Math.sin(sa) * 18,
    cx + Math.cos(sa) * 74,
    cy + Math.sin(sa) * 74,
    2,
    ctx.accent,
  );
  c.fillCircle(cx, cy, 7, ctx.accent);
  c.fillCircle(cx, cy, 3, hand);
  // glass reflection
  c.fill(subtract(circle(cx, cy, 86), circle(cx + 26, cy + 30, 100)), withAlpha(WHITE, 0.12));
}

function drawCamera(ctx: Ctx): void {
  const { c } = ctx;
  const body = roundedRect(68, 150, 344, 214, 30);
  const hump = roundedRect(180, 102, 120, 70, [18, 18, 0, 0]);
  const lensCx = 240;
  const lensCy = 262;
  floorShadow(ctx, 240, 380, 190, 12);
  dropShadow(ctx, union(body, hump));
  const top = pick(ctx, 2) === 0 ? hsl(215, 0.06, 0.82) : hsl(220, 0.08, 0.2);
  const leather = [
    hsl(220, 0.08, 0.16),
    hsl(25, 0.45, 0.32),
    darken(ctx.accent, 0.15),
    hsl(ctx.hue, 0.3, 0.3),
  ][pick(ctx, 4)]!;
  // top controls
  c.fillRoundedRect(322, 128, 50, 26, 6, metal(322, 0, 372, 0, 0.6));
  c.fillRoundedRect(330, 122, 34, 12, 5, ctx.accent);
  c.fillRoundedRect(98, 134, 58, 20, 5, metal(98, 0, 156, 0, 0.5));
  c.fill(hump, bodyPaint(hump, top, 0.25));
  c.fill(body, bodyPaint(body, top, 0.25));
  // leatherette band
  c.clip(body, () => {
    c.fill(rect(60, 196, 360, 134), bodyPaint(rect(60, 196, 360, 134), leather, 0.2));
    // texture dots
    for (let y = 202; y < 330; y += 8) {
      for (let x = 72 + ((y / 8) % 2) * 4; x < 410; x += 8) c.fillCircle(x, y, 1.2, withAlpha(WHITE, 0.06));
    }
  });
  // viewfinder window and flash
  c.fillRoundedRect(210, 118, 60, 26, 6, INK);
  c.fillRoundedRect(216, 123, 22, 10, 3, withAlpha(WHITE, 0.3));
  c.fillRoundedRect(96, 166, 56, 20, 5, dgrad(96, 166, 152, 186, hsl(50, 0.3, 0.95), hsl(40, 0.2, 0.7)));
  // accent dot, position by variant
  const dotX = [360, 120, 380, 340][pick(ctx, 4)]!;
  c.fillCircle(dotX, 176, 7, hsl(0, 0.8, 0.55));
  // lens
  c.fill(translate(circle(lensCx, lensCy, 98), 4, 8), INK, { feather: 16, opacity: 0.4 });
  c.fillCircle(lensCx, lensCy, 98, metal(lensCx - 98, lensCy - 98, lensCx + 98, lensCy + 98, 0.55));
  c.fill(ring(lensCx, lensCy, 86, 8), darken(hsl(215, 0.05, 0.4), 0.4));
  for (let i = 0; i < 48; i++) {
    const a = (i / 48) * Math.PI * 2;
    c.strokeLine(
      lensCx + Math.cos(a) * 83,
      lensCy + Math.sin(a) * 83,
      lensCx + Math.cos(a) * 89,
      lensCy + Math.sin(a) * 89,
      2,
      withAlpha(WHITE, 0.25),
    );
  }
  c.fillCircle(lensCx, lensCy, 76, INK);
  c.fill(ring(lensCx, lensCy, 70, 3), withAlpha(ctx.accent, 0.9));
  const glassHue = ctx.hue + 220 + pick(ctx, 3) * 40;
  c.fillCircle(
    lensCx,
    lensCy,
    62,
    radialGradient(lensCx - 15, lensCy - 20, 80, [
      [0, hsl(glassHue, 0.7, 0.45)],
      [0.45, hsl(glassHue + 30, 0.7, 0.22)],
      [1, hsl(glassHue + 40, 0.5, 0.06)],
    ]),
  );
  c.fill(ring(lensCx, lensCy, 40, 6), withAlpha(INK, 0.45));
  c.fillCircle(lensCx, lensCy, 22, hsl(glassHue + 40, 0.5, 0.08));
  c.fill(arc(lensCx, lensCy, 50, Math.PI * 1.1, Math.PI * 1.45, 8), withAlpha(WHITE, 0.55));
  c.fillCircle(lensCx + 22, lensCy + 20, 7, withAlpha(WHITE, 0.35));
  c.fillCircle(lensCx - 8, lensCy - 30, 4, withAlpha(WHITE, 0.7));
  sheen(ctx, body, 0.1);
}

function drawTablet(ctx: Ctx): void {
  const { c, rnd } = ctx;
  const f = ctx.finish;
  const body = roundedRect(48, 86, 384, 272, 28);
  floorShadow(ctx, 240, 420, 200, 11);
  dropShadow(ctx, body);
  c.fill(body, bodyPaint(body, f.base, 0.3));
  c.fillRoundedRect(55, 93, 370, 258, 22, INK);
  const sx = 70;
  const sy = 108;
  const sw = 340;
  const sh = 228;
  const screen = roundedRect(sx, sy, sw, sh, 10);
  wallpaper(ctx, screen);
  c.clip(screen, () => {
    // sidebar + cards
    c.fillRect(sx, sy, 78, sh, withAlpha(WHITE, 0.55));
    for (let k = 0; k < 6; k++) {
      c.fillRoundedRect(
        sx + 12,
        sy + 18 + k * 26,
        k === pick(ctx, 6) ? 56 : 44,
        10,
        4,
        k === pick(ctx, 6) ? ctx.accent : hsl(220, 0.1, 0.6, 0.6),
      );
    }
    const cols = 3;
    const cw = (sw - 78 - 16 * (cols + 1)) / cols;
    for (let r = 0; r < 2; r++) {
      for (let k = 0; k < cols; k++) {
        const x = sx + 78 + 16 + k * (cw + 16);
        const y = sy + 18 + r * 104;
        const card = roundedRect(x, y, cw, 92, 8);
        c.fill(translate(card, 2, 4), INK, { feather: 10, opacity: 0.2 });
        c.fill(card, withAlpha(WHITE, 0.92));
        const h = ctx.hue + (r * 3 + k) * 60 + ctx.variant * 40 + rnd() * 30;
        c.fillRoundedRect(
          x + 6,
          y + 6,
          cw - 12,
          50,
          5,
          dgrad(x, y, x + cw, y + 56, hsl(h, 0.7, 0.65), hsl(h + 40, 0.7, 0.5)),
        );
        c.fillRoundedRect(x + 6, y + 64, cw * 0.7, 7, 3, hsl(220, 0.1, 0.55));
        c.fillRoundedRect(x + 6, y + 76, cw * 0.45, 7, 3, hsl(220, 0.1, 0.8));
      }
    }
  });
  c.fillCircle(240, 100, 3, hsl(230, 0.3, 0.3));
  sheen(ctx, screen, 0.1);
  // stylus
  const py = 396;
  const pen = roundedRect(110, py - 7, 236, 14, 7);
  c.fill(translate(pen, 3, 6), ctx.shadow, { feather: 10, opacity: 0.35 });
  c.fill(pen, vgrad(py - 7, py + 7, hsl(0, 0, 1), hsl(220, 0.06, 0.82)));
  c.fillPolygon(
    [
      [344, py - 7],
      [372, py - 1.5],
      [372, py + 1.5],
      [344, py + 7],
    ],
    vgrad(py - 7, py + 7, hsl(40, 0.2, 0.92), hsl(40, 0.15, 0.75)),
  );
  c.fillCircle(372, py, 2, INK);
  c.fillRect(150 + pick(ctx, 3) * 60, py - 7, 10, 14, ctx.accent);
}

function drawSpeaker(ctx: Ctx): void {
  const { c } = ctx;
  const woods = [
    hsl(28, 0.45, 0.45),
    hsl(220, 0.08, 0.18),
    hsl(ctx.hue + 180, 0.35, 0.45),
    hsl(40, 0.15, 0.92),
    hsl(22, 0.4, 0.3),
  ];
  const cab = woods[pick(ctx, woods.length)]!;
  const front = roundedRect(136, 56, 200, 348, 22);
  const side: Point[] = [
    [320, 60],
    [352, 78],
    [352, 394],
    [320, 402],
  ];
  floorShadow(ctx, 250, 410, 130, 12);
  dropShadow(ctx, union(front, polygon(side)));
  c.fill(roundedRect(300, 62, 56, 340, 18), vgrad(60, 400, darken(cab, 0.25), darken(cab, 0.45)));
  c.fill(front, bodyPaint(front, cab, 0.2));
  const metalRing = (cx: number, cy: number, r: number): void => {
    c.fillCircle(cx, cy, r, metal(cx - r, cy - r, cx + r, cy + r, 0.6));
  };
  // tweeter
  metalRing(236, 128, 40);
  c.fillCircle(236, 128, 33, INK);
  c.fillCircle(
    236,
    128,
    22,
    radialGradient(228, 120, 30, [
      [0, hsl(220, 0.1, 0.6)],
      [1, hsl(220, 0.1, 0.12)],
    ]),
  );
  c.fillCircle(230, 121, 5, withAlpha(WHITE, 0.5));
  // woofer
  const wx = 236;
  const wy = 282;
  metalRing(wx, wy, 86);
  c.fill(ring(wx, wy, 86, 4), withAlpha(ctx.accent, 0.95));
  c.fillCircle(
    wx,
    wy,
    76,
    radialGradient(wx - 20, wy - 25, 110, [
      [0, hsl(220, 0.05, 0.35)],
      [1, hsl(220, 0.08, 0.08)],
    ]),
  );
  c.fillCircle(
    wx,
    wy,
    62,
    radialGradient(wx + 10, wy + 14, 80, [
      [0, hsl(220, 0.06, 0.28)],
      [1, hsl(220, 0.08, 0.12)],
    ]),
  );
  c.fill(ring(wx, wy, 45, 2), withAlpha(WHITE, 0.08));
  c.fillCircle(
    wx,
    wy,
    26,
    radialGradient(wx - 8, wy - 10, 36, [
      [0, lighten(ctx.accent, 0.1)],
      [1, darken(ctx.accent, 0.55)],
    ]),
  );
  c.fill(arc(wx, wy, 69, Math.PI * 1.1, Math.PI * 1.4, 5), withAlpha(WHITE, 0.3));
  c.fillCircle(wx - 9, wy - 10, 6, withAlpha(WHITE, 0.45));
  // screws
  for (const [x, y] of [
    [wx - 70, wy - 70],
    [wx + 70, wy - 70],
    [wx - 70, wy + 70],
    [wx + 70, wy + 70],
  ] as const) {
    c.fillCircle(x, y, 4, metal(x - 4, y - 4, x + 4, y + 4, 0.6));
  }
  // bass port / status light
  c.fillRoundedRect(196, 378, 80, 12, 6, darken(cab, 0.6));
  c.fillCircle(236, 196, 4, pick(ctx, 2) === 0 ? hsl(130, 0.8, 0.55) : ctx.accent);
  sheen(ctx, front, 0.12);
}

function drawKeyboard(ctx: Ctx): void {
  const { c } = ctx;
  const f = ctx.finish;
  const x0 = 30;
  const y0 = 150;
  const w = 420;
  const h = 170;
  const plate = roundedRect(x0, y0, w, h, 20);
  const edge = roundedRect(x0, y0 + 12, w, h + 4, 20);
  floorShadow(ctx, 240, y0 + h + 26, 220, 12);
  dropShadow(ctx, edge, { dy: 18 });
  c.fill(edge, darken(f.base, 0.4));
  c.fill(plate, bodyPaint(plate, f.base, 0.18));
  const rows: number[][] = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
    [1.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.5],
    [1.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2.2],
    [2.3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2.7],
    [1.3, 1.3, 1.3, 6.3, 1.3, 1.3, 1.3, 1.1],
  ];
  const pad = 16;
  const unit = (w - 2 * pad) / 15;
  const gap = 4;
  const keyH = (h - 2 * pad) / rows.length;
  const alpha = f.isDark ? hsl(220, 0.06, 0.3) : hsl(0, 0, 0.98);
  const mod = f.isDark ? hsl(220, 0.06, 0.22) : hsl(220, 0.06, 0.82);
  const accentKeys = new Set(
    pick(ctx, 3) === 0
      ? ['0:0', '2:12', '4:3']
      : pick(ctx, 3) === 1
        ? ['1:2', '2:1', '2:2', '2:3']
        : ['3:0', '3:11', '0:13'],
  );
  rows.forEach((row, r) => {
    let x = x0 + pad;
    const y = y0 + pad + r * keyH;
    row.forEach((units, k) => {
      const kw = units * unit - gap;
      const isMod = units !== 1;
      const col = accentKeys.has(`${r}:${k}`) ? ctx.accent : isMod ? mod : alpha;
      c.fillRoundedRect(x, y + 2, kw, keyH - gap, 5, darken(col, 0.3));
      c.fillRoundedRect(x, y, kw, keyH - gap - 2, 5, vgrad(y, y + keyH, lighten(col, 0.12), col));
      c.fillRoundedRect(x + 3, y + 2, kw - 6, keyH - gap - 10, 4, withAlpha(WHITE, f.isDark ? 0.05 : 0.4));
      x += units * unit;
    });
  });
  // status LEDs
  for (let k = 0; k < 3; k++)
    c.fillCircle(x0 + w - 60 + k * 14, y0 + 8, 2.5, k === pick(ctx, 3) ? ctx.accent2 : withAlpha(WHITE, 0.3));
}

function drawMouse(ctx: Ctx): void {
  const { c } = ctx;
  const f = ctx.finish;
  const outline = smoothClosed(
    [
      [240, 112],
      [296, 126],
      [322, 196],
      [330, 290],
      [310, 372],
      [240, 414],
      [170, 372],
      [150, 290],
      [158, 196],
      [184, 126],
    ],
    10,
  );
  const body = polygon(outline);
  floorShadow(ctx, 248, 420, 110, 14);
  dropShadow(ctx, body, { dx: 12, dy: 14 });
  // cable, sweeping to a variant-dependent side
  const dir = pick(ctx, 2) === 0 ? 1 : -1;
  const cable = smoothOpen(
    [
      [240, 116],
      [240, 80],
      [240 + dir * 30, 44],
      [240 + dir * 110, 36],
      [240 + dir * 210, 70],
    ],
    10,
  );
  c.strokePolyline(
    cable.map(([x, y]) => [x + 4, y + 6] as Point),
    9,
    ctx.shadow,
    { opacity: 0.25, feather: 6 },
  );
  c.strokePolyline(cable, 9, darken(f.base, 0.25));
  c.fill(body, bodyPaint(body, f.base, 0.3));
  // rubber side grips, and an accent whose placement depends on the variant
  const style = pick(ctx, 3);
  c.clip(body, () => {
    for (const side of [-1, 1])
      c.fill(ellipse(240 + side * 102, 300, 30, 92), withAlpha(darken(f.base, 0.45), 0.85));
    c.fill(ellipse(240, 424, 120, 40), withAlpha(INK, 0.12));
    if (style === 0) {
      c.strokePolyline(
        smoothOpen([
          [176, 378],
          [240, 400],
          [304, 378],
        ]),
        6,
        ctx.accent,
      );
    } else if (style === 1) {
      c.fill(
        polygon([
          [140, 90],
          [340, 90],
          [340, 212],
          [280, 222],
          [240, 225],
          [200, 222],
          [140, 212],
        ]),
        withAlpha(ctx.accent, 0.75),
      );
    } else {
      c.fill(capsule(240, 250, 240, 390, 10), ctx.accent);
    }
  });
  // button split lines
  const line = darken(f.base, f.isDark ? 0.6 : 0.35);
  c.strokeLine(240, 114, 240, 214, 3, line);
  c.strokePolyline(
    smoothOpen([
      [156, 212],
      [200, 222],
      [240, 225],
      [280, 222],
      [324, 212],
    ]),
    3,
    line,
  );
  // scroll wheel
  c.fillRoundedRect(228, 138, 24, 50, 12, INK);
  c.fillRoundedRect(232, 144, 16, 38, 8, vgrad(144, 182, hsl(220, 0.05, 0.5), hsl(220, 0.05, 0.2)));
  for (let y = 150; y < 180; y += 6) c.strokeLine(234, y, 246, y, 1.5, withAlpha(WHITE, 0.25));
  c.fill(ring(240, 163, 18, 2), withAlpha(ctx.accent2, 0.7));
  // logo
  c.fillCircle(240, 330, 10, withAlpha(f.isDark ? WHITE : INK, 0.18));
  sheen(ctx, body, 0.2);
}

function drawMonitor(ctx: Ctx): void {
  const { c } = ctx;
  const f = pick(ctx, 2) === 0 ? finish(hsl(215, 0.08, 0.8)) : ctx.finish;
  const frame = roundedRect(40, 56, 400, 262, 16);
  const neck: Point[] = [
    [214, 310],
    [266, 310],
    [276, 392],
    [204, 392],
  ];
  const foot = roundedRect(138, 386, 204, 20, 10);
  floorShadow(ctx, 240, 406, 130, 10);
  dropShadow(ctx, union(frame, polygon(neck), foot), { dy: 14 });
  c.fillPolygon(neck, dgrad(204, 0, 276, 0, lighten(f.base, 0.2), darken(f.base, 0.3)));
  c.fill(foot, vgrad(386, 406, lighten(f.base, 0.25), darken(f.base, 0.3)));
  c.fill(frame, bodyPaint(frame, f.base, 0.2));
  c.fillRoundedRect(46, 62, 388, 232, 11, INK);
  desktop(ctx, 52, 68, 376, 220);
  sheen(ctx, rect(52, 68, 376, 220), 0.07);
  // chin logo and power LED
  c.fillCircle(240, 306, 5, withAlpha(f.isDark ? WHITE : INK, 0.25));
  c.fillCircle(420, 306, 2.5, pick(ctx, 3) === 0 ? hsl(130, 0.8, 0.55) : ctx.accent);
}

function drawShoe(ctx: Ctx): void {
  const { c } = ctx;
  const upperCol = [
    ctx.accent,
    hsl(0, 0, 0.96),
    hsl(220, 0.14, 0.22),
    hsl(ctx.hue + 180, 0.55, 0.5),
    hsl(ctx.hue, 0.6, 0.45),
  ][pick(ctx, 5)]!;
  const light = (0.2126 * upperCol.r + 0.7152 * upperCol.g + 0.0722 * upperCol.b) / 255 > 0.7;
  const stripe = light ? ctx.accent : pick(ctx, 2) === 0 ? hsl(0, 0, 0.98) : ctx.accent2;
  const trim = light ? darken(ctx.accent, 0.2) : darken(upperCol, 0.3);
  const upper = polygon(
    smoothClosed(
      [
        [76, 324],
        [60, 282],
        [60, 236],
        [72, 200],
        [102, 188],
        [146, 202],
        [182, 194],
        [200, 160],
        [230, 148],
        [248, 168],
        [288, 210],
        [346, 242],
        [404, 262],
        [442, 286],
        [456, 312],
        [444, 328],
        [300, 330],
      ],
      8,
    ),
  );
  const sole = polygon(
    smoothClosed(
      [
        [72, 314],
        [52, 334],
        [62, 362],
        [120, 370],
        [300, 370],
        [392, 364],
        [438, 348],
        [460, 326],
        [448, 308],
        [400, 318],
        [250, 322],
        [120, 320],
      ],
      8,
    ),
  );
  floorShadow(ctx, 256, 372, 210, 10, 0.45);
  dropShadow(ctx, union(upper, sole), { dy: 10, blur: 28 });
  c.fill(upper, bodyPaint(upper, upperCol, 0.16));
  c.clip(upper, () => {
    // tongue: a lighter panel in front of the collar
    c.fill(ellipse(222, 176, 34, 40), lighten(upperCol, 0.18));
    // collar lining and padding
    c.fill(ellipse(140, 196, 60, 13), darken(upperCol, 0.6));
    c.strokePolyline(
      smoothOpen([
        [64, 214],
        [100, 198],
        [146, 212],
        [186, 204],
      ]),
      12,
      lighten(upperCol, 0.25),
    );
    // heel counter and toe cap overlays
    c.fill(ellipse(64, 300, 58, 70), trim);
    c.fill(ellipse(446, 324, 92, 50), darken(upperCol, 0.14));
    c.strokePolyline(
      smoothOpen([
        [360, 330],
        [372, 296],
        [410, 276],
        [452, 280],
      ]),
      1.6,
      withAlpha(light ? INK : WHITE, 0.35),
    );
    // eyestay along the lacing
    c.strokePolyline(
      [
        [190, 196],
        [236, 206],
        [300, 238],
      ],
      26,
      darken(upperCol, 0.1),
    );
    // side stripe
    const top = smoothOpen(
      [
        [90, 300],
        [190, 286],
        [262, 258],
        [318, 226],
      ],
      6,
    );
    const bottom = smoothOpen(
      [
        [322, 240],
        [262, 278],
        [190, 306],
        [92, 318],
      ],
      6,
    );
    c.fill(polygon([...top, ...bottom]), stripe);
  });
  // laces: eyelets along the stay with lace segments crossing over the tongue, and a bow
  const laceCol = light ? hsl(220, 0.1, 0.3) : hsl(0, 0, 0.98);
  for (let k = 0; k < 5; k++) {
    const t = k / 4;
    const x = 202 + t * 92;
    const y = 196 + t * 40 - t * t * 4;
    c.strokeLine(x, y, x + 18, y - 16, 6, darken(laceCol, 0.25));
    c.strokeLine(x - 1, y - 1, x + 17, y - 17, 4, laceCol);
    c.fillCircle(x, y, 4, darken(upperCol, 0.55));
    c.fillCircle(x, y, 2, withAlpha(WHITE, 0.5));
  }
  c.fill(ring(206, 170, 10, 4), laceCol);
  c.fill(ring(230, 164, 9, 4), laceCol);
  c.strokePolyline(
    smoothOpen([
      [218, 172],
      [208, 190],
      [196, 200],
    ]),
    4,
    laceCol,
  );
  // heel pull tab
  c.fill(capsule(74, 190, 66, 226, 13), ctx.accent2);
  // sole: white midsole, coloured outsole, tread marks
  c.fill(sole, vgrad(308, 370, hsl(0, 0, 1), hsl(40, 0.1, 0.86)));
  c.clip(sole, () => {
    c.fill(
      rect(40, 354, 440, 20),
      vgrad(354, 372, darken(hsl(ctx.hue, 0.25, 0.55), 0.1), darken(hsl(ctx.hue, 0.25, 0.55), 0.4)),
    );
    for (let x = 70; x < 450; x += 16) c.fillRect(x, 364, 8, 8, withAlpha(INK, 0.2));
    c.strokePolyline(
      smoothOpen([
        [60, 340],
        [200, 344],
        [390, 340],
        [456, 322],
      ]),
      3,
      withAlpha(ctx.accent, 0.7),
    );
  });
  for (let x = 90; x < 400; x += 14) c.strokeLine(x, 326, x + 7, 326, 1.5, withAlpha(INK, 0.2));
  sheen(ctx, upper, 0.14);
}

function drawBackpack(ctx: Ctx): void {
  const { c } = ctx;
  const main = [
    ctx.accent,
    hsl(220, 0.15, 0.25),
    hsl(ctx.hue + 180, 0.45, 0.45),
    hsl(40, 0.45, 0.55),
    hsl(150, 0.3, 0.35),
  ][pick(ctx, 5)]!;
  const pocketCol = pick(ctx, 2) === 0 ? darken(main, 0.18) : mix(main, ctx.accent2, 0.55);
  const body = roundedRect(126, 88, 228, 318, [96, 96, 34, 34]);
  const handle = arc(240, 96, 30, Math.PI, 2 * Math.PI, 12);
  floorShadow(ctx, 240, 412, 140, 12);
  dropShadow(ctx, union(body, handle));
  // shoulder straps peeking out on the sides
  for (const side of [-1, 1]) {
    const x = side < 0 ? 110 : 334;
    c.fillRoundedRect(x, 140, 36, 230, 16, darken(main, 0.45));
    c.fillRoundedRect(x + (side < 0 ? -4 : 18), 300, 22, 26, 4, metal(0, 300, 0, 326, 0.5));
  }
  c.fill(handle, darken(main, 0.45));
  c.fill(body, bodyPaint(body, main, 0.22));
  c.clip(body, () => {
    // base panel
    c.fill(rect(120, 370, 240, 40), darken(main, 0.3));
    // main zipper around the top
    c.fill(arc(240, 200, 92, Math.PI, 2 * Math.PI, 5), darken(main, 0.45));
    c.fill(capsule(148, 200, 148, 262, 5), darken(main, 0.45));
    c.fill(capsule(332, 200, 332, 262, 5), darken(main, 0.45));
  });
  // zipper pulls on the main zip
  const pullA = Math.PI * (1.2 + pick(ctx, 4) * 0.13);
  const px = 240 + Math.cos(pullA) * 92;
  const py = 200 + Math.sin(pullA) * 92;
  c.fillRoundedRect(px - 5, py - 2, 10, 24, 4, metal(px - 5, 0, px + 5, 0, 0.6));
  // front pocket
  const pocket = roundedRect(154, 256, 172, 128, [36, 36, 26, 26]);
  c.fill(translate(pocket, 0, 5), withAlpha(INK, 0.25), { feather: 8 });
  c.fill(pocket, bodyPaint(pocket, pocketCol, 0.2));
  c.fill(capsule(174, 278, 306, 278, 4), darken(pocketCol, 0.5));
  const zx = 184 + ((ctx.variant * 37) % 110);
  c.fillRoundedRect(zx - 5, 276, 10, 26, 4, metal(zx - 5, 0, zx + 5, 0, 0.65));
  c.fill(ring(zx, 300, 5, 2.5), metal(zx - 5, 0, zx + 5, 0, 0.5));
  // stitching
  for (let x = 170; x < 312; x += 12) c.strokeLine(x, 372, x + 6, 372, 1.5, withAlpha(WHITE, 0.35));
  // patch / label
  c.fillRoundedRect(212, 206, 56, 28, 8, ctx.accent2);
  c.fillRoundedRect(224, 216, 32, 8, 4, withAlpha(WHITE, 0.8));
  sheen(ctx, body, 0.14);
}
