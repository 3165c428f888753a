import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChainedTokenCredential, DefaultAzureCredential } from '@azure/identity';
import { azureCredential } from './credential.js';

describe('azureCredential', () => {
  it('is the app’s managed identity inside the Functions host', () => {
    assert.ok(
      azureCredential({ clientId: 'c1' }, { FUNCTIONS_WORKER_RUNTIME: 'node' }) instanceof
        DefaultAzureCredential,
    );
  });

  it('on a deployer’s machine or in CI, tries azd’s own sign-in before the default chain', () => {
    const credential = azureCredential({}, { AZURE_TENANT_ID: '11111111-2222-3333-4444-555555555555' });
    assert.ok(credential instanceof ChainedTokenCredential);
    const sources = (credential as unknown as { _sources: object[] })._sources.map((s) => s.constructor.name);
    assert.deepEqual(sources, ['AzureDeveloperCliCredential', 'DefaultAzureCredential']);
  });
});
