import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyHttpFunction } from '../http/types.js';
import { anHttpFunction } from '../testing/builders.js';
import { parseRoute } from '../http/routes.js';
import { registryProblems } from './naming.js';

const aFunction = anHttpFunction;

const problemsOf = (...http: AnyHttpFunction[]) => registryProblems(http, http);

describe('parseRoute', () => {
  it('reads literals (lower-cased), parameters, constraints, optionals and catch-alls', () => {
    assert.deepEqual(parseRoute('Product/{id:int}/{slug?}/{*rest}'), [
      { kind: 'literal', value: 'product' },
      { kind: 'param', value: 'id', constraint: 'int', optional: false },
      { kind: 'param', value: 'slug', constraint: undefined, optional: true },
      { kind: 'catchAll', value: 'rest', constraint: undefined, optional: false },
    ]);
  });

  it('refuses malformed templates', () => {
    for (const route of ['/product', 'product/', 'product//x', 'product/{id', 'product/x{id}']) {
      assert.throws(() => parseRoute(route), Error, route);
    }
  });
});

describe('registryProblems', () => {
  it('finds nothing wrong in a sound registry', () => {
    assert.deepEqual(
      problemsOf(
        aFunction('catalog-brands', 'product/brands'),
        aFunction('catalog-product', 'product/{id:int}'),
        aFunction('catalog-update', 'product/{id:int}', ['PUT']),
      ),
      [],
    );
  });

  it('reports invalid function names', () => {
    const problems = problemsOf(
      aFunction('1st', 'a'),
      aFunction('has space', 'b'),
      aFunction('dot.name', 'c'),
    );
    assert.equal(problems.length, 3);
    for (const p of problems) assert.match(p, /not valid/);
  });

  it('reports a name used twice, ignoring case', () => {
    const problems = problemsOf(aFunction('Cart-Get', 'cart'), aFunction('cart-get', 'cart/items'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /used twice/);
  });

  it('reports a name shared by an HTTP function and a consumer', () => {
    const http = [aFunction('rewards-on-order-paid', 'rewards')];
    assert.equal(registryProblems([...http, { name: 'rewards-on-order-paid' }], http).length, 1);
  });

  it('reports two functions answering the same method on the same route shape', () => {
    const problems = problemsOf(
      aFunction('product-by-id', 'product/{id}', ['GET', 'PUT']),
      aFunction('product-by-slug', 'Product/{slug}', ['GET']),
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /product-by-id.*product-by-slug.*GET/);
  });

  it('reports a parameter beside a literal of the same method: the Functions host does not prefer the literal', () => {
    const problems = problemsOf(aFunction('brands', 'product/brands'), aFunction('product', 'product/{id}'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /brands.*product.*GET.*constraint such as \{id:int\}/);
  });

  it('allows a parameter beside a literal when its constraint excludes the literal', () => {
    assert.deepEqual(
      problemsOf(aFunction('brands', 'product/brands'), aFunction('product', 'product/{id:int}')),
      [],
    );
    assert.deepEqual(problemsOf(aFunction('me', 'user/me'), aFunction('user', 'user/{userId:guid}')), []);
  });

  it('still reports a constrained parameter that the literal satisfies', () => {
    assert.equal(
      problemsOf(aFunction('latest', 'order/2024'), aFunction('order', 'order/{id:int}')).length,
      1,
    );
  });

  it('allows a literal and a parameter under different methods (GET reward/{userId} beside POST reward/redeem)', () => {
    assert.deepEqual(
      problemsOf(
        aFunction('get', 'reward/{userId}', ['GET']),
        aFunction('redeem', 'reward/redeem', ['POST']),
      ),
      [],
    );
  });

  it('sees overlaps through optional parameters and catch-alls', () => {
    assert.equal(problemsOf(aFunction('list', 'docs'), aFunction('page', 'docs/{page?}')).length, 1);
    assert.equal(
      problemsOf(aFunction('asset', 'docs/assets/x.css'), aFunction('all', 'docs/{*rest}')).length,
      1,
    );
    assert.deepEqual(problemsOf(aFunction('a', 'docs/a'), aFunction('b', 'files/{*rest}')), []);
  });

  it('allows the same route with different methods', () => {
    assert.deepEqual(problemsOf(aFunction('a', 'cart', ['GET']), aFunction('b', 'cart', ['POST'])), []);
  });

  it('reports a malformed route template', () => {
    const problems = problemsOf(aFunction('broken', 'product/{id'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /broken/);
  });
});
