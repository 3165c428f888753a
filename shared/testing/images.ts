import sharp from 'sharp';

/**
 * Real pictures for upload tests (the pipeline checks an image's type by its bytes), made by sharp.
 * sharp works asynchronously: builders that hand out pictures synchronously make theirs once, when
 * their module loads (`const photo = await pngImage({ width: 2 })`).
 */
export function pngImage(options: { width: number; height?: number; noise?: boolean }): Promise<Buffer> {
  const { width, height = width, noise = false } = options;
  return sharp({
    create: {
      width,
      height,
      channels: 4,
      background: { r: 200, g: 200, b: 200, alpha: 1 },
      // Gaussian noise in every channel does not compress: about 4 bytes a pixel.
      ...(noise ? { noise: { type: 'gaussian' as const, mean: 128, sigma: 120 } } : {}),
    },
  })
    .png()
    .toBuffer();
}
