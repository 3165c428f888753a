import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
}

/**
 * Starts the built shop (`dist/`) on a free loopback port with a fresh DATA_DIR (or the given one);
 * resolves once the first product list answers (`startedMs`: spawn to that first answer).
 * `nodeOptions` are passed to node before the script (e.g. a loader that records imports).
 */
export async function startShop(
  env: Record<string, string> = {},
  nodeOptions: string[] = [],
): Promise<Server & { startedMs: number; dataDir: string }> {
  const dataDir = env['DATA_DIR'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shop-bench-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, 'dist/bundle/local.js'], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the shop exited during start-up');
    try {
      const res = await fetch(`${url}/api/product?pageSize=1`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { url, pid: child.pid ?? 0, startedMs: performance.now() - started, dataDir, stop: stopper(child) };
}

/** Starts the bare node:http baseline answering the given bodies. */
export async function startBare(
  responses: Record<string, { status: number; body: string }>,
): Promise<Server> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bare-')), 'responses.json');
  fs.writeFileSync(file, JSON.stringify(responses));
  const child = spawn(process.execPath, ['bench/lib/bare-server.mjs', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) =>
      resolve(Number(/listening (\d+)/.exec(chunk.toString())?.[1])),
    );
    child.once('exit', () => reject(new Error('bare server exited')));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop: stopper(child) };
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
