// Flex Consumption (FC1, Linux) function app running the .NET isolated worker, with every
// connection made by its user-assigned identity: no storage keys or connection strings.
param planName string
param name string
param location string
param tags object
@description('azd service name (azure.yaml); only the site carries the azd-service-name tag, so azd finds exactly one target.')
param serviceName string
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param keyVaultName string
param sendGridSecretName string
param sendGridFromEmail string
param noticeSigningKeySecretName string
param noticeOrganization string
param noticeContactEmail string
param outboundQueueName string
param noticeSchedule string
param instanceMemoryMB int
param maximumInstanceCount int
param runtimeVersion string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Identity-based host storage; the app reuses this account for its own queue, tables and blobs.
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      // Read by the triggers as %OutboundQueueName% and %NoticeSchedule%.
      OutboundQueueName: outboundQueueName
      NoticeSchedule: noticeSchedule
      // Key Vault reference, resolved with keyVaultReferenceIdentity; the key itself never appears here.
      SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${sendGridSecretName})'
      SendGrid__FromEmail: sendGridFromEmail
      Notices__SigningKey: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${noticeSigningKeySecretName})'
      Notices__Organization: noticeOrganization
      Notices__ContactEmail: noticeContactEmail
      // The "deleted unread" links in delete requests point at this app's ConfirmDeleted function.
      Notices__LinkBaseUrl: 'https://${functionApp.properties.defaultHostName}/api'
    }
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
