import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { localSigningKey } from '../auth/keys.js';
import { ADMIN_ROLE, CUSTOMER_ROLE, createTokenService, type TokenService } from '../auth/tokens.js';
import { memoryLogger } from '../telemetry/logger.js';
import { pngImage } from '../testing/images.js';
import { ManualClock, minutes } from '../time/clock.js';
import { defineHttp } from './define.js';
import type { Envelope } from './envelope.js';
import { runHttpFunction, type PipelineEnv } from './pipeline.js';
import { ok, type AnyHttpFunction, type IncomingHttp, type UploadedFile } from './types.js';

// ---- builders -------------------------------------------------------------------------------

const MAX_UPLOAD_BYTES = 4 * 1024;

/** A definition with defaults; the handler echoes what it was given. */
function anEndpoint(overrides: Partial<AnyHttpFunction> = {}): AnyHttpFunction {
  return defineHttp({
    name: 'test-echo',
    route: 'echo',
    methods: ['POST'],
    access: 'public',
    bodyKind: 'json',
    summary: 'echo',
    tags: ['test'],
    handler: async ({ body, query, params, caller, files }) =>
      ok({ body, query, params, caller, files: files.map(describeFile) }),
    ...overrides,
  } as AnyHttpFunction);
}

const describeFile = (f: UploadedFile) => ({
  field: f.field,
  filename: f.filename,
  contentType: f.contentType,
  size: f.bytes.length,
});

function aRequest(overrides: Partial<IncomingHttp> & { json?: unknown; token?: string } = {}): IncomingHttp {
  const { json, token, ...rest } = overrides;
  const headers: Record<string, string | undefined> = { ...rest.headers };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return {
    method: 'POST',
    path: '/api/echo',
    query: new URLSearchParams(),
    params: {},
    clientIp: '127.0.0.1',
    baseUrl: 'http://127.0.0.1:7071',
    body: json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json)),
    ...rest,
    headers,
  };
}

// Real PNGs (the pipeline checks an image's type by its bytes), made once as the module loads; the
// noisy ones do not compress, so their size is about 4 bytes a pixel.
const png = {
  small: await pngImage({ width: 2 }),
  wider: await pngImage({ width: 3, height: 2 }),
  noisy32: await pngImage({ width: 32, noise: true }),
  noisy64: await pngImage({ width: 64, noise: true }),
};

/** A multipart/form-data body as a browser would send it. */
async function aForm(
  parts: { field: string; value?: string; file?: { name: string; bytes: Buffer; type?: string } }[],
) {
  const form = new FormData();
  for (const p of parts) {
    if (p.file)
      form.append(
        p.field,
        new Blob([p.file.bytes], { type: p.file.type ?? 'application/octet-stream' }),
        p.file.name,
      );
    else form.append(p.field, p.value ?? '');
  }
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  };
}

// ---- harness --------------------------------------------------------------------------------

let dataDir: string;
let clock: ManualClock;
let tokens: TokenService;
let logs: ReturnType<typeof memoryLogger>;
let env: PipelineEnv;

before(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-pipeline-test-'));
  clock = new ManualClock('2026-05-01T10:00:00Z');
  tokens = createTokenService({
    key: localSigningKey(dataDir),
    issuer: 'http://test/api/auth',
    audience: 'test',
    accessTokenMinutes: 60,
    clock,
  });
  logs = memoryLogger();
  env = {
    log: logs,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    authenticate: async (token, { allowExpired }) => tokens.verify(token, { allowExpired }),
    isSessionLive: async () => true,
  };
});
beforeEach(() => clock.set('2026-05-01T10:00:00Z'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function run(fn: AnyHttpFunction, req: IncomingHttp = aRequest()) {
  const out = await runHttpFunction(fn, req, env);
  const envelope = JSON.parse(out.body.toString()) as Envelope<Record<string, unknown>>;
  return { status: out.status, headers: out.headers, envelope, data: envelope.data ?? {} };
}

const customerToken = () =>
  tokens.sign({ sub: 'user-1', sid: 's-1', email: 'ada@shop.test', roles: [CUSTOMER_ROLE] });
const adminToken = () =>
  tokens.sign({ sub: 'admin-1', sid: 's-2', email: 'admin@shop.test', roles: [CUSTOMER_ROLE, ADMIN_ROLE] });

// ---- specifications -------------------------------------------------------------------------

describe('JSON bodies', () => {
  it('parses a bare JSON number with the route schema', async () => {
    const fn = anEndpoint({ body: z.number().int() });
    const { status, data } = await run(fn, aRequest({ body: Buffer.from('42') }));
    assert.equal(status, 200);
    assert.equal(data['body'], 42);
  });

  it('parses a bare JSON string whatever the content type says', async () => {
    const fn = anEndpoint({ body: z.enum(['Cancelled', 'Shipped']) });
    const req = aRequest({ body: Buffer.from('"Cancelled"'), headers: { 'content-type': 'text/plain' } });
    const { status, data } = await run(fn, req);
    assert.equal(status, 200);
    assert.equal(data['body'], 'Cancelled');
  });

  it('answers 400 malformed_body for broken JSON', async () => {
    const { status, envelope } = await run(
      anEndpoint({ body: z.object({}) }),
      aRequest({ body: Buffer.from('{"name": ') }),
    );
    assert.equal(status, 400);
    assert.equal(envelope.code, 'malformed_body');
    assert.equal(envelope.isSuccess, false);
    assert.equal(envelope.data, null);
  });

  it('answers 400 validation_failed naming the first bad field in type', async () => {
    const fn = anEndpoint({ body: z.object({ name: z.string(), price: z.number(), stock: z.number() }) });
    const { status, envelope } = await run(fn, aRequest({ json: { price: 'free', stock: 3 } }));
    assert.equal(status, 400);
    assert.equal(envelope.code, 'validation_failed');
    assert.equal(envelope.type, 'name');
    assert.deepEqual(
      envelope.errors?.map((e) => e.path),
      ['name', 'price'],
    );
    assert.match(envelope.message, /name/);
  });

  it('treats an empty body as missing', async () => {
    const { status, envelope } = await run(anEndpoint({ body: z.object({ name: z.string() }) }), aRequest());
    assert.equal(status, 400);
    assert.equal(envelope.code, 'validation_failed');
  });

  it('strips unknown fields before the handler sees them', async () => {
    const fn = anEndpoint({ body: z.object({ name: z.string() }) });
    const { status, data } = await run(fn, aRequest({ json: { name: 'Tea', isAdmin: true, id: 9 } }));
    assert.equal(status, 200);
    assert.deepEqual(data['body'], { name: 'Tea' });
  });
});

describe('validation messages', () => {
  const order = z.object({
    name: z.string(),
    count: z.number().int().min(1),
    lines: z.array(z.object({ productId: z.number() })).max(2),
    sort: z.enum(['name', 'price']).optional(),
  });

  it('says a missing JSON body is required, in a sentence', async () => {
    const { status, envelope } = await run(anEndpoint({ body: order }), aRequest());
    assert.equal(status, 400);
    assert.equal(envelope.message, 'The request body is required (JSON)');
  });

  it("writes zod's own messages as sentences naming each field, joined in one format", async () => {
    const { envelope } = await run(
      anEndpoint({ body: order }),
      aRequest({ json: { count: 0, lines: [{ productId: '7' }, {}], sort: 'size' } }),
    );
    assert.equal(
      envelope.message,
      'name is required; count must be at least 1; lines[0].productId must be a number (and 2 more)',
    );
    assert.deepEqual(
      (envelope.errors as { path: string; message: string }[]).map((e) => e.message),
      [
        'name is required',
        'count must be at least 1',
        'lines[0].productId must be a number',
        'lines[1].productId is required',
        'sort must be one of name, price',
      ],
    );
    const tooMany = await run(
      anEndpoint({ body: order }),
      aRequest({
        json: { name: 'x', count: 1, lines: [{ productId: 1 }, { productId: 2 }, { productId: 3 }] },
      }),
    );
    assert.equal(tooMany.envelope.message, 'lines must have at most 2 items');
    for (const e of envelope.errors as { message: string }[])
      assert.doesNotMatch(e.message, /Invalid input|Too (small|big)|expected/);
  });

  it('keeps the messages our schemas give', async () => {
    const named = z.object({ email: z.string({ message: 'Email is required' }) });
    const { envelope } = await run(anEndpoint({ body: named }), aRequest({ json: {} }));
    assert.equal(envelope.message, 'Email is required');
  });
});

describe('query strings', () => {
  const priceQuery = z.object({ priceMin: z.string().optional(), page: z.string().default('1') });

  it('treats an empty value as absent (never as 0)', async () => {
    const fn = anEndpoint({ methods: ['GET'], bodyKind: 'none', query: priceQuery });
    const { status, data } = await run(
      fn,
      aRequest({ method: 'GET', query: new URLSearchParams('priceMin=&page=') }),
    );
    assert.equal(status, 200);
    assert.deepEqual(data['query'], { page: '1' });
  });

  it('reads the first of repeated values', async () => {
    const fn = anEndpoint({ methods: ['GET'], bodyKind: 'none', query: priceQuery });
    const { data } = await run(
      fn,
      aRequest({ method: 'GET', query: new URLSearchParams('priceMin=5&priceMin=9') }),
    );
    assert.deepEqual(data['query'], { priceMin: '5', page: '1' });
  });

  it('reads a parameter named like an Object member', async () => {
    const fn = anEndpoint({
      methods: ['GET'],
      bodyKind: 'none',
      query: z.object({ toString: z.string().optional() }),
    });
    const { data } = await run(fn, aRequest({ method: 'GET', query: new URLSearchParams('toString=x') }));
    assert.deepEqual(data['query'], { toString: 'x' });
  });

  it('answers 400 validation_failed for a bad value', async () => {
    const fn = anEndpoint({
      methods: ['GET'],
      bodyKind: 'none',
      query: z.object({ page: z.string().regex(/^\d+$/) }),
    });
    const { status, envelope } = await run(
      fn,
      aRequest({ method: 'GET', query: new URLSearchParams('page=x') }),
    );
    assert.equal(status, 400);
    assert.equal(envelope.type, 'page');
  });
});

describe('route parameters', () => {
  it('are parsed with the route schema', async () => {
    const fn = anEndpoint({ params: z.object({ id: z.string().transform(Number) }) });
    const { data } = await run(fn, aRequest({ params: { id: '12' } }));
    assert.deepEqual(data['params'], { id: 12 });
  });
});

describe('access', () => {
  it('public routes ignore a garbage Authorization header entirely', async () => {
    const { status, data } = await run(
      anEndpoint(),
      aRequest({ headers: { authorization: 'Bearer not.a.token' } }),
    );
    assert.equal(status, 200);
    assert.equal(data['caller'], null);
  });

  it('public routes ignore an expired token', async () => {
    const token = customerToken();
    clock.advance(minutes(120));
    const { status } = await run(anEndpoint(), aRequest({ token }));
    assert.equal(status, 200);
  });

  it('user routes answer 401 with a Bearer challenge when the token is missing', async () => {
    const { status, headers, envelope } = await run(anEndpoint({ access: 'user' }));
    assert.equal(status, 401);
    assert.equal(headers['www-authenticate'], 'Bearer');
    assert.equal(envelope.code, 'unauthorized');
  });

  it('user routes answer 401 token_invalid with a Bearer challenge for an invalid token', async () => {
    const { status, headers, envelope } = await run(
      anEndpoint({ access: 'user' }),
      aRequest({ token: 'not.a.token' }),
    );
    assert.equal(status, 401);
    assert.equal(headers['www-authenticate'], 'Bearer');
    assert.equal(envelope.code, 'token_invalid');
    assert.equal(envelope.message, 'Your session is not valid. Please sign in again.');
  });

  it('user routes answer 401 with a Bearer challenge for an expired token', async () => {
    const token = customerToken();
    clock.advance(minutes(61));
    const { status, headers, envelope } = await run(anEndpoint({ access: 'user' }), aRequest({ token }));
    assert.equal(status, 401);
    assert.equal(headers['www-authenticate'], 'Bearer');
    assert.equal(envelope.code, 'token_expired');
    assert.equal(envelope.message, 'Your session has expired. Please sign in again.');
  });

  it('user routes answer 401 token_invalid for a non-Bearer Authorization header, naming the prefix', async () => {
    const { status, envelope } = await run(
      anEndpoint({ access: 'user' }),
      aRequest({ headers: { authorization: 'Basic YTpi' } }),
    );
    assert.equal(status, 401);
    assert.equal(envelope.code, 'token_invalid');
    assert.match(envelope.message, /^Please sign in to continue: .*"Bearer " prefix is missing/);
  });

  it('user routes say so when a token is sent without the "Bearer " prefix', async () => {
    const { status, envelope } = await run(
      anEndpoint({ access: 'user' }),
      aRequest({ headers: { authorization: customerToken() } }),
    );
    assert.equal(status, 401);
    assert.equal(envelope.code, 'token_invalid');
    assert.match(envelope.message, /Bearer <token>/);
  });

  it('user routes answer 401 unauthorized when no token is sent', async () => {
    const { status, envelope } = await run(anEndpoint({ access: 'user' }));
    assert.equal(status, 401);
    assert.equal(envelope.code, 'unauthorized');
    assert.equal(envelope.message, 'Please sign in to continue.');
  });

  it('user routes hand the caller to the handler', async () => {
    const { status, data } = await run(anEndpoint({ access: 'user' }), aRequest({ token: customerToken() }));
    assert.equal(status, 200);
    assert.equal((data['caller'] as { userId: string }).userId, 'user-1');
  });

  it('admin routes answer 403 for a non-admin', async () => {
    const { status, envelope } = await run(
      anEndpoint({ access: 'admin' }),
      aRequest({ token: customerToken() }),
    );
    assert.equal(status, 403);
    assert.equal(envelope.code, 'forbidden');
  });

  it('admin routes admit an admin', async () => {
    const { status } = await run(anEndpoint({ access: 'admin' }), aRequest({ token: adminToken() }));
    assert.equal(status, 200);
  });

  it('optional routes accept an expired token and treat a bad one as no token', async () => {
    const token = customerToken();
    clock.advance(minutes(120));
    const accepted = await run(anEndpoint({ access: 'optional' }), aRequest({ token }));
    assert.equal(accepted.status, 200);
    assert.equal((accepted.data['caller'] as { userId: string }).userId, 'user-1');
    const forged = await run(anEndpoint({ access: 'optional' }), aRequest({ token: 'not.a.token' }));
    assert.equal(forged.status, 200);
    assert.equal(forged.data['caller'], null);
    const anonymous = await run(anEndpoint({ access: 'optional' }));
    assert.equal(anonymous.data['caller'], null);
  });
});

describe('errors and correlation', () => {
  const exploding = () =>
    anEndpoint({
      handler: async () => {
        throw new Error('connection to sql-prod-7 refused: password for sa expired');
      },
    });

  it('answers an unexpected exception with a 500 that hides internals and names the correlation id', async () => {
    const { status, headers, envelope } = await run(
      exploding(),
      aRequest({ headers: { 'x-correlation-id': 'req-123' } }),
    );
    assert.equal(status, 500);
    assert.equal(envelope.code, 'internal');
    assert.doesNotMatch(envelope.message, /sql-prod|password/);
    assert.match(envelope.message, /req-123/);
    assert.equal(headers['x-correlation-id'], 'req-123');
  });

  it('logs the real error with the correlation id', async () => {
    await run(exploding(), aRequest({ headers: { 'x-correlation-id': 'req-logged' } }));
    const line = logs.lines.find((l) => l.level === 'error' && l.fields['correlationId'] === 'req-logged');
    assert.match(String((line?.fields['error'] as { message?: string } | undefined)?.message), /sql-prod-7/);
  });

  it('echoes a given correlation id', async () => {
    const { headers } = await run(
      anEndpoint(),
      aRequest({ headers: { 'x-correlation-id': 'abc-123_x:y.z' } }),
    );
    assert.equal(headers['x-correlation-id'], 'abc-123_x:y.z');
  });

  it('generates a correlation id when none is given', async () => {
    const { headers } = await run(anEndpoint());
    assert.match(headers['x-correlation-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('replaces a malformed correlation id', async () => {
    const { headers } = await run(
      anEndpoint(),
      aRequest({ headers: { 'x-correlation-id': 'bad id\r\nx-evil: 1' } }),
    );
    assert.match(headers['x-correlation-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('wraps handler data in the success envelope', async () => {
    const { status, headers, envelope } = await run(
      anEndpoint({ handler: async () => ok({ id: 1 }, 'Saved') }),
    );
    assert.equal(status, 200);
    assert.match(headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(envelope, { data: { id: 1 }, isSuccess: true, message: 'Saved', type: '' });
  });
});

describe('multipart uploads', () => {
  const uploadEndpoint = () =>
    anEndpoint({
      bodyKind: 'multipart',
      body: z.object({ title: z.string() }),
      files: { photo: { maxCount: 1 } },
    });

  async function upload(parts: Parameters<typeof aForm>[0], fn = uploadEndpoint()) {
    const form = await aForm(parts);
    return run(fn, aRequest({ body: form.body, headers: form.headers }));
  }

  it('accepts a real PNG with its type detected from the bytes', async () => {
    const photo = png.small;
    const { status, data } = await upload([
      { field: 'title', value: 'Tea' },
      { field: 'photo', file: { name: 'tea.jpg', bytes: photo, type: 'image/jpeg' } },
    ]);
    assert.equal(status, 200);
    assert.deepEqual(data['body'], { title: 'Tea' });
    assert.deepEqual(data['files'], [
      { field: 'photo', filename: 'tea.jpg', contentType: 'image/png', size: photo.length },
    ]);
  });

  it('refuses a file over MAX_UPLOAD_BYTES with 413 instead of truncating it', async () => {
    const big = png.noisy64;
    assert.ok(big.length > MAX_UPLOAD_BYTES);
    const { status, envelope } = await upload([
      { field: 'title', value: 'Tea' },
      { field: 'photo', file: { name: 'big.png', bytes: big, type: 'image/png' } },
    ]);
    assert.equal(status, 413);
    assert.equal(envelope.code, 'payload_too_large');
    assert.equal(envelope.type, 'photo');
  });

  it('refuses a text file named .png with 415', async () => {
    const { status, envelope } = await upload([
      { field: 'title', value: 'Tea' },
      {
        field: 'photo',
        file: { name: 'notes.png', bytes: Buffer.from('just some text'), type: 'image/png' },
      },
    ]);
    assert.equal(status, 415);
    assert.equal(envelope.code, 'unsupported_media_type');
  });

  it('refuses a PNG whose data is cut off (the header alone is not an image) with 415', async () => {
    const truncated = png.noisy32.subarray(0, 100);
    const { status, envelope } = await upload([
      { field: 'title', value: 'Tea' },
      { field: 'photo', file: { name: 'cut.png', bytes: truncated, type: 'image/png' } },
    ]);
    assert.equal(status, 415);
    assert.match(envelope.message, /could not be read as an image/);
  });

  it('refuses an SVG named .png with 415', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const { status } = await upload([
      { field: 'title', value: 'Tea' },
      { field: 'photo', file: { name: 'logo.png', bytes: svg, type: 'image/png' } },
    ]);
    assert.equal(status, 415);
  });

  it('ignores files in undeclared fields', async () => {
    const { status, data } = await upload([
      { field: 'title', value: 'Tea' },
      { field: 'other', file: { name: 'x.txt', bytes: Buffer.from('not an image') } },
      { field: 'photo', file: { name: 'a.png', bytes: png.small } },
    ]);
    assert.equal(status, 200);
    assert.deepEqual(
      (data['files'] as { field: string }[]).map((f) => f.field),
      ['photo'],
    );
  });

  it('answers 400 for more files than the field allows', async () => {
    const { status, envelope } = await upload([
      { field: 'title', value: 'Tea' },
      { field: 'photo', file: { name: 'a.png', bytes: png.small } },
      { field: 'photo', file: { name: 'b.png', bytes: png.small } },
    ]);
    assert.equal(status, 400);
    assert.equal(envelope.code, 'validation_failed');
    assert.equal(envelope.type, 'photo');
  });

  it('accepts several files up to maxCount, in order', async () => {
    const fn = anEndpoint({ bodyKind: 'multipart', files: { photos: { maxCount: 3 } } });
    const { status, data } = await upload(
      [
        { field: 'photos', file: { name: 'a.png', bytes: png.small } },
        { field: 'photos', file: { name: 'b.png', bytes: png.wider } },
      ],
      fn,
    );
    assert.equal(status, 200);
    assert.deepEqual(
      (data['files'] as { filename: string }[]).map((f) => f.filename),
      ['a.png', 'b.png'],
    );
  });

  it('validates the text fields with the body schema', async () => {
    const { status, envelope } = await upload([
      { field: 'photo', file: { name: 'a.png', bytes: png.small } },
    ]);
    assert.equal(status, 400);
    assert.equal(envelope.type, 'title');
  });

  it('answers 415 for a body that is not multipart', async () => {
    const { status } = await run(
      uploadEndpoint(),
      aRequest({ json: { title: 'Tea' }, headers: { 'content-type': 'application/json' } }),
    );
    assert.equal(status, 415);
  });
});

describe('live sessions', () => {
  const ended = new Set<string>();
  const withSessions = (): PipelineEnv => ({
    ...env,
    isSessionLive: async (caller) => !ended.has(caller.sessionId),
  });
  const runWith = async (fn: AnyHttpFunction, req: IncomingHttp) => {
    const out = await runHttpFunction(fn, req, withSessions());
    return { status: out.status, envelope: JSON.parse(out.body.toString()) as Envelope<unknown> };
  };

  it("refuses the token of an ended session on a `session: 'live'` route with a 401", async () => {
    const fn = anEndpoint({ access: 'user', session: 'live' });
    assert.equal((await runWith(fn, aRequest({ token: customerToken(), json: {} }))).status, 200);
    ended.add('s-1');
    try {
      const { status, envelope } = await runWith(fn, aRequest({ token: customerToken(), json: {} }));
      assert.equal(status, 401);
      assert.equal(envelope.code, 'token_invalid');
      assert.match(envelope.message, /signed out/);
    } finally {
      ended.delete('s-1');
    }
  });

  it('checks every ADMIN write, whatever it declares, and no read', async () => {
    ended.add('s-2');
    try {
      const write = anEndpoint({ access: 'admin', methods: ['DELETE'], bodyKind: 'none' });
      assert.equal((await runWith(write, aRequest({ method: 'DELETE', token: adminToken() }))).status, 401);
      const read = anEndpoint({ access: 'admin', methods: ['GET'], bodyKind: 'none' });
      assert.equal((await runWith(read, aRequest({ method: 'GET', token: adminToken() }))).status, 200);
      // A user route an ADMIN writes through (naming another user) is an ADMIN write too.
      const userWrite = anEndpoint({ access: 'user' });
      assert.equal((await runWith(userWrite, aRequest({ token: adminToken(), json: {} }))).status, 401);
      const userRead = anEndpoint({ access: 'user', methods: ['GET'], bodyKind: 'none' });
      assert.equal((await runWith(userRead, aRequest({ method: 'GET', token: adminToken() }))).status, 200);
      // Logout (optional access) ends a session: one that has ended already is no reason to refuse.
      const logout = anEndpoint({ access: 'optional', bodyKind: 'none' });
      assert.equal((await runWith(logout, aRequest({ token: adminToken() }))).status, 200);
    } finally {
      ended.delete('s-2');
    }
  });

  it('never asks for a public route or a user route that does not need it', async () => {
    ended.add('s-1');
    try {
      const fn = anEndpoint({ access: 'user' });
      assert.equal((await runWith(fn, aRequest({ token: customerToken(), json: {} }))).status, 200);
    } finally {
      ended.delete('s-1');
    }
  });

  it('refuses (500) rather than let a token through when nothing can check sessions', async () => {
    const fn = anEndpoint({ access: 'user', session: 'live' });
    const { isSessionLive: _none, ...unchecked } = env;
    const out = await runHttpFunction(fn, aRequest({ token: customerToken(), json: {} }), unchecked);
    assert.equal(out.status, 500);
  });
});

describe('JSON body limit', () => {
  it('refuses a JSON body over maxJsonBytes with a 413 before parsing it', async () => {
    const fn = anEndpoint({ body: z.unknown() });
    const out = await runHttpFunction(fn, aRequest({ body: Buffer.from(`[${'1,'.repeat(100)}1]`) }), {
      ...env,
      maxJsonBytes: 100,
    });
    assert.equal(out.status, 413);
    assert.equal((JSON.parse(out.body.toString()) as Envelope<unknown>).code, 'payload_too_large');
  });
});

describe('answers at hand', () => {
  const atHand = (overrides: Partial<AnyHttpFunction> = {}) =>
    anEndpoint({ methods: ['GET'], bodyKind: 'none', handler: () => ok({ ready: true }), ...overrides });
  const get = (overrides: Parameters<typeof aRequest>[0] = {}) => aRequest({ method: 'GET', ...overrides });

  it('come back without a promise from a public route whose handler returns its answer', () => {
    const out = runHttpFunction(atHand(), get(), env);
    assert.equal(out instanceof Promise, false);
    assert.equal((out as { status: number }).status, 200);
    assert.deepEqual(JSON.parse((out as { body: string }).body), {
      data: { ready: true },
      isSuccess: true,
      message: '',
      type: '',
    });
  });

  it('still validate the query first, answering 400 without calling the handler', () => {
    let called = false;
    const fn = atHand({
      query: z.object({ page: z.coerce.number().int() }),
      handler: () => ((called = true), ok(null)),
    });
    const out = runHttpFunction(fn, get({ query: new URLSearchParams('page=two') }), env);
    assert.equal((out as { status: number }).status, 400);
    assert.equal(called, false);
  });

  it('turn an exception thrown at once into the same 500 as a rejected promise', async () => {
    const fn = atHand({
      handler: () => {
        throw new Error('disk on fire');
      },
    });
    const out = runHttpFunction(fn, get({ headers: { 'x-correlation-id': 'sync-boom' } }), env);
    assert.equal(out instanceof Promise, false);
    const { status, envelope } = await run(fn, get({ headers: { 'x-correlation-id': 'sync-boom' } }));
    assert.equal(status, 500);
    assert.match(envelope.message, /sync-boom/);
    assert.doesNotMatch(envelope.message, /disk/);
  });

  it('turn data that cannot be encoded into a 500, answered at once or later', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const handler of [() => ok(cyclic), async () => ok(cyclic)]) {
      const { status, envelope } = await run(atHand({ handler }), get());
      assert.equal(status, 500);
      assert.equal(envelope.code, 'internal');
    }
  });

  it('are awaited as before on routes that authenticate', async () => {
    const fn = atHand({ access: 'user' });
    const out = runHttpFunction(fn, get({ token: customerToken() }), env);
    assert.equal(out instanceof Promise, true);
    assert.equal((await out).status, 200);
  });
});
