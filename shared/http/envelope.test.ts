import assert from 'node:assert/strict';
import { it } from 'node:test';
import { success, successJson } from './envelope.js';

it('successJson gives the bytes of JSON.stringify(success(data)) from the data already encoded', () => {
  for (const data of [
    1,
    'text "quoted"',
    null,
    [],
    { a: [1, { b: 'c' }] },
    { page: { count: 0, data: [] } },
  ]) {
    assert.equal(successJson(JSON.stringify(data)), JSON.stringify(success(data)));
  }
});
