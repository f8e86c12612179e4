// Key Vault in RBAC mode holding one secret (the SendGrid API key).
param name string
param location string
param tags object
param secretName string

@secure()
param secretValue string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource secret 'secrets' = {
    name: secretName
    properties: {
      value: secretValue
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
