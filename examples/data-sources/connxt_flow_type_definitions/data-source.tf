data "connxt_flow_type_definitions" "psp" {}

# Any id of the catalog is one expression away.
output "paymaxis_deposit_definition_id" {
  value = data.connxt_flow_type_definitions.psp.targets["Paymaxis"].actions["DEPOSIT"].definition.id
}

# The credential schema is a JSON string: jsondecode it to read the required keys.
output "paymaxis_required_credential_keys" {
  value = jsondecode(data.connxt_flow_type_definitions.psp.targets["Paymaxis"].credential_schema).required
}
