import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPromise } from './maybe-promise.js';

describe('isPromise', () => {
  it('tells a promise or a thenable from a plain value', () => {
    assert.equal(isPromise(Promise.resolve(1)), true);
    assert.equal(isPromise({ then: () => undefined }), true);
    assert.equal(isPromise({ kind: 'raw', status: 200 }), false);
    assert.equal(isPromise({ then: 'not a function' }), false);
    assert.equal(isPromise(null), false);
    assert.equal(isPromise(42), false);
  });
});
