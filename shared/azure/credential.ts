import {
  AzureDeveloperCliCredential,
  ChainedTokenCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';

/**
 * The identity the backend uses for Azure services (SQL, Service Bus, storage, email).
 * - In the Functions host, or wherever AZURE_CLIENT_ID names a user-assigned identity: that managed
 *   identity (DefaultAzureCredential with its client id).
 * - On a deployer's machine or in CI (db:migrate run by the azd hooks): the identity azd signed in
 *   with, in azd's tenant, first. DefaultAzureCredential alone would try the Azure CLI before azd and
 *   pick whatever `az` is signed into, which is often another account or tenant.
 */
export function azureCredential(
  options: { clientId?: string | undefined } = {},
  env: NodeJS.ProcessEnv = process.env,
): TokenCredential {
  const insideFunctionsHost = env['FUNCTIONS_WORKER_RUNTIME'] === 'node';
  if (insideFunctionsHost || options.clientId) {
    return new DefaultAzureCredential(options.clientId ? { managedIdentityClientId: options.clientId } : {});
  }
  const tenantId = env['AZURE_TENANT_ID'];
  return new ChainedTokenCredential(
    new AzureDeveloperCliCredential(tenantId ? { tenantId } : {}),
    new DefaultAzureCredential(tenantId ? { tenantId } : {}),
  );
}
