// Azure SQL logical server with Microsoft Entra-only authentication and one serverless database
// per domain (each domain owns its database; the backend opens `${SQL_DATABASE_PREFIX}${domain}`).

param name string
param location string
param tags { *: string }

@description('Database names, one per domain (bicep/databases.json).')
param databaseNames string[]

@description('Object id of the Entra principal that administers the server (the deployer).')
param adminObjectId string

@description('Display name (or UPN) recorded for the Entra administrator.')
param adminLogin string

@description('Kind of the administrator principal.')
@allowed([
  'User'
  'Group'
  'Application'
])
param adminPrincipalType string

@description('Optional public IP of the machine that runs the migrations (azd hooks); empty for none.')
param clientIpAddress string = ''

@description('Serverless vCore ceiling per database.')
param maxVCores int = 1

@description('Minutes of inactivity before a serverless database pauses (-1 disables auto-pause).')
param autoPauseDelayMinutes int = 60

resource server 'Microsoft.Sql/servers@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminLogin
      sid: adminObjectId
      principalType: adminPrincipalType
      tenantId: tenant().tenantId
    }
  }
}

// The Flex Consumption app has no fixed outbound address without VNet integration, so Azure
// services are allowed (0.0.0.0 is ARM's marker for "Azure services"). Every login is Entra-only.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2025-01-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource allowDeployer 'Microsoft.Sql/servers/firewallRules@2025-01-01' = if (!empty(clientIpAddress)) {
  parent: server
  name: 'AllowDeployerClient'
  properties: {
    startIpAddress: clientIpAddress
    endIpAddress: clientIpAddress
  }
}

resource databases 'Microsoft.Sql/servers/databases@2025-01-01' = [
  for databaseName in databaseNames: {
    parent: server
    name: databaseName
    location: location
    tags: tags
    sku: {
      name: 'GP_S_Gen5'
      tier: 'GeneralPurpose'
      family: 'Gen5'
      capacity: maxVCores
    }
    properties: {
      collation: 'SQL_Latin1_General_CP1_CI_AS'
      autoPauseDelay: autoPauseDelayMinutes
      minCapacity: json('0.5')
      maxSizeBytes: 34359738368
      zoneRedundant: false
      requestedBackupStorageRedundancy: 'Local'
    }
  }
]

output name string = server.name
output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
output databaseNames string[] = [for (databaseName, i) in databaseNames: databases[i].name]
