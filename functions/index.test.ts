import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { assertRegistryValid, registry } from '../shared/functions/registry.js';

describe('the real registry', () => {
  it('registers every domain in functions/index.ts', () => {
    assert.ok(registry.http.length > 0);
    assert.ok(registry.domains.some((d) => d.name === 'ops'));
  });

  it('is valid for the Azure Functions host', () => {
    assert.doesNotThrow(() => assertRegistryValid());
  });
});
