import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadCache, RevisionReader } from './read-cache.js';

describe('ReadCache', () => {
  it('serves an answer only at the revision it was built at', async () => {
    const cache = new ReadCache(1024 * 1024);
    let builds = 0;
    const build = async () => JSON.stringify({ n: ++builds });
    const a = await cache.answer('k', 1, build);
    const hit = cache.answer('k', 1, build);
    assert.equal(hit instanceof Promise, false, 'a hit is answered at once');
    assert.equal((await hit).body, a.body);
    const b = await cache.answer('k', 2, build);
    assert.equal(builds, 2);
    assert.notEqual(b.etag, a.etag);
    assert.equal(cache.size, 1);
  });

  it('builds once for a burst of misses of one key', async () => {
    const cache = new ReadCache(1024 * 1024);
    let builds = 0;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => cache.answer('k', 1, async () => JSON.stringify({ n: ++builds }))),
    );
    assert.equal(builds, 1);
    assert.ok(answers.every((x) => x === answers[0]));
  });

  it('keeps within its byte and entry bounds, dropping the least recently used first', async () => {
    const cache = new ReadCache(2_000, 3);
    const build = (n: number) => async () => JSON.stringify({ text: 'x'.repeat(n) });
    await cache.answer('a', 1, build(10));
    await cache.answer('b', 1, build(10));
    await cache.answer('c', 1, build(10));
    await cache.answer('a', 1, build(10)); // a is now the most recent
    await cache.answer('d', 1, build(10)); // four entries: b goes
    assert.equal(cache.size, 3);
    let rebuilt = false;
    await cache.answer('b', 1, async () => ((rebuilt = true), '{}'));
    assert.ok(rebuilt);
    await cache.answer('big', 1, build(1_500)); // pushes out older entries to fit the bytes
    assert.ok(cache.bytes <= 2_000, String(cache.bytes));
    await cache.answer('huge', 1, build(5_000)); // larger than the whole cache: answered, not kept
    assert.ok(cache.bytes <= 2_000);
  });

  it('does not keep a failed build', async () => {
    const cache = new ReadCache(1024);
    await assert.rejects(async () => cache.answer('k', 1, () => Promise.reject(new Error('db down'))));
    assert.equal(
      (await cache.answer('k', 1, async () => '1')).body,
      '{"data":1,"isSuccess":true,"message":"","type":""}',
    );
  });
});

describe('RevisionReader', () => {
  it('reads once for the requests that arrive together, and again for a request after that read', async () => {
    let revision = 1;
    let reads = 0;
    const reader = new RevisionReader(async () => (reads++, revision));
    assert.deepEqual(await Promise.all([reader.current(), reader.current(), reader.current()]), [1, 1, 1]);
    assert.equal(reads, 1);
    revision = 2; // a commit, then a new request: it never shares the earlier read
    assert.equal(await reader.current(), 2);
    assert.equal(reads, 2);
  });

  it('a request that arrives after a commit is answered by a read made after it arrived', async () => {
    let revision = 1;
    const reader = new RevisionReader(async () => revision);
    const first = reader.current();
    revision = 2; // committed before the second request arrives, in the same turn
    const second = reader.current();
    // Both share a read made after both arrived: neither sees a revision older than its arrival.
    assert.deepEqual(await Promise.all([first, second]), [2, 2]);
  });
});
