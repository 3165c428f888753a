import busboy from 'busboy';
import { AppError } from './errors.js';
import { formatBytes } from './sizes.js';
import type { FileFieldRule, UploadedFile } from './types.js';

export interface MultipartLimits {
  maxFileBytes: number;
  maxFields?: number;
  maxFiles?: number;
}

interface RawFile {
  field: string;
  filename: string;
  bytes: Buffer;
  truncated: boolean;
}

const imageTypes = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/gif', 'gif'],
]);

/** Reads a whole multipart/form-data body held in memory (the host already capped its size). */
export function readMultipart(
  body: Buffer,
  contentType: string,
  limits: MultipartLimits,
): Promise<{ fields: Record<string, string>; files: RawFile[] }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: {
          fileSize: limits.maxFileBytes,
          fields: limits.maxFields ?? 100,
          files: limits.maxFiles ?? 20,
        },
      });
    } catch {
      reject(new AppError('malformed_body', 'The form data could not be read (missing multipart boundary).'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: RawFile[] = [];
    let limitHit = '';
    parser.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('close', () => {
        files.push({
          field,
          filename: info.filename ?? '',
          bytes: Buffer.concat(chunks),
          truncated: (stream as unknown as { truncated?: boolean }).truncated === true,
        });
      });
    });
    parser.on(
      'filesLimit',
      () => (limitHit = `at most ${limits.maxFiles ?? 20} files may be uploaded at once`),
    );
    parser.on(
      'fieldsLimit',
      () => (limitHit = `at most ${limits.maxFields ?? 100} form fields are accepted`),
    );
    parser.on('error', () => reject(new AppError('malformed_body', 'The form data is malformed.')));
    parser.on('close', () => {
      if (limitHit) reject(new AppError('payload_too_large', `Too much form data: ${limitHit}.`));
      else resolve({ fields, files });
    });
    parser.end(body);
  });
}

/**
 * Keeps the files of the declared fields, rejecting any that is too large (never truncated
 * silently) or is not a JPEG, PNG, WebP or GIF by its bytes. SVG is refused: it can carry script.
 */
export async function checkImages(
  files: RawFile[],
  rules: Record<string, FileFieldRule>,
  maxFileBytes: number,
): Promise<UploadedFile[]> {
  const accepted: UploadedFile[] = [];
  const counts = new Map<string, number>();
  for (const file of files) {
    const rule = rules[file.field];
    if (!rule || (file.bytes.length === 0 && !file.truncated)) continue;
    const name = file.filename || file.field;
    if (file.truncated) {
      throw new AppError(
        'payload_too_large',
        `"${name}" is larger than the ${formatBytes(maxFileBytes)} limit.`,
        {
          field: file.field,
        },
      );
    }
    const count = (counts.get(file.field) ?? 0) + 1;
    counts.set(file.field, count);
    if (count > rule.maxCount) {
      throw new AppError(
        'validation_failed',
        `At most ${rule.maxCount} file(s) may be sent as "${file.field}".`,
        {
          field: file.field,
        },
      );
    }
    // Loaded with the first upload: most requests carry none, and a start need not pay for them.
    const { fileTypeFromBuffer } = await import('file-type');
    const detected = await fileTypeFromBuffer(file.bytes);
    const extension = detected ? imageTypes.get(detected.mime) : undefined;
    if (!detected || !extension) {
      throw new AppError(
        'unsupported_media_type',
        `"${name}" is not a supported image. Upload a JPEG, PNG, WebP or GIF file (SVG is not accepted).`,
        { field: file.field },
      );
    }
    await assertDecodes(file.bytes, name, file.field);
    accepted.push({
      field: file.field,
      filename: file.filename,
      contentType: detected.mime,
      extension,
      bytes: file.bytes,
    });
  }
  return accepted;
}

/** The largest image accepted, in pixels: bigger ones are refused before they are decoded. */
export const MAX_IMAGE_PIXELS = 40_000_000;

/**
 * Decodes the whole image (libvips through sharp): a file whose header looks right but whose data is
 * truncated or damaged would otherwise be stored and shown as a blank picture in the storefront.
 */
async function assertDecodes(bytes: Buffer, name: string, field: string): Promise<void> {
  try {
    const { default: sharp } = await import('sharp');
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS }).stats();
  } catch (error) {
    const tooLarge = error instanceof Error && /pixel limit/i.test(error.message);
    throw tooLarge
      ? new AppError(
          'payload_too_large',
          `"${name}" has more than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.`,
          { field },
        )
      : new AppError(
          'unsupported_media_type',
          `"${name}" could not be read as an image: it may be damaged or incomplete.`,
          {
            field,
          },
        );
  }
}
