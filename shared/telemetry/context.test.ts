import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentTrace,
  currentTraceparent,
  formatTraceparent,
  parseTraceparent,
  withContext,
} from './context.js';

const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C trace context', () => {
  it('reads a traceparent and refuses malformed or all-zero ones', () => {
    assert.deepEqual(parseTraceparent(parent), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
    for (const bad of [
      undefined,
      '',
      'garbage',
      '00-0000000000000000000000000000000-00f067aa0ba902b7-01',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
    ])
      assert.equal(parseTraceparent(bad), undefined, String(bad));
  });

  it('continues the caller’s trace with a span of its own, or starts a new trace', async () => {
    await withContext({ correlationId: 'c1', traceparent: parent }, async () => {
      const trace = currentTrace();
      assert.equal(trace?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
      assert.notEqual(trace?.spanId, '00f067aa0ba902b7');
      assert.equal(currentTraceparent(), trace && formatTraceparent(trace));
    });
    await withContext({ correlationId: 'c2' }, async () => {
      assert.match(currentTrace()?.traceId ?? '', /^[0-9a-f]{32}$/);
    });
    assert.equal(currentTrace(), undefined);
  });
});
