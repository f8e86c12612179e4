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
param sendGridFromName string
param noticeSigningKeySecretName string
param noticeOrganization string
param noticeOrganizationEn string
param noticeSenderStyle string
param noticeContactEmail string
param noticeContactPhone string
param noticeContactHoursJa string
param noticeContactHoursEn string
param noticeConfirmationPageUrl string
param noticeNotMinePageUrl string
@description('The privacy officer\'s address for recipients\' "not mine" reports (Alerts__OfficerEmail); empty: the console only.')
param alertOfficerEmail string
// Reporter__*: the reporter details of incident reports (empty: "to be completed" in the report).
param reporterLegalName string
param reporterAddress string
param reporterRepresentative string
param reporterDataProtectionOfficer string
param reporterPersonInCharge string
param reporterPhone string
param reporterEmail string
param outboundQueueName string
param noticeSchedule string
param instanceMemoryMB int
param maximumInstanceCount int
param runtimeVersion string
@description('Client id of the Entra app registration operators sign in with.')
param entraClientId string
param entraTenantId string
@description('Paths recipients open without signing in.')
param anonymousPaths array

// App Service Authentication reads the client assertion of the app registration from this app setting name: the
// app's managed identity signs it through a federated identity credential, so there is no client secret to keep.
var clientAssertionSettingName = 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'

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
    // ftpsState and the other site properties Flex Consumption deprecates are deliberately absent (docs/deploy.md).
    siteConfig: {
      minTlsVersion: '1.2'
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
      Notices__SigningKey: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${noticeSigningKeySecretName})'
      // Who the notices speak for, whom they come from and how people reach the sender: one setting per fact.
      NoticeSender__Organization: noticeOrganization
      NoticeSender__OrganizationEn: noticeOrganizationEn
      NoticeSender__Style: noticeSenderStyle
      NoticeSender__FromEmail: sendGridFromEmail
      NoticeSender__FromName: sendGridFromName
      NoticeSender__ContactEmail: noticeContactEmail
      NoticeSender__ContactPhone: noticeContactPhone
      NoticeSender__ContactHoursJa: noticeContactHoursJa
      NoticeSender__ContactHoursEn: noticeContactHoursEn
      // The "deleted unread" page on the sender's own https site, which hands the token to ConfirmDeleted (docs/deploy.md).
      NoticeSender__ConfirmationPageUrl: noticeConfirmationPageUrl
      // The "this mail is not for me" page on the same site, which hands the token to NotMine (docs/deploy.md).
      NoticeSender__NotMinePageUrl: noticeNotMinePageUrl
      // Recipients' "not mine" reports are mailed to the officer (empty: none), linking to the console of this app.
      Alerts__OfficerEmail: alertOfficerEmail
      Alerts__ConsoleUrl: 'https://${functionApp.properties.defaultHostName}/api/console'
      Reporter__LegalName: reporterLegalName
      Reporter__Address: reporterAddress
      Reporter__Representative: reporterRepresentative
      Reporter__DataProtectionOfficer: reporterDataProtectionOfficer
      Reporter__PersonInCharge: reporterPersonInCharge
      Reporter__Phone: reporterPhone
      Reporter__Email: reporterEmail
      '${clientAssertionSettingName}': identity.properties.clientId
    }
  }

  // Microsoft Entra sign-in in front of everything but the recipients' pages. Browsers are redirected to the
  // sign-in page; non-browser clients get 401 (docs/deploy.md, "Operator sign-in").
  resource authSettings 'config' = {
    name: 'authsettingsV2'
    properties: {
      platform: {
        enabled: true
      }
      globalValidation: {
        requireAuthentication: true
        unauthenticatedClientAction: 'RedirectToLoginPage'
        redirectToProvider: 'azureactivedirectory'
        excludedPaths: anonymousPaths
      }
      httpSettings: {
        requireHttps: true
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
            clientId: entraClientId
            clientSecretSettingName: clientAssertionSettingName
          }
          validation: {
            allowedAudiences: [
              'api://${entraClientId}'
            ]
          }
        }
      }
      login: {
        // The app reads only the X-MS-CLIENT-PRINCIPAL headers, never the provider's tokens.
        tokenStore: {
          enabled: false
        }
      }
    }
    // Both configs write the same site; the client assertion setting must exist before sign-in uses it.
    dependsOn: [
      appSettings
    ]
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
