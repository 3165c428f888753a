/**
 * The blob port: product photos and avatars. Keys are relative paths such as
 * `products/12/3f9c.png`; the database stores keys, and services turn them into absolute URLs.
 */
export interface BlobStore {
  readonly kind: 'local' | 'azure';
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ bytes: Buffer; contentType: string } | null>;
  delete(key: string): Promise<void>;
  /** The absolute URL a browser loads the blob from. `baseUrl` is the API's public origin. */
  url(key: string, baseUrl: string): string;
  /**
   * What every blob's URL starts with: `url(key, baseUrl)` is this followed by the key. The catalog
   * keeps product JSON with image keys only and puts this in front when it answers.
   */
  urlPrefix(baseUrl: string): string;
  ping(): Promise<void>;
}

const keyPattern = /^[a-z0-9][a-z0-9/_.-]{0,200}$/i;

export function assertBlobKey(key: string): void {
  if (!keyPattern.test(key) || key.includes('..') || key.includes('//'))
    throw new Error(`invalid blob key ${key}`);
}
