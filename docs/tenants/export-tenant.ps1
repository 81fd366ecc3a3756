# Exports a Microsoft Entra tenant as a folder of Microsoft Graph responses that `claimc snapshot` reads.
# Needs the Microsoft.Graph PowerShell module:
#   Connect-MgGraph -Scopes Directory.Read.All, Application.Read.All, Policy.Read.All
#   ./export-tenant.ps1 -Out tenant-export
# Every response is saved as Graph returns it; paged lists continue as <name>.2.json, <name>.3.json, …
param([Parameter(Mandatory = $true)][string] $Out)
$ErrorActionPreference = 'Stop'
$graph = 'https://graph.microsoft.com/v1.0'

# The $select lists (docs/tenants.md explains each); keep them in step with export-tenant.sh.
$OrganizationSelect = 'id,displayName,countryLetterCode,preferredLanguage,verifiedDomains'
$UserSelect = 'id,userPrincipalName,displayName,givenName,surname,mail,mailNickname,otherMails,proxyAddresses,businessPhones,mobilePhone,faxNumber,department,jobTitle,companyName,employeeId,officeLocation,streetAddress,postalCode,city,state,country,preferredLanguage,preferredDataLocation,usageLocation,userType,accountEnabled,consentProvidedForMinor,createdDateTime,creationType,lastPasswordChangeDateTime,identities,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesUserPrincipalName,onPremisesDomainName,onPremisesImmutableId,onPremisesSyncEnabled,onPremisesExtensionAttributes'
$GroupSelect = 'id,displayName,securityEnabled,mailEnabled,groupTypes,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesDomainName,onPremisesNetBiosName'
$RoleSelect = 'id,displayName,roleTemplateId'
$ApplicationSelect = 'id,appId,displayName,identifierUris,signInAudience,groupMembershipClaims,optionalClaims,appRoles,api,keyCredentials'
$ServicePrincipalSelect = 'id,appId,displayName,tags,appRoleAssignmentRequired,keyCredentials'
$MembershipSelect = 'id'

# Saves <Name>.json and follows @odata.nextLink into <Name>.2.json, …; returns every item.
function Save-GraphList([string] $Uri, [string] $Name) {
  $page = 1
  $items = @()
  while ($Uri) {
    $file = if ($page -eq 1) { Join-Path $Out "$Name.json" } else { Join-Path $Out "$Name.$page.json" }
    New-Item -ItemType Directory -Force -Path (Split-Path $file) | Out-Null
    $response = Invoke-MgGraphRequest -Method GET -Uri $Uri -Headers @{ ConsistencyLevel = 'eventual' } -OutputType HttpResponseMessage
    $text = $response.Content.ReadAsStringAsync().Result
    Set-Content -Path $file -Value $text -Encoding utf8NoBOM
    $body = $text | ConvertFrom-Json
    $items += $body.value
    $Uri = $body.'@odata.nextLink'
    $page++
  }
  return $items
}

Save-GraphList "$graph/organization?`$select=$OrganizationSelect" 'organization' | Out-Null
$applications = Save-GraphList "$graph/applications?`$select=$ApplicationSelect&`$top=999" 'applications'
$extensions = ''
foreach ($app in $applications) {
  foreach ($property in (Save-GraphList "$graph/applications/$($app.id)/extensionProperties" "applications/$($app.id)/extensionProperties")) {
    $extensions += ",$($property.name)"
  }
}
$users = Save-GraphList "$graph/users?`$select=$UserSelect$extensions&`$top=999" 'users'
Save-GraphList "$graph/groups?`$select=$GroupSelect&`$top=999" 'groups' | Out-Null
Save-GraphList "$graph/directoryRoles?`$select=$RoleSelect" 'directoryRoles' | Out-Null
$servicePrincipals = Save-GraphList "$graph/servicePrincipals?`$select=$ServicePrincipalSelect&`$top=999" 'servicePrincipals'
Save-GraphList "$graph/policies/claimsMappingPolicies" 'policies/claimsMappingPolicies' | Out-Null
foreach ($user in $users) {
  Save-GraphList "$graph/users/$($user.id)/transitiveMemberOf?`$select=$MembershipSelect&`$top=999" "users/$($user.id)/transitiveMemberOf" | Out-Null
}
foreach ($sp in $servicePrincipals) {
  Save-GraphList "$graph/servicePrincipals/$($sp.id)/claimsMappingPolicies" "servicePrincipals/$($sp.id)/claimsMappingPolicies" | Out-Null
  Save-GraphList "$graph/servicePrincipals/$($sp.id)/appRoleAssignedTo?`$top=999" "servicePrincipals/$($sp.id)/appRoleAssignedTo" | Out-Null
}
Write-Host "exported to $Out; next: claimc snapshot $Out -o tenant.snapshot"
