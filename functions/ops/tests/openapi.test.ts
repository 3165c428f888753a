// The OpenAPI document says what a client developer needs: every status each route can answer,
// required fields, enums, limits, sane examples. Statuses are checked two ways: against what the
// code can throw (tools/openapi/route-outcomes.ts reads the handlers and everything they call) and
// against what routes really answer when called with the requests that make the pipeline refuse.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import '../../index.js';
import { registry } from '../../../shared/functions/registry.js';
import { errorStatus, type ErrorCode } from '../../../shared/http/errors.js';
import { openApiDocument, outcomeOf } from '../../../shared/http/openapi.js';
import type { AnyHttpFunction } from '../../../shared/http/types.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { analyseRoutes, type RouteOutcomes } from '../../../tools/openapi/route-outcomes.js';
import { SORTS } from '../../catalog/catalog.schemas.js';
import { routeOutcomes } from '../route-outcomes.generated.js';

type Operation = {
  parameters: { name: string; in: string; schema: Record<string, unknown>; required: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  requestBody?: {
    content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }>;
  };
};
const doc = openApiDocument(registry.http, { title: 't', version: '0' }, routeOutcomes) as {
  paths: Record<string, Record<string, Operation>>;
};
const pathOf = (fn: AnyHttpFunction) =>
  '/api/' + fn.route.replace(/\{(\*?)([^}:?]+)[^}]*\}/g, (_m, _star, name: string) => `{${name}}`);
const operationOf = (fn: AnyHttpFunction, method: string): Operation => {
  const operation = doc.paths[pathOf(fn)]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${pathOf(fn)} is in the document`);
  return operation;
};
const documented = (fn: AnyHttpFunction, method: string) =>
  Object.keys(operationOf(fn, method).responses).map(Number);

/** What the pipeline answers by itself, written out here independently of openapi.ts. */
function pipelineStatuses(fn: AnyHttpFunction): number[] {
  const statuses = [500];
  if (fn.access === 'user' || fn.access === 'admin') statuses.push(401);
  if (fn.access === 'admin') statuses.push(403);
  if (fn.params || fn.query || fn.body) statuses.push(400);
  if (fn.bodyKind !== 'none') statuses.push(413);
  if (fn.bodyKind === 'json') statuses.push(400);
  if (fn.bodyKind === 'multipart') statuses.push(400, 415);
  return statuses;
}

let analysed: RouteOutcomes;
before(() => {
  analysed = analyseRoutes();
});

describe('OpenAPI: every status a route can produce is documented', () => {
  it('route-outcomes.generated.ts is what the handlers say (else: node --import tsx tools/openapi/route-outcomes.ts --write)', () => {
    assert.deepEqual(routeOutcomes, analysed);
  });

  it('every registered function has an analysed outcome', () => {
    assert.deepEqual(
      registry.http.filter((fn) => outcomeOf(analysed, fn.name) === undefined).map((fn) => fn.name),
      [],
    );
  });

  it('documents the pipeline statuses and every error code the handler can throw, per route', () => {
    const missing: string[] = [];
    for (const fn of registry.http) {
      const outcome = outcomeOf(analysed, fn.name);
      const expected = new Set([
        ...pipelineStatuses(fn),
        ...(outcome?.errors ?? []).map((code: ErrorCode) => errorStatus[code]),
        ...(outcome?.success ?? [200]),
      ]);
      for (const method of fn.methods) {
        const have = documented(fn, method);
        for (const status of expected)
          if (!have.includes(status)) missing.push(`${method} ${pathOf(fn)} ${status}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('OpenAPI: what routes really answer is documented', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ env: { MAX_BODY_BYTES: '2048' } });
  });
  after(() => host.close());

  const fill = (fn: AnyHttpFunction) =>
    pathOf(fn).replace(/\{([^}]+)\}/g, (_m, name: string) =>
      name === 'status'
        ? 'All'
        : name === 'file'
          ? 'nothing.css'
          : name === 'userId'
            ? 'someone-else'
            : '987654',
    );

  it('answers each route, called anonymously, as a customer, as an ADMIN and with bad bodies, with documented statuses', async () => {
    const customer = host.platform.tokens.sign({
      sub: 'user-x',
      sid: 's-x',
      email: 'x@shop.test',
      roles: ['CUSTOMER'],
    });
    const admin = host.platform.tokens.sign({
      sub: 'admin-x',
      sid: 's-a',
      email: 'a@shop.test',
      roles: ['ADMIN'],
    });
    const undocumented: string[] = [];
    for (const fn of registry.http) {
      for (const method of fn.methods) {
        const url = fill(fn);
        const probes: { what: string; options: Parameters<TestHost['call']>[2] }[] = [
          { what: 'anonymous', options: {} },
          { what: 'Basic auth', options: { headers: { authorization: 'Basic eDp5' } } },
          { what: 'customer, empty body', options: { token: customer } },
          { what: 'admin, empty body', options: { token: admin } },
        ];
        if (fn.bodyKind !== 'none') {
          probes.push(
            {
              what: 'admin, body too large',
              options: { token: admin, body: 'x'.repeat(4096), contentType: 'application/json' },
            },
            {
              what: 'admin, not JSON',
              options: { token: admin, body: '{oops', contentType: 'application/json' },
            },
            { what: 'admin, an empty object', options: { token: admin, json: {} } },
          );
        }
        for (const probe of probes) {
          const res = await host.call(method, url, probe.options);
          if (!documented(fn, method).includes(res.status))
            undocumented.push(
              `${method} ${pathOf(fn)} (${probe.what}): ${res.status} ${res.body.code ?? ''}`,
            );
        }
      }
    }
    assert.deepEqual(undocumented, []);
  });
});

describe('OpenAPI: what a client developer needs', () => {
  const byName = (name: string) => {
    const fn = registry.http.find((f) => f.name === name);
    assert.ok(fn, name);
    return fn;
  };

  it('POST /api/product lists conflict, size and media type answers besides 200/400/401/403', () => {
    const statuses = documented(byName('catalog-create-product'), 'POST');
    for (const s of [200, 400, 401, 403, 409, 413, 415, 500]) assert.ok(statuses.includes(s), String(s));
  });

  it('names the 401 codes of protected routes and the 404 of lookups', () => {
    const getOrder = operationOf(byName('orders-get'), 'GET');
    const codes = (
      getOrder.responses['401']?.content?.['application/json']?.schema['properties'] as Record<
        string,
        { enum?: string[] }
      >
    )['code']?.enum;
    assert.deepEqual(codes, ['token_expired', 'token_invalid', 'unauthorized']);
    assert.ok(getOrder.responses['404']);
  });

  it('marks the required multipart fields of a new product, without a 0 for ids', () => {
    const body = operationOf(byName('catalog-create-product'), 'POST').requestBody?.content[
      'multipart/form-data'
    ]?.schema;
    assert.ok(body);
    for (const field of ['name', 'price', 'quantity', 'categoryId', 'brandId'])
      assert.ok(body.required?.includes(field), `${field} is required`);
    assert.deepEqual(body.properties['categoryId'], {
      type: 'integer',
      minimum: 1,
      maximum: 2_147_483_647,
      examples: [1],
    });
    assert.ok(body.properties['imagePhotos']);
  });

  it('lists the sorts as an enum and says pageSize is capped at 50', () => {
    const parameters = operationOf(byName('catalog-list-products'), 'GET').parameters;
    const sort = parameters.find((p) => p.name === 'sort');
    const pageSize = parameters.find((p) => p.name === 'pageSize');
    assert.deepEqual(sort?.schema['enum'], [...SORTS]);
    assert.equal(pageSize?.schema['maximum'], 50);
    assert.match(String((pageSize as { description?: string }).description), /50/);
  });

  it('documents the cached catalog reads as their envelopes, with a 304 for a current ETag', () => {
    for (const [name, field] of [
      ['catalog-list-products', 'pageIndex'],
      ['catalog-get-product', 'images'],
    ] as const) {
      const responses = operationOf(byName(name), 'GET').responses;
      const data = (
        responses['200']?.content?.['application/json']?.schema['properties'] as Record<
          string,
          { properties?: object }
        >
      )['data'];
      assert.ok(data?.properties && field in data.properties, `${name}: 200 is the envelope of its data`);
      assert.ok(responses['304'], `${name}: 304 documented`);
      assert.equal(responses['304']?.content, undefined, `${name}: a 304 has no body`);
    }
  });

  it('shows no absurd bounds or examples (zod int() as ±9007199254740991)', () => {
    assert.doesNotMatch(JSON.stringify(doc), /9007199254740991/);
  });

  it('documents register data as null and login data as the token and user', () => {
    const register = operationOf(byName('auth-register'), 'POST').responses['200'];
    const data = (register?.content?.['application/json']?.schema['properties'] as Record<string, unknown>)[
      'data'
    ];
    assert.deepEqual(data, { type: 'null' });
    const login = operationOf(byName('auth-login'), 'POST').responses['200'];
    const loginData = (
      login?.content?.['application/json']?.schema['properties'] as Record<string, { properties?: object }>
    )['data'];
    assert.ok(loginData?.properties && 'token' in loginData.properties);
    assert.ok(documented(byName('auth-login'), 'POST').includes(429));
  });
});
