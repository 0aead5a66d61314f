data "connxt_flow_type_definitions" "psp" {}

# By name and gateway: names are unique per flow target, so no id needs to be copied.
data "connxt_psp" "paymaxis_eu" {
  name           = "paymaxis-eu"
  flow_target_id = data.connxt_flow_type_definitions.psp.targets["Paymaxis"].id
}

# By id, for example one that another workspace publishes as an output.
variable "refunds_psp_id" {
  type = string
}

data "connxt_psp" "refunds" {
  id = var.refunds_psp_id
}

output "paymaxis_eu_enabled_actions" {
  value = [for op in data.connxt_psp.paymaxis_eu.operations : op.flow_action_id if op.status == "ENABLED"]
}
