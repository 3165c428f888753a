// Key Vault (RBAC) for the secrets the Function App reads through Key Vault references:
// the JWT signing key set (jwt-signing-keys), the first ADMIN account's password and Stripe's
// keys (stripe-secret-key, stripe-webhook-secret).
// A secret whose parameter is empty is not written: the operator adds it (see bicep/README.md).
// The signing key set is never written here: a deployment would replace it (signing every shopper
// out); the postprovision hook makes it once (`npm run keys -- ensure --azure`) and
// `npm run keys -- rotate --azure` rotates it.

param name string
param location string
param tags { *: string }

@description('Password of the ADMIN account bootstrapped from ADMIN_EMAIL. Empty: the operator stores admin-password.')
@secure()
param adminPassword string

@description('Stripe secret key. Empty: the operator stores stripe-secret-key.')
@secure()
param stripeSecretKey string

@description('Signing secret of the Stripe webhook endpoint. Empty: the operator stores stripe-webhook-secret.')
@secure()
param stripeWebhookSecret string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource adminPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(adminPassword)) {
  parent: vault
  name: 'admin-password'
  properties: {
    value: adminPassword
    contentType: 'text/plain'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri

resource stripeSecretKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(stripeSecretKey)) {
  parent: vault
  name: 'stripe-secret-key'
  properties: {
    value: stripeSecretKey
    contentType: 'text/plain'
  }
}

resource stripeWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(stripeWebhookSecret)) {
  parent: vault
  name: 'stripe-webhook-secret'
  properties: {
    value: stripeWebhookSecret
    contentType: 'text/plain'
  }
}
