# Terraform (hashicorp/azuread): claimc check reads the literal jsonencode() in place.
resource "azuread_claims_mapping_policy" "employee_id" {
  display_name = "Employee id and country"
  definition = [
    jsonencode({
      ClaimsMappingPolicy = {
        Version              = 1
        IncludeBasicClaimSet = "true"
        ClaimsSchema = [
          { Source = "user", ID = "employeeid", JwtClaimType = "employeeid" },
          { Source = "company", ID = "tenantcountry", JwtClaimType = "country" },
        ]
      }
    })
  ]
}

resource "azuread_service_principal_claims_mapping_policy_assignment" "web" {
  claims_mapping_policy_id = azuread_claims_mapping_policy.employee_id.id
  service_principal_id     = "00000000-0000-0000-0000-000000000000"
}
