// The media storage account (product photos, avatars), apart from the Function App's own. The
// media container allows anonymous reads of single blobs (image URLs go straight to the browser);
// writes need the app's identity (Storage Blob Data Contributor), never a key.

param name string
param location string
param tags { *: string }

@description('The container the backend stores files in (BLOB_CONTAINER).')
param containerName string

@description('Origins allowed to GET blobs cross-origin (the storefront). ["*"] allows any.')
param corsOrigins string[]

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    // Needed for the container-level anonymous read below; blobs are still written by identity only.
    allowBlobPublicAccess: true
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
  properties: {
    cors: {
      corsRules: [
        {
          allowedOrigins: corsOrigins
          allowedMethods: [
            'GET'
            'HEAD'
            'OPTIONS'
          ]
          allowedHeaders: [
            '*'
          ]
          exposedHeaders: [
            '*'
          ]
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: containerName
  properties: {
    // 'Blob': anyone may read a blob by its URL; listing the container stays private.
    publicAccess: 'Blob'
  }
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output containerName string = mediaContainer.name
