import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobStore } from './blob-store.js';

const types: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/**
 * Files under DATA_DIR/blobs, served by the local host at /media/<key>. The content type given to
 * `put` is kept beside each file under `.types/` (no key can start with a dot), as Azure keeps it
 * with the blob; files stored without one fall back to their extension.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  constructor(
    private readonly root: string,
    private readonly publicBaseUrl: string | undefined,
  ) {}

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await writeAtomically(this.#typeFile(key), Buffer.from(contentType, 'utf8'));
    await writeAtomically(this.#file(key), bytes);
  }

  async get(key: string): Promise<{ bytes: Buffer; contentType: string } | null> {
    const file = this.#file(key);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const stored = await fs.readFile(this.#typeFile(key), 'utf8').catch(() => '');
    return {
      bytes,
      contentType: stored || (types[path.extname(key).toLowerCase()] ?? 'application/octet-stream'),
    };
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.#file(key), { force: true });
    await fs.rm(this.#typeFile(key), { force: true });
  }

  url(key: string, baseUrl: string): string {
    assertBlobKey(key);
    return this.urlPrefix(baseUrl) + key;
  }

  urlPrefix(baseUrl: string): string {
    return `${this.publicBaseUrl ?? baseUrl}/media/`;
  }

  async ping(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root);
  }

  #file(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  #typeFile(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, '.types', ...key.split('/'));
  }
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(temp, bytes);
  await fs.rename(temp, file);
}
