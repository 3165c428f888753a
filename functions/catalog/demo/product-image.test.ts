import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { PRODUCT_KINDS, type ProductImageSpec, renderProductImage } from './product-image.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decode(buf: Buffer): { width: number; height: number; data: Buffer } {
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), 'starts with the PNG signature');
  const png = PNG.sync.read(buf);
  return { width: png.width, height: png.height, data: png.data };
}

/**
 * Fraction of pixels whose colour differs noticeably between two same-sized RGBA images, looking only at the
 * central square (half the width and height), where the product is drawn: decorations in the background
 * corners are not what these tests are about.
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

test('renders a valid, opaque PNG of the default size (480x480)', () => {
  const { width, height, data } = decode(renderProductImage({ kind: 'phone', hue: 210, variant: 0 }));
  assert.equal(width, 480);
  assert.equal(height, 480);
  assert.equal(data.length, 480 * 480 * 4);
  for (let i = 3; i < data.length; i += 4) assert.equal(data[i], 255, 'every pixel is opaque');
});

test('renders the requested size, including non-square ones', () => {
  for (const [w, h] of [
    [640, 360],
    [200, 300],
    [64, 64],
  ] as const) {
    const img = decode(renderProductImage({ kind: 'laptop', hue: 30, variant: 2, width: w, height: h }));
    assert.equal(img.width, w);
    assert.equal(img.height, h);
    assert.equal(img.data.length, w * h * 4);
  }
});

test('every kind renders an image that is not a flat colour', () => {
  for (const kind of PRODUCT_KINDS) {
    const { data } = decode(renderProductImage({ kind, hue: 140, variant: 1 }));
    const colours = distinctColours(data);
    assert.ok(colours > 2000, `${kind}: expected a detailed picture, got only ${colours} distinct colours`);
    // The product sits in the middle, so the centre must differ clearly from the background corner.
    const centre = (240 * 480 + 240) * 4;
    const diff =
      Math.abs(data[centre]! - data[0]!) +
      Math.abs(data[centre + 1]! - data[1]!) +
      Math.abs(data[centre + 2]! - data[2]!);
    assert.ok(diff > 30, `${kind}: the centre looks like the background`);
  }
});

test('different kinds yield clearly different images', () => {
  const size = 160;
  const images = PRODUCT_KINDS.map((kind) => ({
    kind,
    data: decode(renderProductImage({ kind, hue: 200, variant: 0, width: size, height: size })).data,
  }));
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

test('two variants of the same kind differ visibly', () => {
  const size = 240;
  for (const kind of PRODUCT_KINDS) {
    const spec = (variant: number): ProductImageSpec => ({
      kind,
      hue: 320,
      variant,
      width: size,
      height: size,
    });
    const a = decode(renderProductImage(spec(0))).data;
    for (const v of [1, 2, 3]) {
      const b = decode(renderProductImage(spec(v))).data;
      const f = differingFraction(a, b, size);
      assert.ok(f > 0.03, `${kind} variant 0 vs ${v}: only ${(f * 100).toFixed(2)}% of pixels differ`);
    }
  }
});

test('the hue changes the picture', () => {
  const a = decode(renderProductImage({ kind: 'watch', hue: 0, variant: 0 })).data;
  const b = decode(renderProductImage({ kind: 'watch', hue: 180, variant: 0 })).data;
  assert.ok(differingFraction(a, b, 480) > 0.3);
});

test('rendering is deterministic: the same spec gives identical bytes', () => {
  for (const kind of PRODUCT_KINDS) {
    const spec: ProductImageSpec = { kind, hue: 75, variant: 7, width: 240, height: 240 };
    const first = renderProductImage(spec);
    const second = renderProductImage({ ...spec });
    assert.ok(first.equals(second), `${kind}: output changed between two renders`);
  }
  // And across hues/variants the bytes do change (a sanity check on the check itself).
  const digest = (spec: ProductImageSpec): string =>
    createHash('sha256').update(renderProductImage(spec)).digest('hex');
  assert.notEqual(
    digest({ kind: 'shoe', hue: 10, variant: 0 }),
    digest({ kind: 'shoe', hue: 10, variant: 1 }),
  );
});

test('out-of-range hues and variants are normalised rather than rejected', () => {
  const a = renderProductImage({ kind: 'mouse', hue: 30, variant: 3 });
  const b = renderProductImage({ kind: 'mouse', hue: 390, variant: 3 });
  assert.ok(a.equals(b), 'hue wraps around at 360');
  const c = decode(renderProductImage({ kind: 'mouse', hue: -45, variant: 1234 }));
  assert.equal(c.width, 480);
});

test('rejects invalid sizes and unknown kinds', () => {
  assert.throws(() => renderProductImage({ kind: 'phone', hue: 0, variant: 0, width: 0 }), RangeError);
  assert.throws(() => renderProductImage({ kind: 'phone', hue: 0, variant: 0, height: 10.5 }), RangeError);
  assert.throws(() => renderProductImage({ kind: 'phone', hue: 0, variant: 0, width: 100_000 }), RangeError);
  for (const kind of ['toaster', 'toString', '__proto__']) {
    assert.throws(
      () => renderProductImage({ kind: kind as ProductImageSpec['kind'], hue: 0, variant: 0 }),
      RangeError,
    );
  }
});
