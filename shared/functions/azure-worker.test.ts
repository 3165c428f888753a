import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { defineHttp } from '../http/define.js';
import { ok, type AnyHttpFunction } from '../http/types.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import { registerWithAzure } from './azure-host.js';

/**
 * The Functions worker loads `@azure/functions-core` into the process; the library registers its
 * programming model and each function with it. This test plays the worker: a stand-in core module
 * records the registrations, then an invocation goes through the library's own InvocationModel
 * (RPC data -> HttpRequest -> our handler -> RPC response), as on Azure.
 */
interface Registered {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
  handler: (...args: unknown[]) => unknown;
}
interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: unknown): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{ returnValue?: { http?: Record<string, unknown> } }>;
}
const core = {
  model: undefined as { getInvocationModel(ctx: unknown): InvocationModel } | undefined,
  functions: [] as Registered[],
};

const coreFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'functions-core-')), 'core.cjs');
fs.writeFileSync(
  coreFile,
  `const core = globalThis.__functionsCore;
   module.exports = {
     setProgrammingModel: (model) => { core.model = model; },
     registerFunction: (metadata, handler) => { core.functions.push({ metadata, handler }); return { dispose() {} }; },
     registerHook: () => ({ dispose() {} }),
     log: () => {},
   };`,
);
(globalThis as { __functionsCore?: typeof core }).__functionsCore = core;
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = (request, ...rest) =>
  request === '@azure/functions-core' ? coreFile : resolve(request, ...rest);

const echoId: AnyHttpFunction = defineHttp({
  name: 'worker-test-product',
  route: 'product/{id:int}',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  summary: 'echo the id',
  tags: ['test'],
  handler: async ({ params, clientIp }) => ok({ params, clientIp }),
}) as AnyHttpFunction;

let dataDir: string;
before(async () => {
  process.env['FUNCTIONS_WORKER_RUNTIME'] = 'node';
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-worker-test-'));
  await startPlatform({ env: { DATA_DIR: dataDir }, logSinks: [() => {}] });
  registerWithAzure({ type: 'http', fn: echoId });
});
after(async () => {
  delete process.env['FUNCTIONS_WORKER_RUNTIME'];
  moduleInternals._resolveFilename = resolve;
  await stopPlatform();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('an HTTP function inside the Functions worker', () => {
  it('is registered with the function auth level, so only a caller with a key (API Management) gets through', () => {
    const registered = core.functions.find((f) => f.metadata.name === 'worker-test-product');
    assert.ok(registered, 'the library registered the function with the worker');
    const trigger = Object.values(registered.metadata.bindings).find((b) => b['type'] === 'httpTrigger');
    assert.equal(trigger?.['authLevel'], 'function');
    assert.equal(trigger?.['route'], 'product/{id:int}');
  });

  it('receives an {id:int} route value through the library’s own request conversion', async () => {
    const registered = core.functions.find((f) => f.metadata.name === 'worker-test-product');
    assert.ok(core.model && registered);
    // What the host sends for GET /api/product/7: the route values as strings in the HTTP data, and
    // typed (an int) in the trigger metadata.
    const model = core.model.getInvocationModel({
      invocationId: 'inv-1',
      metadata: { name: registered.metadata.name, bindings: registered.metadata.bindings },
      request: {
        inputData: [
          {
            name: Object.keys(registered.metadata.bindings).find(
              (k) => registered.metadata.bindings[k]?.['type'] === 'httpTrigger',
            ),
            data: {
              http: {
                method: 'GET',
                url: 'https://shop-func.azurewebsites.net/api/product/7',
                headers: { 'x-client-ip': '203.0.113.9', 'x-forwarded-for': '10.9.9.9' },
                params: { id: '7' },
                query: {},
              },
            },
          },
        ],
        triggerMetadata: { id: { int: 7 } },
      },
    });
    const { context, inputs } = await model.getArguments();
    const result = await model.invokeFunction(context, inputs, registered.handler);
    const response = await model.getResponse(context, result);

    const http = response.returnValue?.http ?? {};
    assert.equal(http['statusCode'], '200');
    const body = http['body'] as { bytes?: Uint8Array; string?: string } | undefined;
    const text = body?.string ?? Buffer.from(body?.bytes ?? []).toString('utf8');
    const envelope = JSON.parse(text) as { data: { params: { id: string }; clientIp: string } };
    assert.deepEqual(envelope.data.params, { id: '7' });
    assert.equal(envelope.data.clientIp, '203.0.113.9', 'the address APIM wrote, never X-Forwarded-For');
  });
});
