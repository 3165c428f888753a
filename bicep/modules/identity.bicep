// The user-assigned managed identity the Function App runs as (storage, Service Bus, SQL, Key
// Vault references, blob uploads and email all authenticate with it).

param name string
param location string
param tags { *: string }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
