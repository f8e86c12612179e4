// Key Vault in RBAC mode holding the app's secrets (SendGrid API key, notice-link signing key).
param name string
param location string
param tags object

param sendGridSecretName string

@secure()
param sendGridApiKey string

param noticeSigningKeySecretName string

@secure()
param noticeSigningKey string

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


  resource sendGridSecret 'secrets' = {
    name: sendGridSecretName
    properties: {
      value: sendGridApiKey
      contentType: 'text/plain'
    }
  }

  resource noticeSigningKeySecret 'secrets' = {
    name: noticeSigningKeySecretName
    properties: {
      value: noticeSigningKey
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
