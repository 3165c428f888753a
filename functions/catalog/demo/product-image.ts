/**
 * Demo product pictures for the storefront: a flat illustration of the product (phone, laptop, ...)
 * on a soft background in the product's hue, written as SVG from the templates in
 * ./product-drawings.ts and rendered to PNG by sharp (libvips with librsvg). Only these templates are
 * ever rendered (uploaded SVG stays refused), and they hold shapes and colours only, no `<text>`, so
 * rendering needs no fonts: the same spec gives the same bytes.
 */
import sharp from 'sharp';
import { DRAWINGS, f, hsl, type Palette } from './product-drawings.js';

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
  /** Any non-negative integer; changes the finish, the accent colours and the details. */
  variant: number;
  /** Pixels; default 480. */
  width?: number;
  /** Pixels; default 480. */
  height?: number;
}

/** Drawings are authored in a 480x480 design space, scaled to fit (centred) in the requested size. */
const DESIGN = 480;
const MAX_SIDE = 4096;

export async function renderProductImage(spec: ProductImageSpec): Promise<Buffer> {
  return sharp(Buffer.from(productSvg(spec)))
    .png()
    .toBuffer();
}

/** The SVG of a product picture (exported for tests). */
export function productSvg(spec: ProductImageSpec): string {
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
  if (!Object.hasOwn(DRAWINGS, spec.kind)) throw new RangeError(`unknown product kind ${String(spec.kind)}`);
  const hue = Number.isFinite(spec.hue) ? Math.round(((spec.hue % 360) + 360) % 360) : 0;
  const variant = Number.isFinite(spec.variant) ? Math.abs(Math.trunc(spec.variant)) : 0;
  const palette = paletteFor(spec.kind, hue, variant);
  // The background overflows the 480 square, so a non-square picture is filled edge to edge.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${DESIGN} ${DESIGN}" preserveAspectRatio="xMidYMid meet">
<defs>
<linearGradient id="bg" x1="0" y1="0" x2="0" y2="480" gradientUnits="userSpaceOnUse"><stop offset="0" stop-color="${hsl(hue, 0.55, 0.9)}"/><stop offset="0.55" stop-color="${hsl(hue, 0.5, 0.83)}"/><stop offset="1" stop-color="${hsl(hue, 0.45, 0.7)}"/></linearGradient>
<radialGradient id="shadow"><stop offset="0" stop-color="${palette.shadow}" stop-opacity="0.45"/><stop offset="1" stop-color="${palette.shadow}" stop-opacity="0"/></radialGradient>
<linearGradient id="body" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${palette.bodyLight}"/><stop offset="0.55" stop-color="${palette.body}"/><stop offset="1" stop-color="${palette.bodyDark}"/></linearGradient>
<linearGradient id="metal" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f3f5f8"/><stop offset="0.4" stop-color="#b9c0ca"/><stop offset="0.65" stop-color="#8d95a1"/><stop offset="1" stop-color="#d5dae1"/></linearGradient>
<linearGradient id="screen" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${palette.accent}"/><stop offset="1" stop-color="${palette.accent2}"/></linearGradient>
<radialGradient id="glass" cx="0.4" cy="0.35" r="0.7"><stop offset="0" stop-color="${palette.accent2}"/><stop offset="0.45" stop-color="#1d2233"/><stop offset="1" stop-color="#07080d"/></radialGradient>
</defs>
<rect x="-2000" y="-2000" width="4480" height="4480" fill="url(#bg)"/>
${decorations(palette)}
${DRAWINGS[spec.kind](palette)}
</svg>`;
}

const ACCENT_SHIFTS = [180, 30, 300, 130, 0, 230, 60, 270, 100, 200];

function paletteFor(kind: ProductKind, hue: number, variant: number): Palette {
  const shift = ACCENT_SHIFTS[pickN(variant, ACCENT_SHIFTS.length)] ?? 0;
  const finishes: [number, number, number][] = [
    [222, 0.1, 0.22], // graphite
    [215, 0.1, 0.8], // silver
    [hue + shift, 0.35, 0.42], // tinted
    [40, 0.2, 0.97], // white
    [230, 0.3, 0.17], // midnight
  ];
  const [h, s, l] = finishes[pickN(variant, finishes.length, 2)] ?? [0, 0, 0.5];
  return {
    hue,
    variant,
    random: mulberry32(hashString(`${kind}:${variant}`)),
    body: hsl(h, s, l),
    bodyLight: hsl(h, s, Math.min(0.98, l + 0.2)),
    bodyDark: hsl(h, s, Math.max(0.06, l - 0.16)),
    detail: l < 0.5 ? hsl(h, s * 0.6, Math.min(0.92, l + 0.5)) : hsl(h, s, Math.max(0.12, l - 0.45)),
    accent: hsl(hue + shift, 0.78, 0.56),
    accent2: hsl(hue + shift + 140 + pickN(variant, 3) * 25, 0.7, 0.6),
    shadow: hsl(hue, 0.45, 0.2),
    light: hsl(hue, 0.6, 0.99),
  };
}

/** A few sparkles and rings in the corners, placed by the variant. */
function decorations(p: Palette): string {
  const corners: [number, number][] = [
    [56, 64],
    [424, 70],
    [428, 404],
    [52, 410],
  ];
  const skip = pickN(p.variant, 4);
  return corners
    .map(([x0, y0], i) => {
      if (i === skip) return '';
      const x = x0 + (p.random() - 0.5) * 30;
      const y = y0 + (p.random() - 0.5) * 30;
      const size = 9 + p.random() * 6;
      switch ((i + p.variant) % 3) {
        case 0:
          return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(size * 0.8)}" fill="${p.light}" fill-opacity="0.8"/><circle cx="${f(x + 22)}" cy="${f(y + 16)}" r="4" fill="${p.accent}" fill-opacity="0.45"/>`;
        case 1:
          return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(size)}" fill="none" stroke="${p.accent}" stroke-width="3.5" stroke-opacity="0.4"/>`;
        default:
          return `<path d="M${f(x)} ${f(y - size)} Q${f(x)} ${f(y)} ${f(x + size)} ${f(y)} Q${f(x)} ${f(y)} ${f(x)} ${f(y + size)} Q${f(x)} ${f(y)} ${f(x - size)} ${f(y)} Q${f(x)} ${f(y)} ${f(x)} ${f(y - size)} Z" fill="${p.light}" fill-opacity="0.9"/>`;
      }
    })
    .join('');
}

/**
 * Chooses one of n options for a variant: variants 0..n-1 get distinct options, and each further
 * block of n is rotated by one more step, so variants n apart still differ.
 */
function pickN(variant: number, n: number, salt = 0): number {
  return (variant + salt + Math.floor(variant / n)) % n;
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
