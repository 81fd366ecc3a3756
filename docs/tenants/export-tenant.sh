#!/usr/bin/env bash
# Exports a Microsoft Entra tenant as a folder of Microsoft Graph responses that `claimc snapshot` reads.
# Needs the Azure CLI signed in with Directory.Read.All, Application.Read.All and Policy.Read.All:
#   az login --allow-no-subscriptions
#   bash export-tenant.sh tenant-export
# Every response is saved as Graph returns it; paged lists continue as <name>.2.json, <name>.3.json, …
# Only bash, grep and sed besides az: ids and next links are read from az's two-space pretty-printed JSON.
set -euo pipefail

out=${1:?usage: export-tenant.sh <output folder>}
graph=https://graph.microsoft.com/v1.0

# The $select lists (docs/tenants.md explains each); keep them in step with export-tenant.ps1.
ORGANIZATION_SELECT='id,displayName,countryLetterCode,preferredLanguage,verifiedDomains'
USER_SELECT='id,userPrincipalName,displayName,givenName,surname,mail,mailNickname,otherMails,proxyAddresses,businessPhones,mobilePhone,faxNumber,department,jobTitle,companyName,employeeId,officeLocation,streetAddress,postalCode,city,state,country,preferredLanguage,preferredDataLocation,usageLocation,userType,accountEnabled,consentProvidedForMinor,createdDateTime,creationType,lastPasswordChangeDateTime,identities,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesUserPrincipalName,onPremisesDomainName,onPremisesImmutableId,onPremisesSyncEnabled,onPremisesExtensionAttributes'
GROUP_SELECT='id,displayName,securityEnabled,mailEnabled,groupTypes,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesDomainName,onPremisesNetBiosName'
ROLE_SELECT='id,displayName,roleTemplateId'
APPLICATION_SELECT='id,appId,displayName,identifierUris,signInAudience,groupMembershipClaims,optionalClaims,appRoles,api,keyCredentials'
SERVICE_PRINCIPAL_SELECT='id,appId,displayName,tags,appRoleAssignmentRequired,keyCredentials'
MEMBERSHIP_SELECT='id'

# fetch <url> <name>: saves <name>.json and follows @odata.nextLink into <name>.2.json, …
fetch() {
  local url=$1 name=$2 page=1 file
  while [[ -n "$url" ]]; do
    if [[ $page -eq 1 ]]; then file="$out/$name.json"; else file="$out/$name.$page.json"; fi
    mkdir -p "$(dirname "$file")"
    az rest --method get --url "$url" --headers ConsistencyLevel=eventual > "$file"
    url=$(sed -n 's/^  "@odata.nextLink": "\(.*\)",\{0,1\}$/\1/p' "$file")
    page=$((page + 1))
  done
}

# ids <name>: the "id" of every item of a saved list (item properties sit six spaces deep)
ids() {
  cat "$out/$1".json "$out/$1".[0-9]*.json 2>/dev/null | sed -n 's/^      "id": "\([^"]*\)",\{0,1\}$/\1/p'
}

fetch "$graph/organization?\$select=$ORGANIZATION_SELECT" organization
fetch "$graph/applications?\$select=$APPLICATION_SELECT&\$top=999" applications
extensions=''
for id in $(ids applications); do
  fetch "$graph/applications/$id/extensionProperties" "applications/$id/extensionProperties"
  for name in $(sed -n 's/^      "name": "\(extension_[0-9a-fA-F]*_[A-Za-z0-9_]*\)",\{0,1\}$/\1/p' "$out/applications/$id/extensionProperties.json"); do
    extensions="$extensions,$name"
  done
done
fetch "$graph/users?\$select=$USER_SELECT$extensions&\$top=999" users
fetch "$graph/groups?\$select=$GROUP_SELECT&\$top=999" groups
fetch "$graph/directoryRoles?\$select=$ROLE_SELECT" directoryRoles
fetch "$graph/servicePrincipals?\$select=$SERVICE_PRINCIPAL_SELECT&\$top=999" servicePrincipals
fetch "$graph/policies/claimsMappingPolicies" policies/claimsMappingPolicies
for id in $(ids users); do
  fetch "$graph/users/$id/transitiveMemberOf?\$select=$MEMBERSHIP_SELECT&\$top=999" "users/$id/transitiveMemberOf"
done
for id in $(ids servicePrincipals); do
  fetch "$graph/servicePrincipals/$id/claimsMappingPolicies" "servicePrincipals/$id/claimsMappingPolicies"
  fetch "$graph/servicePrincipals/$id/appRoleAssignedTo?\$top=999" "servicePrincipals/$id/appRoleAssignedTo"
done
echo "exported to $out; next: claimc snapshot $out -o tenant.snapshot" >&2
