// The Function App on Flex Consumption (Linux, Node 22) running as the user-assigned identity,
// with identity-based connections only, and every setting the backend reads in Azure
// (shared/config/config.ts). tools/infra-check verifies these names against the config schema.

param name string
param planName string
param location string
param tags { *: string }

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity (AZURE_CLIENT_ID, __clientId settings).')
param identityClientId string

param hostStorageName string
param deploymentContainerName string
param applicationInsightsName string

@description('Node.js major version of the Functions runtime.')
param nodeVersion string = '22'

@description('Flex Consumption scale ceiling.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// Values of the backend's settings, resolved by main.bicep.
param sqlServerFqdn string
param serviceBusFqdn string
param blobAccountUrl string
param blobContainer string
param acsEndpoint string
param emailSender string
param keyVaultName string
param publicBaseUrl string
param jwtAudience string
param shopUrl string
param shopName string
param shopCurrency string
param adminEmail string
param corsOrigins string
param checkoutSessionMinutes int

@description('CATALOG_CACHE_SECONDS: the gateway cache TTL of the catalog\'s public GETs, sent as Cache-Control max-age.')
param catalogCacheSeconds int

resource hostStorage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: hostStorageName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var keyVaultReference = 'VaultName=${keyVaultName};SecretName='

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  // azd finds the deployment target by this tag (service "api" in azure.yaml).
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host: identity-based storage and Service Bus trigger connection.
      AzureWebJobsStorage__accountName: hostStorage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      ServiceBusConnection__fullyQualifiedNamespace: serviceBusFqdn
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString

      // The backend (shared/config/config.ts).
      AZURE_CLIENT_ID: identityClientId
      SQL_SERVER: sqlServerFqdn
      SQL_DATABASE_PREFIX: ''
      SERVICE_BUS_NAMESPACE: serviceBusFqdn
      BLOB_ACCOUNT_URL: blobAccountUrl
      BLOB_CONTAINER: blobContainer
      ACS_ENDPOINT: acsEndpoint
      EMAIL_SENDER: emailSender
      PUBLIC_BASE_URL: publicBaseUrl
      JWT_ISSUER: '${publicBaseUrl}/api/auth'
      JWT_AUDIENCE: jwtAudience
      // The key set (made and rotated by `npm run keys`, never by a deployment, which would sign
      // every shopper out): the next key published ahead, the previous one kept for old sessions.
      JWT_SIGNING_KEYS: '@Microsoft.KeyVault(${keyVaultReference}jwt-signing-keys)'
      SHOP_URL: shopUrl
      SHOP_NAME: shopName
      SHOP_CURRENCY: shopCurrency
      DEMO_DATA: 'false'
      ADMIN_EMAIL: adminEmail
      ADMIN_PASSWORD: '@Microsoft.KeyVault(${keyVaultReference}admin-password)'
      CORS_ORIGINS: corsOrigins
      // Checkout returns the shopper only to the storefront's own origins.
      STOREFRONT_ORIGINS: corsOrigins
      STRIPE_SECRET_KEY: '@Microsoft.KeyVault(${keyVaultReference}stripe-secret-key)'
      STRIPE_WEBHOOK_SECRET: '@Microsoft.KeyVault(${keyVaultReference}stripe-webhook-secret)'
      CHECKOUT_SESSION_MINUTES: string(checkoutSessionMinutes)
      CATALOG_CACHE_SECONDS: string(catalogCacheSeconds)
      // The rare outbox sweep (the timer reads %OUTBOX_SWEEP_SCHEDULE%): every 6 hours.
      OUTBOX_SWEEP_SCHEDULE: '0 0 */6 * * *'
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
