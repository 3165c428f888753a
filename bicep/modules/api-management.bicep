// API Management in front of the Function App: one API for the whole /api surface, one operation
// per registered route (bicep/apim-operations.json, generated from the function registry and
// verified by tools/infra-check), and the policies in apim-policies/.
//
// JWT validation is attached per operation: only operations whose policy is "protected" (the
// registry's user/admin routes) get validate-jwt; public routes never look at Authorization.

param name string
param location string
param tags { *: string }

@allowed([
  'Consumption'
  'Developer'
  'BasicV2'
  'StandardV2'
])
param sku string

param publisherEmail string
param publisherName string

@description('Default host name of the Function App (the backend).')
param functionAppHostName string

@description('Origins the storefront is served from (CORS).')
param storefrontOrigins string[]

@description('The access tokens\' issuer (JWT_ISSUER) and audience (JWT_AUDIENCE).')
param jwtIssuer string
param jwtAudience string

@description('The Function App, whose default host key the gateway sends as x-functions-key.')
param functionAppName string

@description('The routes (bicep/apim-operations.json).')
param operations {
  name: string
  method: string
  urlTemplate: string
  displayName: string
  description: string
  templateParameters: {
    name: string
    type: string
  }[]
  policy: ('' | 'protected' | 'strict-rate-limit' | 'webhook' | 'catalog-cache')
}[]

@description('Seconds the gateway keeps the catalog\'s public GETs (CATALOG_CACHE_SECONDS); 0 attaches no cache policy.')
@minValue(0)
@maxValue(3600)
param catalogCacheSeconds int = 0

// rate-limit-by-key is not offered on the Consumption tier: there the rate-limit fragments are a
// no-op and the functions' own throttling (login failures per account and IP) remains.
var supportsRateLimitByKey = sku != 'Consumption'

// The built-in response cache exists on every tier but Consumption (which needs an external
// Redis-compatible cache, not set up here); with a TTL of 0 the catalog operations get no policy.
var catalogCacheOn = catalogCacheSeconds > 0 && sku != 'Consumption'

var originElements = join(map(storefrontOrigins, origin => '<origin>${origin}</origin>'), '')

var globalPolicy = replace(
  loadTextContent('../../apim-policies/global.xml'),
  '<!-- storefront-origins -->',
  originElements
)

var fragments = {
  'client-rate-limit': supportsRateLimitByKey
    ? loadTextContent('../../apim-policies/fragments/client-rate-limit.xml')
    : loadTextContent('../../apim-policies/fragments/rate-limit-unavailable.xml')
  'strict-client-rate-limit': supportsRateLimitByKey
    ? loadTextContent('../../apim-policies/fragments/strict-client-rate-limit.xml')
    : loadTextContent('../../apim-policies/fragments/rate-limit-unavailable.xml')
}

var operationPolicies = {
  protected: loadTextContent('../../apim-policies/operations/protected.xml')
  'strict-rate-limit': loadTextContent('../../apim-policies/operations/strict-rate-limit.xml')
  webhook: loadTextContent('../../apim-policies/operations/webhook.xml')
  'catalog-cache': loadTextContent('../../apim-policies/operations/catalog-cache.xml')
}

resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: sku == 'Consumption' ? 0 : 1
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
  }
}

resource openIdConfigUrl 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: 'openid-config-url'
  properties: {
    displayName: 'openid-config-url'
    value: '${jwtIssuer}/.well-known/openid-configuration'
    secret: false
  }
}

resource jwtIssuerValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: 'jwt-issuer'
  properties: {
    displayName: 'jwt-issuer'
    value: jwtIssuer
    secret: false
  }
}

resource jwtAudienceValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: 'jwt-audience'
  properties: {
    displayName: 'jwt-audience'
    value: jwtAudience
    secret: false
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

// The functions run at the "function" auth level: the Functions host refuses a request without a
// key before any code runs. Only this gateway holds one, so nobody skips its JWT validation and rate
// limits by calling the Function App directly. The host's default key is kept across provisions.
resource gatewayKeyValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: 'functions-gateway-key'
  properties: {
    displayName: 'functions-gateway-key'
    value: listKeys('${functionApp.id}/host/default', '2025-03-01').functionKeys.default
    secret: true
  }
}

// The TTL of the catalog cache policy (operations/catalog-cache.xml), the same as the Function App's
// CATALOG_CACHE_SECONDS, whose Cache-Control says the same max-age.
resource catalogCacheSecondsValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: 'catalog-cache-seconds'
  properties: {
    displayName: 'catalog-cache-seconds'
    value: string(catalogCacheSeconds)
    secret: false
  }
}

// The on-error section echoes the request's Origin only when it is one of these.
resource storefrontOriginsValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: 'storefront-origins'
  properties: {
    displayName: 'storefront-origins'
    value: join(storefrontOrigins, ',')
    secret: false
  }
}

resource policyFragments 'Microsoft.ApiManagement/service/policyFragments@2024-05-01' = [
  for fragment in items(fragments): {
    parent: apim
    name: fragment.key
    properties: {
      format: 'rawxml'
      value: fragment.value
    }
  }
]

resource globalPolicyResource 'Microsoft.ApiManagement/service/policies@2024-05-01' = {
  parent: apim
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: globalPolicy
  }
  dependsOn: [
    policyFragments
    storefrontOriginsValue
  ]
}

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'shop'
  properties: {
    displayName: 'Shop API'
    description: 'Every HTTP function of the backend, under /api.'
    path: 'api'
    protocols: [
      'https'
    ]
    serviceUrl: 'https://${functionAppHostName}/api'
    subscriptionRequired: false
    apiType: 'http'
  }
}

resource apiPolicy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: loadTextContent('../../apim-policies/api.xml')
  }
  dependsOn: [
    gatewayKeyValue
  ]
}

resource apiOperations 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [
  for operation in operations: {
    parent: api
    name: operation.name
    properties: {
      displayName: operation.displayName
      description: operation.description
      method: operation.method
      urlTemplate: operation.urlTemplate
      templateParameters: [
        for parameter in operation.templateParameters: {
          name: parameter.name
          type: parameter.type
          required: true
        }
      ]
    }
  }
]

resource operationPolicyResources 'Microsoft.ApiManagement/service/apis/operations/policies@2024-05-01' = [
  for (operation, i) in operations: if (operation.policy != '' && (operation.policy != 'catalog-cache' || catalogCacheOn)) {
    parent: apiOperations[i]
    name: 'policy'
    properties: {
      format: 'rawxml'
      // Guarded, so that no evaluation of a skipped instance looks up the '' key.
      value: operation.policy == '' ? '' : operationPolicies[operation.policy]
    }
    dependsOn: [
      openIdConfigUrl
      jwtIssuerValue
      jwtAudienceValue
      catalogCacheSecondsValue
      policyFragments
    ]
  }
]

output name string = apim.name
output gatewayUrl string = apim.properties.gatewayUrl
