import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { PRODUCT_KINDS, type ProductImageSpec, productSvg, renderProductImage } from './product-image.js';

async function decode(png: Buffer): Promise<{ width: number; height: number; data: Buffer }> {
  assert.equal((await sharp(png).metadata()).format, 'png');
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

const pixels = async (spec: ProductImageSpec) => (await decode(await renderProductImage(spec))).data;

/**
 * Fraction of pixels whose colour differs noticeably between two same-sized RGBA images, looking
 * only at the central square (half the width and height), where the product is drawn.
 */
function differingFraction(a: Buffer, b: Buffer, size: number): number {
  assert.equal(a.length, b.length);
  assert.equal(a.length, size * size * 4);
  const lo = Math.floor(size / 4);
  const hi = Math.ceil((size * 3) / 4);
  let differing = 0;
  for (let y = lo; y < hi; y++) {
    for (let x = lo; x < hi; x++) {
      const i = (y * size + x) * 4;
      const d = Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
      if (d > 24) differing++;
    }
  }
  return differing / ((hi - lo) * (hi - lo));
}

function distinctColours(data: Buffer): number {
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  return seen.size;
}

test('renders an opaque PNG of the default size (480x480)', async () => {
  const { width, height, data } = await decode(
    await renderProductImage({ kind: 'phone', hue: 210, variant: 0 }),
  );
  assert.equal(width, 480);
  assert.equal(height, 480);
  for (let i = 3; i < data.length; i += 4) assert.equal(data[i], 255, 'every pixel is opaque');
});

test('renders the requested size, filled edge to edge, including non-square ones', async () => {
  for (const [w, h] of [
    [640, 360],
    [200, 300],
    [64, 64],
  ] as const) {
    const img = await decode(
      await renderProductImage({ kind: 'laptop', hue: 30, variant: 2, width: w, height: h }),
    );
    assert.equal(img.width, w);
    assert.equal(img.height, h);
    for (let i = 3; i < img.data.length; i += 4) assert.equal(img.data[i], 255, `${w}x${h}: opaque`);
  }
});

test('every kind draws a detailed product that stands out from the background', async () => {
  for (const kind of PRODUCT_KINDS) {
    const data = await pixels({ kind, hue: 140, variant: 1 });
    const colours = distinctColours(data);
    assert.ok(colours > 1000, `${kind}: expected a detailed picture, got only ${colours} distinct colours`);
    // The product covers much of the middle: there, many pixels differ clearly from the background
    // at the left edge of the same row.
    let standingOut = 0;
    for (let y = 120; y < 360; y++) {
      const edge = (y * 480 + 2) * 4;
      for (let x = 120; x < 360; x++) {
        const i = (y * 480 + x) * 4;
        const d =
          Math.abs(data[i]! - data[edge]!) +
          Math.abs(data[i + 1]! - data[edge + 1]!) +
          Math.abs(data[i + 2]! - data[edge + 2]!);
        if (d > 30) standingOut++;
      }
    }
    assert.ok(standingOut / (240 * 240) > 0.25, `${kind}: the middle looks like the background`);
  }
});

test('different kinds yield clearly different images', async () => {
  const size = 160;
  const images = await Promise.all(
    PRODUCT_KINDS.map(async (kind) => ({
      kind,
      data: await pixels({ kind, hue: 200, variant: 0, width: size, height: size }),
    })),
  );
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      const f = differingFraction(images[i]!.data, images[j]!.data, size);
      assert.ok(
        f > 0.15,
        `${images[i]!.kind} vs ${images[j]!.kind}: only ${(f * 100).toFixed(1)}% of pixels differ`,
      );
    }
  }
});

test('two variants of the same kind differ visibly', async () => {
  const size = 240;
  for (const kind of PRODUCT_KINDS) {
    const spec = (variant: number): ProductImageSpec => ({
      kind,
      hue: 320,
      variant,
      width: size,
      height: size,
    });
    const a = await pixels(spec(0));
    for (const v of [1, 2, 3]) {
      const f = differingFraction(a, await pixels(spec(v)), size);
      assert.ok(f > 0.03, `${kind} variant 0 vs ${v}: only ${(f * 100).toFixed(2)}% of pixels differ`);
    }
  }
});

test('the hue changes the picture', async () => {
  const a = await pixels({ kind: 'watch', hue: 0, variant: 0 });
  const b = await pixels({ kind: 'watch', hue: 180, variant: 0 });
  assert.ok(differingFraction(a, b, 480) > 0.3);
});

test('rendering is deterministic: the same spec gives identical bytes', async () => {
  for (const kind of PRODUCT_KINDS) {
    const spec: ProductImageSpec = { kind, hue: 75, variant: 7, width: 240, height: 240 };
    const first = await renderProductImage(spec);
    const second = await renderProductImage({ ...spec });
    assert.ok(first.equals(second), `${kind}: output changed between two renders`);
  }
  const digest = async (spec: ProductImageSpec) =>
    createHash('sha256')
      .update(await renderProductImage(spec))
      .digest('hex');
  assert.notEqual(
    await digest({ kind: 'shoe', hue: 10, variant: 0 }),
    await digest({ kind: 'shoe', hue: 10, variant: 1 }),
  );
});

test('the templates are shapes and colours only: no text, no fonts, nothing fetched', () => {
  for (const kind of PRODUCT_KINDS) {
    for (const variant of [0, 1, 2, 3, 4, 5]) {
      const svg = productSvg({ kind, hue: variant * 60, variant });
      assert.doesNotMatch(svg, /<(text|tspan|image|script|style|foreignObject|use)\b/i, kind);
      assert.doesNotMatch(svg, /href|font|@import/i, kind);
      for (const [, target] of svg.matchAll(/url\(([^)]*)\)/g)) assert.match(target ?? '', /^#[\w-]+$/, kind);
    }
  }
});

test('out-of-range hues and variants are normalised rather than rejected', async () => {
  const a = await renderProductImage({ kind: 'mouse', hue: 30, variant: 3 });
  const b = await renderProductImage({ kind: 'mouse', hue: 390, variant: 3 });
  assert.ok(a.equals(b), 'hue wraps around at 360');
  const c = await decode(await renderProductImage({ kind: 'mouse', hue: -45, variant: 1234 }));
  assert.equal(c.width, 480);
});

test('rejects invalid sizes and unknown kinds', async () => {
  await assert.rejects(renderProductImage({ kind: 'phone', hue: 0, variant: 0, width: 0 }), RangeError);
  await assert.rejects(renderProductImage({ kind: 'phone', hue: 0, variant: 0, height: 10.5 }), RangeError);
  await assert.rejects(renderProductImage({ kind: 'phone', hue: 0, variant: 0, width: 100_000 }), RangeError);
  for (const kind of ['toaster', 'toString', '__proto__']) {
    await assert.rejects(
      renderProductImage({ kind: kind as ProductImageSpec['kind'], hue: 0, variant: 0 }),
      RangeError,
    );
  }
});
