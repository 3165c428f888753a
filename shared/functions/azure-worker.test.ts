import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineHttp } from '../http/define.js';
import { ok, type AnyHttpFunction } from '../http/types.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import { standInFunctionsWorker } from '../testing/functions-worker.js';
import { registerWithAzure } from './azure-host.js';

const worker = standInFunctionsWorker();

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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-worker-test-'));
  await startPlatform({ env: { DATA_DIR: dataDir }, logSinks: [() => {}] });
  registerWithAzure({ http: [echoId], consumers: [], timers: [] }, () => startPlatform());
});
after(async () => {
  worker.restore();
  await stopPlatform();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('an HTTP function inside the Functions worker', () => {
  it('is registered with the function auth level, so only a caller with a key (API Management) gets through', () => {
    const registered = worker.functions.find((f) => f.metadata.name === 'worker-test-product');
    assert.ok(registered, 'the library registered the function with the worker');
    const trigger = Object.values(registered.metadata.bindings).find((b) => b['type'] === 'httpTrigger');
    assert.equal(trigger?.['authLevel'], 'function');
    assert.equal(trigger?.['route'], 'product/{id:int}');
  });

  it('receives an {id:int} route value through the library’s own request conversion', async () => {
    const registered = worker.functions.find((f) => f.metadata.name === 'worker-test-product');
    assert.ok(worker.model && registered);
    // What the host sends for GET /api/product/7: the route values as strings in the HTTP data, and
    // typed (an int) in the trigger metadata.
    const model = worker.model.getInvocationModel({
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
                headers: {
                  'x-shop-client-ip': '203.0.113.9',
                  'x-client-ip': '20.1.2.3',
                  'x-forwarded-for': '10.9.9.9',
                },
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
