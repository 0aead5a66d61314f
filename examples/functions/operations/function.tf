data "connxt_flow_type_definitions" "psp" {}

locals {
  paymaxis = data.connxt_flow_type_definitions.psp.targets["Paymaxis"]
}

# Every action of Paymaxis that has a definition, enabled: no `for` filter on
# action.definition is needed.
resource "connxt_psp" "paymaxis" {
  name           = "paymaxis-eu"
  flow_target_id = local.paymaxis.id
  credential_wo  = jsonencode({ apiKey = var.paymaxis_api_key })

  dynamic "operation" {
    for_each = provider::connxt::operations(local.paymaxis, "ENABLED")
    content {
      flow_action_id     = operation.value.flow_action_id
      flow_definition_id = operation.value.flow_definition_id
      status             = operation.value.status
    }
  }
}

# Named actions, with a status each: concat() one call per status.
resource "connxt_psp" "paymaxis_deposits_only" {
  name           = "paymaxis-deposits"
  flow_target_id = local.paymaxis.id
  credential_wo  = jsonencode({ apiKey = var.paymaxis_api_key })

  dynamic "operation" {
    for_each = concat(
      provider::connxt::operations(local.paymaxis, "ENABLED", "DEPOSIT"),
      provider::connxt::operations(local.paymaxis, "DISABLED", "WITHDRAW"),
    )
    content {
      flow_action_id     = operation.value.flow_action_id
      flow_definition_id = operation.value.flow_definition_id
      status             = operation.value.status
    }
  }
}

variable "paymaxis_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}
