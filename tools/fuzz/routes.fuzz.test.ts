/**
 * A fuzz run over every route in the registry, through the local host, on a shop with the demo
 * data: malformed JSON, wrong types, huge and deeply nested bodies, unicode and control characters,
 * SQL-like strings, wrong content types, path segments with `..`, `%00` and `__proto__`, for every
 * caller (none, a forged token, a customer, an ADMIN). It holds the API to three promises:
 * - no answer is a 5xx, and every refusal is the JSON envelope;
 * - a refused request (4xx) writes no row: whatever it wrote is rolled back (the sign-in limits,
 *   which count refused password checks on purpose, excepted);
 * - no text longer than its column (nvarchar(n)) is stored: SQL Server would refuse it with a 500,
 *   SQLite stores it, so the run reads every stored string back and measures it.
 * The requests are generated from the OpenAPI document of the routes (their zod schemas), so a new
 * route is fuzzed without a line here.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import '../../functions/index.js';
import { routeOutcomes } from '../../functions/ops/route-outcomes.generated.js';
import { registry } from '../../shared/functions/registry.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import type { AnyHttpFunction } from '../../shared/http/types.js';
import { currentCorrelationId } from '../../shared/telemetry/context.js';
import { pngImage } from '../../shared/testing/images.js';
import { startTestHost, type TestHost } from '../../shared/testing/test-host.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: Json[];
  const?: Json;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  minItems?: number;
  examples?: Json[];
};
interface FuzzCase {
  label: string;
  method: string;
  /** The request target as sent: path and query, percent-encoding left as it is. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}
interface Answer {
  status: number;
  text: string;
}

// ---- the values thrown at the API -------------------------------------------------------------

/** Path segments: traversal, NUL, prototype keys, broken escapes, huge, unicode, SQL. */
const segments = [
  '..',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  'a%00b',
  '__proto__',
  'constructor',
  '%E0%A4%A',
  '%zz',
  'x'.repeat(3000),
  encodeURIComponent('😀\u202e\u0000'),
  encodeURIComponent("1' OR '1'='1"),
  '-1',
  '0',
  '99999999999999999999',
  '1e3',
  '%20',
  'null',
];

/** Query values (already encoded). */
const queryValues = [
  '',
  '-1',
  '0',
  '99999999999999999999',
  'abc',
  encodeURIComponent("1' OR 1=1--"),
  '%00',
  '%E0%A4%A',
  'x'.repeat(5000),
  '__proto__',
  'NaN',
  '1e3',
];

/** Whole JSON bodies as text: malformed, huge, deep. */
const rawBodies: [string, string][] = [
  ['truncated object', '{"a":'],
  ['truncated array', '[1,2'],
  ['not JSON', 'nul'],
  ['NUL byte', '\u0000'],
  ['BOM then object', '\uFEFF{}'],
  ['unterminated string', '"abc'],
  ['number overflow', '1e309'],
  ['prototype pollution', '{"__proto__":{"isAdmin":true,"roles":["ADMIN"]}}'],
  ['constructor pollution', '{"constructor":{"prototype":{"isAdmin":true}}}'],
  ['deep arrays', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
  ['deep objects', `${'{"a":'.repeat(6_000)}1${'}'.repeat(6_000)}`],
  ['huge (over the JSON limit)', JSON.stringify({ text: 'x'.repeat(70 * 1024) })],
  ['many keys', JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])))],
];

/** Whole JSON values where an object is expected. */
const valueBodies: Json[] = [0, -1, 1e308, true, null, 'text', [], {}, [[]], 2 ** 53 + 2];

/** Field values: wrong types, limits, unicode and control characters, SQL and markup. */
const fieldValues: Json[] = [
  null,
  true,
  -1,
  0,
  2 ** 31,
  2 ** 53 + 2,
  1e21,
  0.5,
  -0.01,
  '',
  ' ',
  'x'.repeat(5000),
  "'; DROP TABLE users; --",
  '\u0000\u0007\u001b[31m\u202e',
  '\ud800',
  '😀'.repeat(300),
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '__proto__',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:00:00-05:00',
  {},
  [],
  [[[[]]]],
  JSON.parse('{"__proto__":{"isAdmin":true}}') as Json,
];

// ---- the shop under test ----------------------------------------------------------------------

let host: TestHost;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
};
const ids = { customer: '', admin: '', product: 1, coupon: 1, order: 1 };
const tokens = { admin: '', customer: '' };
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const domainsWithTables = () => registry.domains.filter((d) => d.migrations.length > 0).map((d) => d.name);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const dbOf = (domain: string) => host.platform.database<any>(domain).db as Kysely<any>;

before(async () => {
  // Views are written by a background flush, which no request owns: only at shutdown here, so the
  // before/after fingerprints of a refused request never see another moment's view counts.
  host = await startTestHost({ demo: true, env: { VIEW_FLUSH_SECONDS: '300' } });
  doc = openApiDocument(registry.http, { title: 'fuzz', version: '1' }, routeOutcomes) as typeof doc;
  const users = await dbOf('auth').selectFrom('users').select(['id', 'email']).execute();
  ids.customer = users.find((u) => u.email === 'customer@demo.shop')?.id ?? '';
  ids.admin = users.find((u) => u.email === 'admin@demo.shop')?.id ?? '';
  ids.product = Number(
    (await dbOf('catalog').selectFrom('products').select('id').orderBy('id').executeTakeFirst())?.id ?? 1,
  );
  ids.coupon = Number(
    (await dbOf('coupons').selectFrom('coupons').select('id').orderBy('id').executeTakeFirst())?.id ?? 1,
  );
  tokens.admin = host.mintToken({
    sub: ids.admin,
    sid: 'fuzz-admin',
    email: 'admin@demo.shop',
    roles: ['ADMIN', 'CUSTOMER'],
  });
  tokens.customer = host.mintToken({
    sub: ids.customer,
    sid: 'fuzz-customer',
    email: 'customer@demo.shop',
    roles: ['CUSTOMER'],
  });
  // An order to aim at.
  const order = await host.call('POST', '/api/order/createorder', {
    token: tokens.customer,
    json: { cartHeader: { userId: ids.customer }, cartDetails: [{ productId: ids.product, count: 1 }] },
  });
  ids.order = Number((order.body.data as { orderHeaderId?: number } | null)?.orderHeaderId ?? 1);
  await host.settle();
});
after(async () => {
  agent.destroy();
  await host.close();
});

// ---- building the requests ---------------------------------------------------------------------

/**
 * User routes are called both as the demo customer (who has a cart, orders and points, so requests
 * reach deep) and as a brand-new customer (who has nothing, so a request that creates something
 * before it refuses shows): these placeholders become one or the other when a request is sent.
 */
const CALLER = '00000000-fuzz-caller';
const CALLER_TOKEN = 'fuzz.caller.token';

const validParam: Record<string, () => string> = {
  id: () => String(ids.product),
  userId: () => CALLER,
  orderId: () => String(ids.order),
  code: () => 'SAVE10',
  file: () => 'swagger-ui.css',
  status: () => 'All',
};

/** A value that passes the schema where it can, so mutations reach the handler's own code. */
function sample(schema: Schema | undefined, name = ''): Json {
  if (!schema) return 'fuzz';
  const known: Record<string, Json> = {
    userId: CALLER,
    productId: ids.product,
    orderHeaderId: ids.order,
    couponCode: 'SAVE10',
    email: 'customer@demo.shop',
    approvedUrl: 'http://localhost:5173/?status=Approved&success=true',
    cancelUrl: 'http://localhost:5173/?canceled=true',
  };
  if (name in known) return known[name] ?? null;
  const option = schema.anyOf ?? schema.oneOf;
  if (option) return sample(option.find((o) => o.type !== 'null') ?? option[0], name);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0] ?? null;
  if (schema.examples?.[0] !== undefined) return schema.examples[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'email') return 'fuzz@example.com';
      if (schema.format === 'date-time') return '2030-01-01T00:00:00Z';
      return 'f'.repeat(Math.min(Math.max(schema.minLength ?? 4, 1), schema.maxLength ?? 4));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => sample(schema.items));
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, k)]));
    default:
      return 'fuzz';
  }
}

/** Every place in a sample a mutation can go: object keys and the first item of arrays, 3 deep. */
function placesIn(value: Json, depth = 0, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth > 3 || value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.length > 0
      ? [[0, value[0] ?? null]]
      : []
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [
    [...prefix, key],
    ...placesIn(child, depth + 1, [...prefix, key]),
  ]);
}

/** The schema of the value at a place in a sample (for its limits). */
function schemaAt(schema: Schema | undefined, place: (string | number)[]): Schema | undefined {
  let node = schema;
  for (const key of place) {
    const option = node?.anyOf ?? node?.oneOf;
    if (option) node = option.find((o) => o.type !== 'null') ?? option[0];
    node = typeof key === 'number' ? node?.items : node?.properties?.[key];
  }
  const option = node?.anyOf ?? node?.oneOf;
  return option ? (option.find((o) => o.type === 'string') ?? node) : node;
}

/**
 * Strings exactly as long as the schema allows, in letters that lower-case into two UTF-16 units
 * (İ) and in emoji (two units each): where the schema allows more than the column holds, SQL
 * Server refuses the row, so the stored strings are measured afterwards.
 */
function atTheLimit(schema: Schema | undefined): string[] {
  const max = schema?.maxLength;
  if (max === undefined || max > 100_000) return [];
  return ['x'.repeat(max), 'İ'.repeat(max), '😀'.repeat(Math.floor(max / 2))];
}

function withValue(base: Json, place: (string | number)[], value: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  let node = copy as Record<string | number, Json>;
  for (const key of place.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = place[place.length - 1] ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function pathOf(route: string, override?: { name: string; value: string }): string {
  const path = route
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z]+)(?::[a-z]+)?\??\}$/.exec(segment);
      if (!param) return segment;
      const name = param[1] ?? '';
      return override?.name === name ? override.value : encodeURIComponent(validParam[name]?.() ?? '1');
    })
    .join('/');
  return `/api/${path}`;
}

const json = (value: Json | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

async function multipart(
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Buffer },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('imagePhotos', new Blob([file.bytes], { type: file.type }), file.name);
  if (file) form.append('avatar', new Blob([file.bytes], { type: file.type }), file.name);
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? '',
  };
}

async function casesFor(fn: AnyHttpFunction): Promise<FuzzCase[]> {
  const cases: FuzzCase[] = [];
  const operationPath = `/api/${fn.route.replace(/\{(\w+)(?::[a-z]+)?\??\}/g, '{$1}')}`;
  const token = fn.access === 'admin' ? tokens.admin : fn.access === 'user' ? CALLER_TOKEN : '';
  const auth = (t: string): Record<string, string> => (t ? { authorization: `Bearer ${t}` } : {});
  for (const method of fn.methods) {
    const operation = doc.paths[operationPath]?.[method.toLowerCase()];
    const jsonSchema = operation?.requestBody?.content['application/json']?.schema;
    const formSchema = operation?.requestBody?.content['multipart/form-data']?.schema;
    const base = fn.bodyKind === 'json' ? sample(jsonSchema) : undefined;
    const add = (label: string, target: string, headers: Record<string, string>, body?: Buffer) =>
      cases.push({ label: `${method} ${fn.route}: ${label}`, method, target, headers, body });
    const baseBody = base === undefined ? undefined : json(base);
    const jsonHeaders = { 'content-type': 'application/json', ...auth(token) };
    const path = pathOf(fn.route);

    // Callers.
    for (const [label, headers] of [
      ['no token', {}],
      ['a forged token', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }],
      ['a token without Bearer', { authorization: tokens.admin }],
      ['a customer', auth(tokens.customer)],
      ['the expected caller', auth(token)],
    ] as [string, Record<string, string>][])
      add(label, path, { 'content-type': 'application/json', ...headers }, baseBody);

    // Path segments.
    for (const param of fn.route.matchAll(/\{(\w+)/g))
      for (const value of segments)
        add(
          `{${param[1]}} = ${value.slice(0, 30)}`,
          pathOf(fn.route, { name: param[1] ?? '', value }),
          jsonHeaders,
          baseBody,
        );
    add('a trailing traversal', `${path}/../../api/health`, jsonHeaders, baseBody);
    add('a NUL in the path', `${path}%00`, jsonHeaders, baseBody);

    // Query strings.
    const queryNames = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const name of [...queryNames, '__proto__'])
      for (const value of queryValues)
        add(`?${name}=${value.slice(0, 20)}`, `${path}?${name}=${value}`, jsonHeaders, baseBody);
    add(
      'repeated and polluting query keys',
      `${path}?a=1&a=2&__proto__[isAdmin]=1&constructor[prototype][x]=1`,
      jsonHeaders,
      baseBody,
    );

    if (fn.bodyKind === 'json') {
      for (const [label, text] of rawBodies) add(label, path, jsonHeaders, json(text));
      for (const value of valueBodies) add(`body ${JSON.stringify(value)}`, path, jsonHeaders, json(value));
      add('text/plain', path, { ...jsonHeaders, 'content-type': 'text/plain' }, baseBody);
      add(
        'a form to a JSON route',
        path,
        { ...jsonHeaders, 'content-type': 'application/x-www-form-urlencoded' },
        Buffer.from('a=1&b=2'),
      );
      const form = await multipart({ a: '1' });
      add('multipart to a JSON route', path, { ...auth(token), 'content-type': form.contentType }, form.body);
      if (base !== undefined) {
        const places = placesIn(base);
        for (const place of places) {
          const where = place.join('.');
          add(`${where} missing`, path, jsonHeaders, json(withValue(base, place, undefined)));
          for (const value of [...fieldValues, ...atTheLimit(schemaAt(jsonSchema, place))])
            add(
              `${where} = ${JSON.stringify(value).slice(0, 30)}`,
              path,
              jsonHeaders,
              json(withValue(base, place, value)),
            );
        }
        if (typeof base === 'object' && base !== null && !Array.isArray(base))
          add(
            '__proto__ beside the fields',
            path,
            jsonHeaders,
            json(`{"__proto__":{"isAdmin":true},${JSON.stringify(base).slice(1)}`),
          );
      }
    }

    if (fn.bodyKind === 'multipart') {
      const fields = Object.fromEntries(
        Object.entries(sample(formSchema) as Record<string, Json>).map(([k, v]) => [k, String(v)]),
      );
      const png = Buffer.from('89504e470d0a1a0a', 'hex');
      add('JSON to a form route', path, jsonHeaders, json({ name: 'x' }));
      add(
        'a broken form',
        path,
        { ...auth(token), 'content-type': 'multipart/form-data; boundary=XYZ' },
        Buffer.from('--XYZ\r\nnonsense'),
      );
      add(
        'a form without a boundary',
        path,
        { ...auth(token), 'content-type': 'multipart/form-data' },
        Buffer.from('a=b'),
      );
      for (const [label, file] of [
        ['text named .png', { name: 'photo.png', type: 'image/png', bytes: Buffer.from('not an image') }],
        ['an SVG', { name: 'x.svg', type: 'image/svg+xml', bytes: Buffer.from('<svg onload="alert(1)"/>') }],
        ['an empty file', { name: 'e.png', type: 'image/png', bytes: Buffer.alloc(0) }],
        ['a truncated PNG', { name: '..%2f..%2fx.png', type: 'image/png', bytes: png }],
      ] as [string, { name: string; type: string; bytes: Buffer }][]) {
        const form = await multipart(fields, file);
        add(`a form with ${label}`, path, { ...auth(token), 'content-type': form.contentType }, form.body);
      }
      // Strings at the schema's limit go with a real photo, so that a form the schema accepts is
      // stored and its strings measured (checking a photo takes time: the other values go without).
      const photo = { name: 'photo.png', type: 'image/png', bytes: await pngImage({ width: 2 }) };
      for (const name of Object.keys(fields)) {
        const atLimit = atTheLimit(formSchema?.properties?.[name]);
        for (const value of [...fieldValues, ...atLimit]) {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          const form = await multipart(
            { ...fields, [name]: text },
            atLimit.includes(text) ? photo : undefined,
          );
          add(
            `form ${name} = ${JSON.stringify(value).slice(0, 30)}`,
            path,
            { ...auth(token), 'content-type': form.contentType },
            form.body,
          );
        }
      }
      const polluted = await multipart({ ...fields, __proto__: 'x', constructor: 'y' });
      add(
        'form with prototype keys',
        path,
        { ...auth(token), 'content-type': polluted.contentType },
        polluted.body,
      );
    }

    if (fn.bodyKind === 'raw') {
      for (const [label, text] of rawBodies)
        add(label, path, { 'content-type': 'application/json' }, json(text));
      add(
        'a forged signature',
        path,
        { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
        json({ type: 'checkout.session.completed' }),
      );
    }
  }
  return cases;
}

// ---- sending and checking ----------------------------------------------------------------------

let sequence = 0;

/** The case as one caller sends it: the placeholders become that caller's id and token. */
function asCaller(c: FuzzCase, caller: { id: string; token: string }): FuzzCase {
  const fill = (text: string) => text.replaceAll(CALLER, caller.id).replaceAll(CALLER_TOKEN, caller.token);
  return {
    ...c,
    target: fill(c.target),
    headers: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, fill(v)])),
    body: c.body && Buffer.from(fill(c.body.toString('latin1')), 'latin1'),
  };
}

/** Who sends a case: user routes twice (the demo customer, then a new one), others once. */
function callersOf(fn: AnyHttpFunction): { id: string; token: string }[] {
  const demo = { id: ids.customer, token: tokens.customer };
  if (fn.access !== 'user') return [{ id: ids.customer, token: tokens.customer }];
  const id = crypto.randomUUID();
  const fresh = {
    id,
    token: host.mintToken({
      sub: id,
      sid: `fuzz-${id}`,
      email: `${id.slice(0, 8)}@fuzz.test`,
      roles: ['CUSTOMER'],
    }),
  };
  return [demo, fresh];
}

function send(c: FuzzCase, correlationId: string): Promise<Answer> {
  const { hostname, port } = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: hostname,
        port,
        agent,
        method: c.method,
        path: c.target,
        headers: {
          ...c.headers,
          'x-correlation-id': correlationId,
          ...(c.body ? { 'content-length': String(c.body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Tables whose writes on refused requests are by design: the sign-in limits count refused checks. */
const writesExpected = new Set(['login_attempts', 'account_login_delays']);

/** A digest of every table, to tell whether a request left anything behind. */
async function fingerprint(): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const domain of domainsWithTables()) {
    const db = dbOf(domain);
    const { rows } = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(
      db,
    );
    for (const { name } of rows) {
      if (writesExpected.has(name)) continue;
      // The relay marks outbox rows published in the background: only which events exist counts.
      const columns =
        name === 'outbox'
          ? sql.raw('id, event_id')
          : name === 'inbox'
            ? sql.raw('consumer, message_id')
            : sql.raw('*');
      const result = await sql`select ${columns} from ${sql.table(name)} order by rowid`.execute(db);
      digests.set(`${domain}.${name}`, createHash('sha1').update(JSON.stringify(result.rows)).digest('hex'));
    }
  }
  return digests;
}

/** Every stored string longer than its column's nvarchar(n), in UTF-16 units as SQL Server counts. */
async function oversizedStrings(): Promise<string[]> {
  const found: string[] = [];
  for (const domain of domainsWithTables()) {
    const db = dbOf(domain);
    const { rows: tables } = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name } of tables) {
      const { rows: columns } = await sql<{
        name: string;
        type: string;
      }>`select name, type from pragma_table_info(${name})`.execute(db);
      for (const column of columns) {
        const limit = /^nvarchar\((\d+)\)$/i.exec(column.type)?.[1];
        if (!limit) continue;
        const { rows } = await sql<{
          v: unknown;
        }>`select ${sql.ref(column.name)} as v from ${sql.table(name)}`.execute(db);
        const longest = Math.max(0, ...rows.map((r) => (typeof r.v === 'string' ? r.v.length : 0)));
        if (longest > Number(limit)) found.push(`${domain}.${name}.${column.name}: ${longest} > ${limit}`);
      }
    }
  }
  return found;
}

describe('fuzzing every route of the registry', () => {
  it('answers no 5xx, writes nothing for a refused request, and stores no string longer than its column', async (t) => {
    const started = performance.now();
    const writers = new Set<string>();
    const outboxWriters = new Set<string>();
    const stops = domainsWithTables().map((domain) =>
      host.platform.database(domain).onQuery(({ sql: text }) => {
        const m = /^\s*(insert into|update|delete from)\s+"(\w+)"/i.exec(text);
        const table = m?.[2];
        const id = currentCorrelationId();
        if (!m || !table || !id?.startsWith('fuzz-')) return;
        if (table === 'outbox') {
          if (/^\s*insert/i.test(text)) outboxWriters.add(id);
          else return; // the relay marking rows published
        }
        if (table === 'inbox' || writesExpected.has(table)) return;
        writers.add(id);
      }),
    );
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const notEnvelopes: string[] = [];
    const refusedWrites: string[] = [];
    let requests = 0;
    try {
      let known = await fingerprint();
      // Deletes last, so that what the other routes aim at (a product, a coupon) is still there.
      const routes = [...registry.http].sort(
        (a, b) => Number(a.methods.includes('DELETE')) - Number(b.methods.includes('DELETE')),
      );
      for (const fn of routes) {
        for (const c of (await casesFor(fn)).flatMap((c) => callersOf(fn).map((who) => asCaller(c, who)))) {
          const correlationId = `fuzz-${++sequence}`;
          const answer = await send(c, correlationId);
          requests++;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const what = `${c.label} -> ${answer.status} ${answer.text.slice(0, 200)}`;
          if (answer.status >= 500) serverErrors.push(what);
          if (answer.status >= 400 && c.target.startsWith('/api')) {
            let envelope: { isSuccess?: unknown; code?: unknown } | undefined;
            try {
              envelope = JSON.parse(answer.text) as typeof envelope;
            } catch {
              envelope = undefined;
            }
            if (envelope?.isSuccess !== false || typeof envelope.code !== 'string') notEnvelopes.push(what);
          }
          if (!writers.has(correlationId) && !outboxWriters.has(correlationId)) continue;
          // It wrote: consumers of its events run now, then the shop's state is the new reference.
          if (answer.status < 400 && outboxWriters.has(correlationId)) await host.settle();
          const now = await fingerprint();
          if (answer.status >= 400) {
            const changed = [...now]
              .filter(([table, digest]) => known.get(table) !== digest)
              .map(([table]) => table);
            if (changed.length > 0) refusedWrites.push(`${what} wrote ${changed.join(', ')}`);
          }
          known = now;
        }
      }
    } finally {
      stops.forEach((stop) => stop());
    }
    const oversized = await oversizedStrings();
    const byClass = [2, 3, 4, 5].map(
      (c) =>
        `${c}xx ${[...statuses].filter(([s]) => Math.floor(s / 100) === c).reduce((n, [, k]) => n + k, 0)}`,
    );
    t.diagnostic(
      `fuzz: ${requests} requests to ${registry.http.length} routes in ${((performance.now() - started) / 1000).toFixed(1)} s: ${byClass.join(', ')}; ` +
        `refused requests that wrote rows: ${refusedWrites.length}; strings longer than their column: ${oversized.length}`,
    );
    assert.deepEqual(serverErrors, [], 'no answer is a 5xx');
    assert.deepEqual(refusedWrites, [], 'a refused request writes nothing');
    assert.deepEqual(oversized, [], 'no string longer than its column is stored');
    assert.deepEqual(notEnvelopes, [], 'every refusal is the envelope');
  });
});
