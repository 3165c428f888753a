import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anHttpFunction } from '../testing/builders.js';
import { Router, type RouteMatch } from './router.js';

const aRoute = anHttpFunction;

/** The name of the function a request reaches, or the kind of miss. */
function reached(match: RouteMatch): string {
  return match.kind === 'found' ? match.fn.name : match.kind;
}

describe('Router', () => {
  it('matches case-insensitively', () => {
    const router = new Router([aRoute('brands', 'product/brands')]);
    assert.equal(reached(router.match('GET', '/Product/BRANDS')), 'brands');
  });

  it('accepts a trailing slash', () => {
    const router = new Router([aRoute('brands', 'product/brands')]);
    assert.equal(reached(router.match('GET', '/product/brands/')), 'brands');
  });

  it('passes route parameters, decoded, in their original case', () => {
    const router = new Router([aRoute('byName', 'brand/{name}')]);
    const match = router.match('GET', '/brand/Caf%C3%A9%20Noir');
    assert.equal(match.kind, 'found');
    assert.deepEqual(match.kind === 'found' && match.params, { name: 'Café Noir' });
  });

  it('does not rank a literal above a parameter: it takes routes in registration order, like the Functions host', () => {
    const literal = aRoute('brands', 'product/brands');
    const param = aRoute('byId', 'product/{id}');
    assert.equal(reached(new Router([param, literal]).match('GET', '/product/brands')), 'byId');
    assert.equal(reached(new Router([literal, param]).match('GET', '/product/brands')), 'brands');
  });

  it('lets a constrained parameter stand beside a literal in any order', () => {
    for (const routes of [
      [aRoute('byId', 'product/{id:int}'), aRoute('brands', 'product/brands')],
      [aRoute('brands', 'product/brands'), aRoute('byId', 'product/{id:int}')],
    ]) {
      const router = new Router(routes);
      assert.equal(reached(router.match('GET', '/product/brands')), 'brands');
      assert.equal(reached(router.match('GET', '/product/12')), 'byId');
    }
  });

  it('applies the {id:int} constraint', () => {
    const router = new Router([aRoute('byId', 'product/{id:int}')]);
    const match = router.match('GET', '/product/42');
    assert.deepEqual(match.kind === 'found' && match.params, { id: '42' });
    assert.equal(reached(router.match('GET', '/product/abc')), 'not-found');
    assert.equal(reached(router.match('GET', '/product/4x')), 'not-found');
    assert.equal(reached(router.match('GET', '/product/99999999999')), 'not-found', 'beyond a 32-bit int');
    assert.equal(reached(router.match('GET', '/product/-3')).toString(), 'byId');
  });

  it('answers method-not-allowed with every allowed method', () => {
    const router = new Router([aRoute('get', 'cart', ['GET']), aRoute('change', 'cart', ['PUT', 'DELETE'])]);
    const match = router.match('POST', '/cart');
    assert.equal(match.kind, 'method-not-allowed');
    assert.deepEqual(match.kind === 'method-not-allowed' && [...match.allowed].sort(), [
      'DELETE',
      'GET',
      'PUT',
    ]);
  });

  it('falls through to a parameter route that allows the method', () => {
    const router = new Router([
      aRoute('createBrand', 'product/brands', ['POST']),
      aRoute('byId', 'product/{id}'),
    ]);
    assert.equal(reached(router.match('GET', '/product/brands')), 'byId');
  });

  it('answers not-found for an unknown path', () => {
    const router = new Router([aRoute('brands', 'product/brands')]);
    assert.equal(reached(router.match('GET', '/product')), 'not-found');
    assert.equal(reached(router.match('GET', '/product/brands/x')), 'not-found');
  });

  it('treats literal segments as text, not patterns', () => {
    const router = new Router([aRoute('json', 'openapi.json')]);
    assert.equal(reached(router.match('GET', '/openapi.json')), 'json');
    assert.equal(reached(router.match('GET', '/openapiXjson')), 'not-found');
  });

  it('matches an optional parameter with and without a value', () => {
    const router = new Router([aRoute('list', 'orders/{status?}')]);
    assert.equal(reached(router.match('GET', '/orders')), 'list');
    const match = router.match('GET', '/orders/paid');
    assert.deepEqual(match.kind === 'found' && match.params, { status: 'paid' });
  });
});
