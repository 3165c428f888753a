// The whole shop on Azure, for `azd up` (azure.yaml at the repository root points here).
//
//   resource group
//   ├─ Log Analytics + Application Insights
//   ├─ user-assigned managed identity (the Function App runs as it)
//   ├─ Function App on Flex Consumption (Linux, Node 22) + its own storage account
//   ├─ media storage account (container "media", anonymous blob reads, CORS for GET)
//   ├─ Azure SQL server (Entra-only) + one serverless database per domain
//   ├─ Service Bus Standard: a topic per producing domain, a subscription per consumer
//   ├─ Communication Services + Email (Azure-managed domain)
//   ├─ Key Vault (RBAC): jwt-signing-keys (made by the postprovision hook, never by Bicep), admin-password
//   └─ API Management: one API for /api, per-operation JWT validation, CORS, rate limits
//
// The lists that must match the code live in JSON files beside this one and are checked against
// the function registry by tools/infra-check: messaging.json (topics, subscriptions),
// apim-operations.json (one APIM operation per HTTP route) and databases.json (domain databases).

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags derive from it.')
param environmentName string

@minLength(1)
@description('Azure region of every regional resource. It must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying principal (azd sets AZURE_PRINCIPAL_ID): Entra admin of the SQL server and Key Vault secrets officer.')
param principalId string

@description('Kind of the deploying principal.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Name recorded for the SQL Entra administrator (the deployer\'s UPN or app name).')
param sqlAdminLogin string = 'shop-sql-admin'

@description('Public IP of the machine that runs `npm run db:migrate` in the azd hook; empty for none.')
param sqlClientIpAddress string = ''

@description('API Management tier. Consumption has no rate-limit-by-key (its rate limits become no-ops).')
@allowed([
  'Consumption'
  'Developer'
  'BasicV2'
  'StandardV2'
])
param apimSku string = 'Developer'

@description('Publisher e-mail shown by API Management; defaults to ADMIN_EMAIL.')
param apimPublisherEmail string = ''

@description('The storefront\'s URL (SHOP_URL): links in e-mails, Stripe return pages.')
@minLength(1)
param shopUrl string = 'http://localhost:5173'

@description('Shop name (SHOP_NAME).')
param shopName string = 'Demo Shop'

@description('ISO 4217 currency of the shop (SHOP_CURRENCY).')
param shopCurrency string = 'AUD'

@description('Comma-separated origins the storefront is served from (CORS_ORIGINS); empty means SHOP_URL\'s origin.')
param corsOrigins string = ''

@description('E-mail of the ADMIN account bootstrapped by the migrations (ADMIN_EMAIL); empty for none.')
param adminEmail string = ''

@description('Password of that ADMIN account, stored in Key Vault as admin-password. Empty: store it yourself.')
@secure()
param adminPassword string = ''

@description('Audience of the access tokens (JWT_AUDIENCE).')
param jwtAudience string = 'ecommerce-functions'

@description('Stripe secret (or restricted) key, stored in Key Vault as stripe-secret-key. Empty: store it yourself.')
@secure()
param stripeSecretKey string = ''

@description('Signing secret (whsec_...) of the Stripe webhook endpoint <gateway>/api/order/webhook, stored as stripe-webhook-secret. Empty: store it yourself.')
@secure()
param stripeWebhookSecret string = ''

@description('Seconds API Management may serve the catalog\'s public GETs from its cache (CATALOG_CACHE_SECONDS, 0 to 3600). 0, the default, turns the gateway cache off. With a TTL, stock and price may lag by up to it, and cached detail hits are not counted as views. Not on the Consumption tier (no built-in cache).')
@minValue(0)
@maxValue(3600)
param catalogCacheSeconds int = 0

@description('How long a Stripe Checkout Session stays payable, in minutes (CHECKOUT_SESSION_MINUTES, 30 to 1440).')
@minValue(30)
@maxValue(1440)
param checkoutSessionMinutes int = 30

@description('Where the operators\' alerts are e-mailed (5xx rate, dead letters, relay trouble, webhook and refund failures); empty: the alerts exist but notify nobody.')
param alertEmail string = ''

@description('Where Communication Services keeps its data.')
param communicationDataLocation string = 'United States'

var tags = {
  'azd-env-name': environmentName
}
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

var names = {
  resourceGroup: 'rg-${environmentName}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  identity: 'id-func-${resourceToken}'
  hostStorage: 'stfunc${resourceToken}'
  mediaStorage: 'stmedia${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
  sql: 'sql-${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  communication: 'acs-${resourceToken}'
  email: 'ecs-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  apim: 'apim-${resourceToken}'
}

var deploymentContainerName = 'app-package'
var mediaContainerName = 'media'

// The gateway URL is fixed by the APIM name, so the Function App (issuer, public base URL) and
// APIM (backend = the Function App) do not depend on each other.
var gatewayUrl = 'https://${names.apim}.azure-api.net'
var jwtIssuer = '${gatewayUrl}/api/auth'

// An origin has no trailing slash; SHOP_URL may have one.
var shopOrigin = endsWith(shopUrl, '/') ? substring(shopUrl, 0, length(shopUrl) - 1) : shopUrl
var storefrontOrigins = empty(corsOrigins)
  ? [shopOrigin]
  : filter(map(split(corsOrigins, ','), origin => trim(origin)), origin => !empty(origin))

var messaging = loadJsonContent('messaging.json')
var apimOperations = loadJsonContent('apim-operations.json')
var databases = loadJsonContent('databases.json')

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module hostStorage 'modules/host-storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: names.hostStorage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module mediaStorage 'modules/media-storage.bicep' = {
  name: 'media-storage'
  scope: rg
  params: {
    name: names.mediaStorage
    location: location
    tags: tags
    containerName: mediaContainerName
    corsOrigins: storefrontOrigins
  }
}

module sql 'modules/sql.bicep' = {
  name: 'sql'
  scope: rg
  params: {
    name: names.sql
    location: location
    tags: tags
    databaseNames: databases.databases
    adminObjectId: principalId
    adminLogin: sqlAdminLogin
    adminPrincipalType: principalType == 'ServicePrincipal' ? 'Application' : 'User'
    clientIpAddress: sqlClientIpAddress
  }
}

module serviceBus 'modules/messaging.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    topology: messaging
  }
}

module email 'modules/email.bicep' = {
  name: 'email'
  scope: rg
  params: {
    communicationServiceName: names.communication
    emailServiceName: names.email
    tags: tags
    dataLocation: communicationDataLocation
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    adminPassword: adminPassword
    stripeSecretKey: stripeSecretKey
    stripeWebhookSecret: stripeWebhookSecret
  }
}

module roles 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: rg
  params: {
    identityName: names.identity
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    hostStorageName: names.hostStorage
    mediaStorageName: names.mediaStorage
    serviceBusNamespaceName: names.serviceBus
    keyVaultName: names.keyVault
    communicationServiceName: names.communication
  }
  dependsOn: [
    identity
    hostStorage
    mediaStorage
    serviceBus
    keyVault
    email
  ]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageName: names.hostStorage
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: names.applicationInsights
    sqlServerFqdn: sql.outputs.fullyQualifiedDomainName
    serviceBusFqdn: serviceBus.outputs.fullyQualifiedNamespace
    blobAccountUrl: mediaStorage.outputs.blobEndpoint
    blobContainer: mediaStorage.outputs.containerName
    acsEndpoint: email.outputs.endpoint
    emailSender: email.outputs.senderAddress
    keyVaultName: keyVault.outputs.name
    publicBaseUrl: gatewayUrl
    jwtAudience: jwtAudience
    shopUrl: shopUrl
    shopName: shopName
    shopCurrency: shopCurrency
    adminEmail: adminEmail
    corsOrigins: join(storefrontOrigins, ',')
    checkoutSessionMinutes: checkoutSessionMinutes
    catalogCacheSeconds: catalogCacheSeconds
  }
  // The identity must hold its storage and Key Vault roles before the host first starts.
  dependsOn: [
    monitoring
    hostStorage
    roles
  ]
}

module operations 'modules/operations.bicep' = {
  name: 'operations'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsName: names.applicationInsights
    serviceBusNamespaceName: names.serviceBus
    alertEmail: alertEmail
  }
  dependsOn: [
    monitoring
    serviceBus
  ]
}

module apim 'modules/api-management.bicep' = {
  name: 'api-management'
  scope: rg
  params: {
    name: names.apim
    location: location
    tags: tags
    sku: apimSku
    publisherEmail: !empty(apimPublisherEmail) ? apimPublisherEmail : (!empty(adminEmail) ? adminEmail : 'admin@example.com')
    publisherName: shopName
    functionAppHostName: functionApp.outputs.defaultHostName
    storefrontOrigins: storefrontOrigins
    jwtIssuer: jwtIssuer
    jwtAudience: jwtAudience
    operations: apimOperations.operations
    functionAppName: names.functionApp
    catalogCacheSeconds: catalogCacheSeconds
  }
}

// Read by azd (and written to .azure/<env>/.env), by the postprovision hook and by operators.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output API_BASE_URL string = apim.outputs.gatewayUrl
output APIM_NAME string = apim.outputs.name
output SQL_SERVER string = sql.outputs.fullyQualifiedDomainName
output SQL_DATABASE_PREFIX string = ''
output SQL_DATABASES string = join(sql.outputs.databaseNames, ',')
output FUNCTION_IDENTITY_NAME string = identity.outputs.name
output FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output BLOB_ACCOUNT_URL string = mediaStorage.outputs.blobEndpoint
output ACS_ENDPOINT string = email.outputs.endpoint
output EMAIL_SENDER string = email.outputs.senderAddress
output KEY_VAULT_NAME string = keyVault.outputs.name
output JWT_ISSUER string = jwtIssuer
output JWT_AUDIENCE string = jwtAudience
output ADMIN_EMAIL string = adminEmail
