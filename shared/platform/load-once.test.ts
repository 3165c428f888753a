import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadOnce } from './load-once.js';

it('loads once for every caller, and tries again after a failed load', async () => {
  let calls = 0;
  let fail = true;
  const load = loadOnce(async () => {
    calls++;
    if (fail) throw new Error('not built');
    return 'module';
  });
  await assert.rejects(Promise.all([load(), load()]), /not built/);
  assert.equal(calls, 1, 'callers of one load share it');
  fail = false;
  assert.deepEqual(await Promise.all([load(), load()]), ['module', 'module']);
  assert.equal(calls, 2, 'a failed load is forgotten; a good one is kept');
  await load();
  assert.equal(calls, 2);
});
