# az rest line that creates the policy; claimc check reads the --body in place
az rest --method post \
  --url https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies \
  --body '{"definition":["{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\",\"ClaimsSchema\":[{\"Source\":\"user\",\"ID\":\"department\",\"JwtClaimType\":\"department\"}]}}"],"displayName":"Department","isOrganizationDefault":false}'
