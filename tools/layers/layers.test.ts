import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ruleBroken, violations } from './layers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the dependency rule over the app', () => {
  it('holds: entries -> domains -> shared/, and a domain reaches another only through its client', () => {
    const found = violations(root).map((v) => `${v.file} imports ${v.imports}: ${v.rule}`);
    assert.deepEqual(found, []);
  });
});

describe('the dependency rule', () => {
  const refused = (file: string, target: string) =>
    assert.ok(ruleBroken(file, target), `${file} -> ${target}`);
  const allowed = (file: string, target: string) =>
    assert.equal(ruleBroken(file, target), undefined, `${file} -> ${target}`);

  it('refuses shared/ anything above it, in code and tests alike', () => {
    refused('shared/platform/current.ts', 'functions/index.ts');
    refused('shared/local-host/server.ts', 'functions/local.ts');
    refused('shared/db/database.ts', 'functions/auth/auth.client.ts');
    refused('shared/local-host/server.test.ts', 'functions/ops/index.ts');
    refused('shared/http/openapi.ts', 'tools/openapi/route-outcomes.ts');
    allowed('shared/functions/registry.ts', 'shared/functions/naming.ts');
  });

  it('refuses a domain another domain’s internals and the entries', () => {
    refused('functions/cart/cart.service.ts', 'functions/catalog/catalog.repository.ts');
    refused('functions/cart/cart.service.ts', 'functions/catalog/index.ts');
    refused('functions/cart/cart.service.ts', 'functions/index.ts');
    refused('functions/auth/auth.seed.ts', 'functions/local.ts');
    allowed('functions/cart/cart.deps.ts', 'functions/catalog/catalog.client.ts');
    allowed('functions/cart/http/get-cart.ts', 'functions/cart/cart.service.ts');
    allowed('functions/cart/cart.service.ts', 'shared/http/errors.ts');
  });

  it('lets a domain’s tests register other domains and use their builders and schemas, nothing more', () => {
    allowed('functions/orders/tests/checkout.test.ts', 'functions/cart/index.ts');
    allowed('functions/orders/tests/checkout.test.ts', 'functions/index.ts');
    allowed('functions/orders/tests/checkout.test.ts', 'functions/cart/tests/cart.builders.ts');
    allowed('functions/rewards/tests/redeem.test.ts', 'functions/cart/cart.schemas.ts');
    refused('functions/orders/tests/checkout.test.ts', 'functions/catalog/catalog.tables.ts');
    refused('functions/cart/tests/cart.service.test.ts', 'functions/coupons/coupons.service.ts');
    refused('functions/orders/tests/checkout.test.ts', 'functions/local.ts');
  });

  it('lets the entries and the tools import anything', () => {
    allowed('functions/local.ts', 'functions/auth/demo-accounts.ts');
    allowed('functions/azure.ts', 'shared/functions/azure-host.ts');
    allowed('tools/infra-check/model.ts', 'functions/index.ts');
  });
});

describe('the checker reading source files', () => {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  after(() => fs.rmSync(tree, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree, rel), text);
  };

  it('finds static, type-only, re-exported and dynamic imports that break the rule', () => {
    write('functions/index.ts', "import './cart/index.js';\n");
    write('functions/cart/index.ts', "import { quote } from '../coupons/coupons.service.js';\n");
    write('functions/coupons/coupons.service.ts', 'export const quote = 1;\n');
    write('functions/coupons/coupons.client.ts', "export { quote } from './coupons.service.js';\n");
    write('shared/a.ts', "import type { X } from '../functions/cart/index.js';\n");
    write('shared/b.ts', "export * from '../functions/index.js';\n");
    write('shared/c.ts', "export async function load() {\n  await import('../functions/index.js');\n}\n");
    write('shared/d.ts', "import { a } from './a.js';\nimport { z } from 'zod';\n");
    const found = violations(tree).map((v) => `${v.file} -> ${v.imports}`);
    assert.deepEqual(found, [
      'functions/cart/index.ts -> functions/coupons/coupons.service.ts',
      'shared/a.ts -> functions/cart/index.ts',
      'shared/b.ts -> functions/index.ts',
      'shared/c.ts -> functions/index.ts',
    ]);
  });
});
