// Mis-send Detector: everything `azd up` provisions. See docs/deploy.md.
// Subscription scope so that the resource group itself is part of the deployment.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in the resource group name and in the resource token.')
param environmentName string

// Regions that offer Flex Consumption, as listed by Microsoft's Flex Consumption azd quickstart
// (Azure-Samples/functions-quickstart-dotnet-azd, infra/main.bicep, February 2026). The list grows;
// `az functionapp list-flexconsumption-locations` is the authority. See docs/deploy.md.
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'eastus2euap'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
@description('Azure region for every resource; only regions with Flex Consumption.')
param location string

@description('Object id of the deploying principal (azd sets AZURE_PRINCIPAL_ID). When set, it gets the same data roles as the app, for local debugging against the deployed storage account, and Key Vault Secrets Officer.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Type of principalId: User for `azd up` as a person, ServicePrincipal in CI (AZURE_PRINCIPAL_TYPE).')
param principalType string = 'User'

@secure()
@minLength(1)
@description('SendGrid API key. Stored only as a Key Vault secret; the app reads it through a Key Vault reference.')
param sendGridApiKey string

@minLength(3)
@description('From address of the apology and delete-request notices (NoticeSender__FromEmail). Must be a verified SendGrid sender.')
param sendGridFromEmail string

@description('Sender name recipients see (NoticeSender__FromName). Empty: the organization (noticeOrganization), as the code does when it is unset.')
param sendGridFromName string = ''

@secure()
@minLength(44)
@description('Base64 of at least 32 random bytes that signs the "deleted unread" links in delete requests (Notices__SigningKey). Stored only in Key Vault.')
param noticeSigningKey string

@minLength(1)
@description('Who the apology and delete-request notices speak for, as recipients know it (NoticeSender__Organization), e.g. 浦和レッズ シーズンチケット事務局.')
param noticeOrganization string

@description('The organization\'s name in English notices (NoticeSender__OrganizationEn). Empty: noticeOrganization.')
param noticeOrganizationEn string = ''

@allowed([
  'Company'
  'Office'
])
@description('How the Japanese notices speak of the sender (NoticeSender__Style): Company says 弊社, Office (an 事務局) says 当事務局.')
param noticeSenderStyle string = 'Company'

@minLength(3)
@description('Where affected people can write (NoticeSender__ContactEmail); a job policy\'s contactEmail is the reply-to of its own notices.')
param noticeContactEmail string

@minLength(3)
@description('The phone number the notices give (NoticeSender__ContactPhone).')
param noticeContactPhone string

@minLength(1)
@description('When that phone is answered, in Japanese (NoticeSender__ContactHoursJa), e.g. 平日 10:00〜17:00（土日祝日を除く）.')
param noticeContactHoursJa string

@minLength(1)
@description('When that phone is answered, in English (NoticeSender__ContactHoursEn).')
param noticeContactHoursEn string

@minLength(9)
@description('The "deleted unread" page on the sender\'s own https site, e.g. https://www.example.jp/privacy/confirm (NoticeSender__ConfirmationPageUrl); it must hand ?token= to the app\'s /api/confirm (docs/deploy.md).')
param noticeConfirmationPageUrl string

@minLength(9)
@description('The "this mail is not for me" page on the sender\'s own https site, e.g. https://www.example.jp/privacy/not-mine (NoticeSender__NotMinePageUrl); it must hand ?token= to the app\'s /api/not-mine (docs/deploy.md).')
param noticeNotMinePageUrl string

@description('The privacy officer\'s address: recipients\' "not mine" reports are mailed here (Alerts__OfficerEmail). Empty: they show in the console only.')
param alertOfficerEmail string = ''

// The reporter's details in incident reports (Reporter__*); what is left empty reads 「（要記入）」 / "(to be completed)".
@description('Legal name of the reporting organization, 法人の名称 (Reporter__LegalName).')
param reporterLegalName string = ''

@description('Its address, 住所 (Reporter__Address).')
param reporterAddress string = ''

@description('Its representative, 代表者の氏名 (Reporter__Representative).')
param reporterRepresentative string = ''

@description('Data protection officer or 個人情報保護管理者 (Reporter__DataProtectionOfficer).')
param reporterDataProtectionOfficer string = ''

@description('Person in charge of the report, 報告担当者 (Reporter__PersonInCharge).')
param reporterPersonInCharge string = ''

@description('Phone number for the regulator (Reporter__Phone).')
param reporterPhone string = ''

@description('E-mail address for the regulator (Reporter__Email).')
param reporterEmail string = ''

@description('NCRONTAB schedule of the notice timer (app setting NoticeSchedule).')
param noticeSchedule string = '0 */1 * * * *'

@minLength(36)
@maxLength(36)
@description('Application (client) id of the Microsoft Entra app registration operators sign in with (App Service Authentication in front of the console and operator endpoints).')
param entraClientId string

@description('Tenant of that app registration. Empty: the tenant of the subscription.')
param entraTenantId string = ''

@allowed([512, 2048, 4096])
@description('Memory per Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Upper bound on Flex Consumption scale-out (also bounds the cost of a runaway queue).')
param maximumInstanceCount int = 40

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// Storage names used by the code (functions/MisSend.Azure/Configuration/PipelineOptions.cs defaults).
// tests/MisSend.Infra.Tests checks that these and the code agree.
var outboundQueueName = 'outbound-batches'
var poisonQueueName = '${outboundQueueName}-poison'
var tableNames = [
  'MisSendJobs'
  'MisSendLedger'
  'MisSendIncidents'
  'MisSendNotices'
]
var quarantineContainerName = 'quarantine'
var claimCheckContainerName = 'claim-check'
// Infra-only: Flex Consumption pulls the deployment package from this container.
var deploymentContainerName = 'app-package'
var sendGridSecretName = 'sendgrid-api-key'
var noticeSigningKeySecretName = 'notice-signing-key'

// Recipients open these without signing in: the "deleted unread" confirmation and the "this mail is not for me"
// page (HTTP functions ConfirmDeleted and NotMine, under host.json's route prefix "api"). Everything else, the
// operator console and endpoints included, requires Microsoft Entra sign-in.
var recipientPaths = [
  '/api/confirm'
  '/api/not-mine'
]

// Resource names are computed here (not taken from module outputs) so that What-If can predict them.
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}func-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    queueNames: [
      outboundQueueName
      poisonQueueName
    ]
    tableNames: tableNames
    containerNames: [
      quarantineContainerName
      claimCheckContainerName
      deploymentContainerName
    ]
  }
}

module keyVault 'core/security/key-vault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    sendGridSecretName: sendGridSecretName
    sendGridApiKey: sendGridApiKey
    noticeSigningKeySecretName: noticeSigningKeySecretName
    noticeSigningKey: noticeSigningKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
    applicationInsightsName: applicationInsightsName
    identityName: identityName
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
  dependsOn: [
    identity
    monitoring
    storage
    keyVault
  ]
}

module functionApp 'app/function-app.bicep' = {
  name: 'function'
  scope: rg
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    location: location
    tags: tags
    serviceName: 'function'
    identityName: identityName
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    keyVaultName: keyVaultName
    sendGridSecretName: sendGridSecretName
    sendGridFromEmail: sendGridFromEmail
    sendGridFromName: empty(sendGridFromName) ? noticeOrganization : sendGridFromName
    noticeSigningKeySecretName: noticeSigningKeySecretName
    noticeOrganization: noticeOrganization
    noticeOrganizationEn: empty(noticeOrganizationEn) ? noticeOrganization : noticeOrganizationEn
    noticeSenderStyle: noticeSenderStyle
    noticeContactEmail: noticeContactEmail
    noticeContactPhone: noticeContactPhone
    noticeContactHoursJa: noticeContactHoursJa
    noticeContactHoursEn: noticeContactHoursEn
    noticeConfirmationPageUrl: noticeConfirmationPageUrl
    noticeNotMinePageUrl: noticeNotMinePageUrl
    alertOfficerEmail: alertOfficerEmail
    reporterLegalName: reporterLegalName
    reporterAddress: reporterAddress
    reporterRepresentative: reporterRepresentative
    reporterDataProtectionOfficer: reporterDataProtectionOfficer
    reporterPersonInCharge: reporterPersonInCharge
    reporterPhone: reporterPhone
    reporterEmail: reporterEmail
    outboundQueueName: outboundQueueName
    noticeSchedule: noticeSchedule
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    runtimeVersion: '10.0'
    entraClientId: entraClientId
    entraTenantId: empty(entraTenantId) ? tenant().tenantId : entraTenantId
    anonymousPaths: recipientPaths
  }
  // rbac depends on identity, storage, Key Vault and monitoring; the Key Vault reference and the
  // identity-based AzureWebJobsStorage only resolve once the roles exist.
  dependsOn: [
    rbac
  ]
}

// Read by azd (and by docs/deploy.md's examples). No secrets here.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_URI string = functionApp.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
// Subject of the federated identity credential that lets App Service Authentication sign in without a secret.
output AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
// Redirect URI to register on the Entra app registration.
output ENTRA_REDIRECT_URI string = '${functionApp.outputs.uri}/.auth/login/aad/callback'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output OUTBOUND_QUEUE_NAME string = outboundQueueName
output CLAIM_CHECK_CONTAINER_NAME string = claimCheckContainerName
