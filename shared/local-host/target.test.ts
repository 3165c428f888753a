import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTarget } from './server.js';

describe('parseTarget', () => {
  // The hand-split fast path and new URL must agree on every target, plain or not.
  const targets = [
    '/',
    '/api',
    '/api/product?pageIndex=1&pageSize=20&sort=name',
    '/api/product/',
    '/api/PRODUCT/12',
    '/api/../api/health',
    '/api/./product',
    '/api/pro%20duct?search=%41b+c',
    '/api//product',
    '/api/product?search="<x>"&priceMin=',
    '/api/product?a=1#fragment',
    '/.well-known/x',
    '/api/a..b/c?x',
    '/api/produkt-ä?q=ü',
  ];
  for (const target of targets) {
    it(`reads ${target} as new URL does`, () => {
      const url = new URL(target, 'http://local');
      const parsed = parseTarget(target);
      assert.equal(parsed.pathname, url.pathname);
      assert.equal(parsed.searchParams.toString(), url.searchParams.toString());
    });
  }
});
