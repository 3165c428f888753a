import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pngImage } from '../testing/images.js';
import { AzureBlobStore } from './azure-blob-store.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

// ---- builders -----------------------------------------------------------------------------------

const aKey = (extension = 'png') => `contract/${randomUUID()}.${extension}`;

const aPng = () => pngImage({ width: 3, height: 2 });

// ---- the contract -------------------------------------------------------------------------------

interface Harness {
  store: BlobStore;
  baseUrl: string;
  close(): Promise<void>;
}

function blobStoreContract(name: string, start: () => Promise<Harness>) {
  describe(`${name} (blob store contract)`, () => {
    let h: Harness;
    before(async () => (h = await start()));
    after(() => h.close());

    it('returns the bytes and content type that were put', async () => {
      const key = aKey();
      const bytes = await aPng();
      await h.store.put(key, bytes, 'image/png');
      const blob = await h.store.get(key);
      assert.ok(blob);
      assert.deepEqual(blob.bytes, bytes);
      assert.equal(blob.contentType, 'image/png');
    });

    it('keeps the content type given, whatever the key ends with', async () => {
      const key = aKey('bin');
      await h.store.put(key, Buffer.from('RIFF....WEBP'), 'image/webp');
      assert.equal((await h.store.get(key))?.contentType, 'image/webp');
    });

    it('replaces a blob put again under the same key', async () => {
      const key = aKey();
      await h.store.put(key, Buffer.from('first'), 'image/png');
      await h.store.put(key, Buffer.from('second'), 'image/png');
      assert.equal((await h.store.get(key))?.bytes.toString(), 'second');
    });

    it('answers null for a missing key', async () => {
      assert.equal(await h.store.get(aKey()), null);
    });

    it('deletes a blob, and deleting a missing one is harmless', async () => {
      const key = aKey();
      await h.store.put(key, await aPng(), 'image/png');
      await h.store.delete(key);
      assert.equal(await h.store.get(key), null);
      await h.store.delete(key);
    });

    it('gives an absolute URL that names the key', () => {
      const key = aKey();
      const url = new URL(h.store.url(key, h.baseUrl));
      assert.match(url.protocol, /^https?:$/);
      assert.ok(url.pathname.endsWith(`/${key}`), url.href);
      assert.equal(url.href, h.store.urlPrefix(h.baseUrl) + key, 'the prefix followed by the key');
    });

    it('refuses invalid keys', async () => {
      for (const key of ['../x', 'a/../../x', '/abs', 'a//b', '', '.hidden', 'sp ace.png']) {
        await assert.rejects(
          h.store.put(key, Buffer.from('x'), 'image/png'),
          /invalid blob key/,
          `put ${key}`,
        );
        await assert.rejects(h.store.get(key), /invalid blob key/, `get ${key}`);
        await assert.rejects(h.store.delete(key), /invalid blob key/, `delete ${key}`);
        assert.throws(() => h.store.url(key, h.baseUrl), /invalid blob key/, `url ${key}`);
      }
    });

    it('answers ping', async () => {
      await h.store.ping();
    });
  });
}

// ---- the adapters -------------------------------------------------------------------------------

blobStoreContract('LocalBlobStore', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-blobs-test-'));
  return {
    store: new LocalBlobStore(root, undefined),
    baseUrl: 'http://127.0.0.1:7071',
    close: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

/** A free loopback port (the OS picks one; it is released for Azurite to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.end() !== undefined));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Azurite did not listen on ${port} within ${timeoutMs} ms`);
}

// The account and key every Azurite instance has (public, documented by Microsoft).
const azuriteAccount = 'devstoreaccount1';
const azuriteKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

blobStoreContract('AzureBlobStore against Azurite', async () => {
  const port = await freePort();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-azurite-'));
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  const azurite = spawn(
    process.execPath,
    [
      main,
      ...['--blobHost', '127.0.0.1', '--blobPort', String(port)],
      ...['--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry'],
    ],
    // Its working folder is a temp one, so nothing it might write lands in the repository.
    { cwd: workspace, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitForPort(port, azurite);
  } catch (error) {
    azurite.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${azuriteAccount}`,
    `AccountKey=${azuriteKey}`,
    `BlobEndpoint=http://127.0.0.1:${port}/${azuriteAccount}`,
  ].join(';');
  const store = AzureBlobStore.fromConnectionString(connectionString, 'media');
  await store.ensureContainer();
  return {
    store,
    baseUrl: 'http://127.0.0.1:7071',
    async close() {
      const exited = new Promise((resolve) => azurite.once('exit', resolve));
      azurite.kill();
      await exited;
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
});
