// `npm start` runs the local host from dist/bundle/ (scripts/bundle.mjs): the modules tsc wrote,
// bundled by esbuild, with native modules and lazily loaded SDKs left in node_modules. This runs
// the real build and the real bundle, and walks requests.http through it: every lazy import (Stripe's
// SDK for the local checkout's webhook signatures, bcrypt at the first sign-in), the email templates
// found beside their module and the docs page's assets must still resolve from the bundle.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runHttpFile } from '../requests/http-file.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'dist', 'bundle', 'local.js');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the bundled local host (npm start)', () => {
  let child: ChildProcess;
  let url: string;
  let dataDir: string;
  let output = '';

  before(async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    assert.ok(fs.existsSync(entry), 'the build writes dist/bundle/local.js');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-bundle-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [entry], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        DEMO_DATA: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let waited = 0; ; waited += 100) {
      assert.equal(child.exitCode, null, `the bundle exited during start-up:\n${output}`);
      assert.ok(waited < 60_000, `no answer from the bundle within a minute:\n${output}`);
      const ok = await fetch(`${url}/api/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('walks requests.http, the local checkout and its signed webhook included, without a failure', async () => {
    const answers = await runHttpFile(path.join(root, 'requests.http'), { api: `${url}/api`, local: url });
    const failed = answers
      .filter((a) => !a.ok)
      .map((a) => `${a.request.title}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    assert.deepEqual(failed, [], output);
    const validated = answers.find((a) => a.request.url.endsWith('/order/validatestripesession'));
    assert.equal((validated?.body as { data?: { status?: string } }).data?.status, 'Approved');
  });

  it('renders emails from the templates beside the email module (the mailbox shows the order confirmation)', async () => {
    // The confirmation is sent by a message consumer shortly after the payment.
    for (let waited = 0; ; waited += 100) {
      const mailbox = await (await fetch(`${url}/mailbox`)).text();
      if (/order/i.test(mailbox) && /confirm/i.test(mailbox)) break;
      assert.ok(waited < 10_000, `no order confirmation in the mailbox:\n${mailbox.slice(0, 2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('serves the docs page and its assets from swagger-ui-dist, and a drawn demo photo', async () => {
    const docs = await fetch(`${url}/api/docs`);
    assert.equal(docs.status, 200);
    const css = await fetch(`${url}/api/docs/assets/swagger-ui.css`);
    assert.equal(css.status, 200);
    assert.ok((await css.text()).length > 1000);
    const page = z
      .object({
        data: z.object({ data: z.array(z.object({ images: z.array(z.object({ url: z.string() })) })) }),
      })
      .parse(await (await fetch(`${url}/api/product?pageSize=1`)).json());
    const photo = await fetch(page.data.data[0]?.images[0]?.url ?? '');
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/png');
  });
});
