import type { ProductKind } from './product-image.js';

/**
 * One SVG template per kind of demo product, drawn in a 480x480 space with the product standing
 * on a soft shadow at the bottom. Shapes and colours only: the gradients `url(#body)` (the
 * product's finish), `#metal`, `#screen` (accent colours) and `#glass` and `#shadow` are defined
 * by ./product-image.ts. `random` is seeded by kind and variant, so details vary by variant and a
 * drawing is the same every time.
 */
export interface Palette {
  hue: number;
  variant: number;
  random: () => number;
  body: string;
  bodyLight: string;
  bodyDark: string;
  /** A colour that stands out on the body (light on a dark finish, dark on a light one). */
  detail: string;
  accent: string;
  accent2: string;
  shadow: string;
  light: string;
}

const INK = '#0d0f16';

const floor = (cx: number, cy: number, rx: number, ry = 16) =>
  `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="url(#shadow)"/>`;

/** A few soft circles on a screen, placed by the variant. */
function wallpaper(p: Palette, x: number, y: number, w: number, h: number): string {
  return [0, 1, 2]
    .map((i) => {
      const r = (0.18 + p.random() * 0.22) * Math.min(w, h);
      const cx = x + p.random() * w;
      const cy = y + p.random() * h;
      return `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${i === 1 ? p.light : p.accent2}" fill-opacity="${f(0.18 + i * 0.1)}"/>`;
    })
    .join('');
}

function clipped(id: string, shape: string, content: string): string {
  return `<clipPath id="${id}">${shape}</clipPath><g clip-path="url(#${id})">${shape.replace('/>', ' fill="url(#screen)"/>')}${content}</g>`;
}

export const DRAWINGS: Record<ProductKind, (p: Palette) => string> = {
  phone: (p) =>
    floor(240, 430, 120) +
    `<rect x="168" y="52" width="144" height="372" rx="30" fill="url(#body)"/>` +
    `<rect x="312" y="140" width="5" height="44" rx="2" fill="${p.bodyDark}"/>` +
    `<rect x="178" y="62" width="124" height="352" rx="22" fill="${INK}"/>` +
    clipped(
      'phone-screen',
      `<rect x="184" y="68" width="112" height="340" rx="18"/>`,
      wallpaper(p, 184, 68, 112, 340),
    ) +
    `<rect x="220" y="78" width="40" height="12" rx="6" fill="${INK}"/>`,

  laptop: (p) =>
    floor(240, 350, 210) +
    `<rect x="96" y="92" width="288" height="200" rx="12" fill="url(#body)"/>` +
    `<rect x="106" y="102" width="268" height="180" rx="6" fill="${INK}"/>` +
    clipped(
      'laptop-screen',
      `<rect x="112" y="108" width="256" height="168" rx="3"/>`,
      wallpaper(p, 112, 108, 256, 168) +
        `<rect x="${f(130 + p.random() * 60)}" y="128" width="120" height="80" rx="6" fill="${p.light}" fill-opacity="0.85"/>` +
        `<rect x="140" y="138" width="70" height="8" rx="4" fill="${p.accent}" fill-opacity="0.7"/>`,
    ) +
    `<path d="M62 296 H418 L446 330 Q448 342 436 342 H44 Q32 342 34 330 Z" fill="url(#body)"/>` +
    `<rect x="62" y="294" width="356" height="6" fill="${p.bodyDark}"/>` +
    `<rect x="200" y="306" width="80" height="16" rx="4" fill="${p.bodyDark}" fill-opacity="0.55"/>`,

  headphones: (p) =>
    floor(240, 410, 150) +
    `<path d="M128 290 V220 A112 112 0 0 1 352 220 V290" fill="none" stroke="${p.bodyDark}" stroke-width="26" stroke-linecap="round"/>` +
    `<path d="M128 280 V220 A112 112 0 0 1 352 220 V280" fill="none" stroke="${p.body}" stroke-width="14" stroke-linecap="round"/>` +
    [92, 316]
      .map(
        (x, i) =>
          `<rect x="${x}" y="240" width="72" height="140" rx="34" fill="url(#body)"/>` +
          `<rect x="${i === 0 ? x + 54 : x - 10}" y="254" width="28" height="112" rx="13" fill="${INK}" fill-opacity="0.85"/>` +
          `<circle cx="${x + 36}" cy="310" r="${f(16 + p.random() * 6)}" fill="${p.accent}"/>`,
      )
      .join(''),

  watch: (p) =>
    floor(240, 440, 90, 12) +
    `<rect x="190" y="36" width="100" height="160" rx="22" fill="${p.accent}"/>` +
    `<rect x="190" y="284" width="100" height="160" rx="22" fill="${p.accent}"/>` +
    [330, 360, 390]
      .map((y) => `<circle cx="240" cy="${y}" r="5" fill="${p.shadow}" fill-opacity="0.5"/>`)
      .join('') +
    `<rect x="158" y="146" width="164" height="188" rx="46" fill="url(#metal)"/>` +
    `<rect x="322" y="210" width="14" height="34" rx="5" fill="url(#metal)"/>` +
    `<rect x="172" y="160" width="136" height="160" rx="36" fill="${INK}"/>` +
    [
      [58, p.accent],
      [44, p.accent2],
      [30, p.light],
    ]
      .map(([r, colour]) => {
        const length = 2 * Math.PI * Number(r);
        const shown = (0.45 + p.random() * 0.5) * length;
        return `<circle cx="240" cy="240" r="${r}" fill="none" stroke="${colour}" stroke-width="10" stroke-linecap="round" stroke-dasharray="${f(shown)} ${f(length)}" transform="rotate(-90 240 240)"/>`;
      })
      .join(''),

  camera: (p) =>
    floor(240, 372, 190) +
    `<path d="M176 156 L196 112 H292 L312 156 Z" fill="${p.bodyDark}"/>` +
    `<rect x="78" y="148" width="324" height="204" rx="26" fill="url(#body)"/>` +
    `<rect x="78" y="148" width="74" height="204" rx="26" fill="${p.bodyDark}" fill-opacity="0.6"/>` +
    `<rect x="104" y="134" width="42" height="16" rx="5" fill="${p.accent}"/>` +
    `<rect x="334" y="166" width="46" height="24" rx="5" fill="${p.light}"/>` +
    `<circle cx="262" cy="256" r="94" fill="url(#metal)"/>` +
    `<circle cx="262" cy="256" r="78" fill="${INK}"/>` +
    `<circle cx="262" cy="256" r="60" fill="url(#glass)"/>` +
    `<circle cx="262" cy="256" r="${f(18 + p.random() * 10)}" fill="${p.accent}" fill-opacity="0.35"/>` +
    `<ellipse cx="238" cy="228" rx="18" ry="11" fill="#ffffff" fill-opacity="0.45" transform="rotate(-30 238 228)"/>`,

  tablet: (p) =>
    floor(240, 436, 150) +
    `<rect x="112" y="56" width="256" height="364" rx="28" fill="url(#body)"/>` +
    `<rect x="122" y="66" width="236" height="344" rx="20" fill="${INK}"/>` +
    clipped(
      'tablet-screen',
      `<rect x="130" y="74" width="220" height="328" rx="14"/>`,
      wallpaper(p, 130, 74, 220, 328) +
        Array.from({ length: 16 }, (_, i) => {
          const x = 148 + (i % 4) * 50;
          const y = 96 + Math.floor(i / 4) * 56;
          const colour = p.random() < 0.5 ? p.light : p.accent;
          return `<rect x="${x}" y="${y}" width="34" height="34" rx="9" fill="${colour}" fill-opacity="0.9"/>`;
        }).join(''),
    ) +
    `<circle cx="240" cy="70" r="3" fill="${p.bodyDark}"/>`,

  speaker: (p) =>
    floor(240, 420, 120) +
    `<pattern id="grille" width="12" height="12" patternUnits="userSpaceOnUse"><circle cx="6" cy="6" r="2.4" fill="${p.bodyDark}"/></pattern>` +
    `<rect x="150" y="64" width="180" height="350" rx="64" fill="url(#body)"/>` +
    `<rect x="166" y="128" width="148" height="262" rx="50" fill="url(#grille)"/>` +
    `<ellipse cx="240" cy="96" rx="82" ry="22" fill="${p.bodyLight}"/>` +
    `<ellipse cx="240" cy="96" rx="50" ry="11" fill="none" stroke="${p.accent}" stroke-width="5"/>` +
    [208, 272]
      .map(
        (x) =>
          `<circle cx="${x}" cy="96" r="6" fill="${p.detail}" fill-opacity="${f(0.5 + p.random() * 0.4)}"/>`,
      )
      .join(''),

  keyboard: (p) =>
    floor(240, 352, 210, 14) +
    `<rect x="40" y="150" width="400" height="190" rx="18" fill="url(#body)"/>` +
    Array.from({ length: 48 }, (_, i) => {
      const x = 54 + (i % 12) * 31.5;
      const y = 164 + Math.floor(i / 12) * 32;
      const accented = p.random() < 0.12;
      return `<rect x="${f(x)}" y="${y}" width="27" height="27" rx="5" fill="${accented ? p.accent : p.detail}" fill-opacity="${accented ? 1 : 0.85}"/>`;
    }).join('') +
    `<rect x="148" y="294" width="184" height="27" rx="5" fill="${p.detail}" fill-opacity="0.85"/>` +
    `<rect x="54" y="294" width="84" height="27" rx="5" fill="${p.accent2}"/>` +
    `<rect x="342" y="294" width="84" height="27" rx="5" fill="${p.accent2}"/>`,

  mouse: (p) =>
    floor(240, 410, 110) +
    `<path d="M240 84 C312 84 334 160 334 252 C334 350 292 402 240 402 C188 402 146 350 146 252 C146 160 168 84 240 84 Z" fill="url(#body)"/>` +
    `<path d="M148 212 Q240 232 332 212" fill="none" stroke="${p.bodyDark}" stroke-width="3"/>` +
    `<path d="M240 86 V222" stroke="${p.bodyDark}" stroke-width="3"/>` +
    `<rect x="230" y="118" width="20" height="50" rx="10" fill="${p.accent}"/>` +
    `<path d="M160 ${f(300 + p.random() * 30)} Q240 380 320 300" fill="none" stroke="${p.accent2}" stroke-width="6" stroke-linecap="round" stroke-opacity="0.8"/>`,

  monitor: (p) =>
    floor(240, 410, 150, 12) +
    `<path d="M218 300 H262 L274 392 H206 Z" fill="url(#metal)"/>` +
    `<rect x="146" y="388" width="188" height="16" rx="8" fill="url(#metal)"/>` +
    `<rect x="46" y="66" width="388" height="246" rx="14" fill="url(#body)"/>` +
    clipped(
      'monitor-screen',
      `<rect x="58" y="78" width="364" height="222" rx="6"/>`,
      `<circle cx="${f(120 + p.random() * 240)}" cy="${f(120 + p.random() * 40)}" r="28" fill="${p.light}" fill-opacity="0.85"/>` +
        `<path d="M58 300 L58 ${f(220 + p.random() * 30)} Q150 170 240 230 T422 ${f(200 + p.random() * 40)} V300 Z" fill="${p.shadow}" fill-opacity="0.45"/>` +
        `<path d="M58 300 V270 Q180 220 300 262 T422 250 V300 Z" fill="${p.shadow}" fill-opacity="0.6"/>`,
    ),

  shoe: (p) =>
    floor(246, 372, 200, 14) +
    `<path d="M60 340 C60 324 72 318 92 318 H400 C426 318 440 330 436 346 C432 360 420 366 400 366 H92 C70 366 60 356 60 340 Z" fill="${p.light}"/>` +
    `<path d="M62 348 H436" stroke="${p.accent2}" stroke-width="5"/>` +
    `<path d="M78 322 C82 270 108 236 150 222 L212 200 C232 194 248 204 258 220 L300 270 C330 290 382 292 412 300 C432 306 438 316 432 322 Z" fill="url(#body)"/>` +
    `<path d="M84 262 C90 236 110 222 134 222" fill="none" stroke="${INK}" stroke-width="12" stroke-linecap="round" stroke-opacity="0.7"/>` +
    [0, 1, 2, 3]
      .map(
        (i) =>
          `<path d="M${226 + i * 16} ${214 + i * 16} l-22 14" stroke="${p.detail}" stroke-width="5" stroke-linecap="round"/>`,
      )
      .join('') +
    `<path d="M${f(140 + p.random() * 20)} 304 C200 ${f(262 + p.random() * 20)} 270 262 340 302" fill="none" stroke="${p.accent}" stroke-width="14" stroke-linecap="round"/>`,

  backpack: (p) =>
    floor(240, 416, 140) +
    `<path d="M206 92 C206 54 274 54 274 92" fill="none" stroke="${p.bodyDark}" stroke-width="12"/>` +
    `<rect x="116" y="120" width="28" height="236" rx="13" fill="${p.bodyDark}"/>` +
    `<rect x="336" y="120" width="28" height="236" rx="13" fill="${p.bodyDark}"/>` +
    `<rect x="138" y="78" width="204" height="326" rx="64" fill="url(#body)"/>` +
    `<path d="M162 150 Q240 112 318 150" fill="none" stroke="${p.accent}" stroke-width="5" stroke-linecap="round"/>` +
    `<rect x="166" y="${f(240 + p.random() * 20)}" width="148" height="126" rx="32" fill="${p.bodyLight}" fill-opacity="0.75"/>` +
    `<path d="M184 286 H296" stroke="${p.accent2}" stroke-width="5" stroke-linecap="round"/>` +
    `<rect x="286" y="280" width="12" height="26" rx="4" fill="${p.accent}"/>`,
};

/** Two decimals at most, so the SVG text is the same on every machine. */
export function f(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** `#rrggbb` of a colour given as hue (degrees), saturation and lightness (0..1). */
export function hsl(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
