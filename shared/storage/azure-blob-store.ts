import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { assertBlobKey, type BlobStore } from './blob-store.js';

/**
 * Azure Blob Storage (a media account apart from the Function App's own). The container allows
 * anonymous reads of blobs, so photo URLs work in the storefront without tokens.
 */
export class AzureBlobStore implements BlobStore {
  readonly kind = 'azure' as const;

  constructor(private readonly container: ContainerClient) {}

  static fromAccount(accountUrl: string, container: string, credential: TokenCredential): AzureBlobStore {
    return new AzureBlobStore(new BlobServiceClient(accountUrl, credential).getContainerClient(container));
  }

  static fromConnectionString(connectionString: string, container: string): AzureBlobStore {
    return new AzureBlobStore(
      BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container),
    );
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    assertBlobKey(key);
    await this.container.getBlockBlobClient(key).uploadData(bytes, {
      blobHTTPHeaders: {
        blobContentType: contentType,
        blobCacheControl: 'public, max-age=31536000, immutable',
      },
    });
  }

  async get(key: string): Promise<{ bytes: Buffer; contentType: string } | null> {
    assertBlobKey(key);
    const blob = this.container.getBlockBlobClient(key);
    try {
      const bytes = await blob.downloadToBuffer();
      const props = await blob.getProperties();
      return { bytes, contentType: props.contentType ?? 'application/octet-stream' };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.container.getBlockBlobClient(key).deleteIfExists();
  }

  url(key: string, baseUrl: string): string {
    assertBlobKey(key);
    return this.urlPrefix(baseUrl) + key;
  }

  /**
   * The container's URL (blobs are publicly readable), without the query a SAS connection string
   * would add: a product's JSON never carries a token. Keys need no escaping (assertBlobKey allows
   * letters, digits and `/_.-`).
   */
  urlPrefix(_baseUrl: string): string {
    return `${this.container.url.split('?')[0]}/`;
  }

  async ping(): Promise<void> {
    await this.container.getProperties();
  }

  /** Creates the container with public blob reads (Bicep does this in Azure; tests and Azurite need it). */
  async ensureContainer(): Promise<void> {
    await this.container.createIfNotExists({ access: 'blob' });
  }
}
