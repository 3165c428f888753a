// Parameters for `bicep snapshot` in tools/infra-check/run.sh: the cheapest variant (Consumption
// tier, no secrets passed, CORS from SHOP_URL) whose evaluated resources consistency.ts checks.
using '../../bicep/main.bicep'

param environmentName = 'infra-check-consumption'
param location = 'australiaeast'
param principalId = '11111111-2222-3333-4444-555555555555'
param apimSku = 'Consumption'
param shopUrl = 'https://shop.example.com/'
// A TTL on a tier without the built-in cache: the catalog cache policy must stay off.
param catalogCacheSeconds = 30
