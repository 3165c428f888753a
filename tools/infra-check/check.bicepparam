// Parameters for `bicep snapshot` in tools/infra-check/run.sh: a full deployment (Developer tier,
// every secret given) whose evaluated resources consistency.ts checks. Placeholder values only.
using '../../bicep/main.bicep'

param environmentName = 'infra-check'
param location = 'australiaeast'
param principalId = '11111111-2222-3333-4444-555555555555'
param principalType = 'User'
param apimSku = 'Developer'
param shopUrl = 'https://shop.example.com'
param corsOrigins = 'https://shop.example.com,https://www.shop.example.com'
param adminEmail = 'admin@example.com'
param adminPassword = 'placeholder-not-a-secret'
param stripeSecretKey = 'placeholder-not-a-key'
param stripeWebhookSecret = 'placeholder-not-a-secret'
param checkoutSessionMinutes = 45
param alertEmail = 'ops@example.com'
// A gateway cache TTL, so the snapshot shows the catalog cache policy attached (Developer has the cache).
param catalogCacheSeconds = 30
