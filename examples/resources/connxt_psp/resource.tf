# Ephemeral as well as sensitive: a sensitive variable alone is still saved in plan files.
variable "sticpay_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "connxt_flow_type_definitions" "psp" {}

locals {
  sticpay = data.connxt_flow_type_definitions.psp.targets["Sticpay"]
}

resource "connxt_psp" "sticpay" {
  name           = "sticpay-usd"
  description    = "Sticpay for USD bank payments"
  flow_target_id = local.sticpay.id

  # Write-only: sent to Connxt, never stored in state. Bump the version to rotate.
  credential_wo = jsonencode({
    merchantEmail = "payments@example.com"
    apiKey        = var.sticpay_api_key
  })
  credential_wo_version = 1

  # One block per action. Instead of writing them out, a dynamic "operation" block can
  # iterate over provider::connxt::operations(local.sticpay, "ENABLED", "DEPOSIT"), and
  # concat() another call for the actions of another status.
  operation {
    flow_action_id     = local.sticpay.actions["DEPOSIT"].id
    flow_definition_id = local.sticpay.actions["DEPOSIT"].definition.id
  }

  operation {
    flow_action_id     = local.sticpay.actions["WITHDRAW"].id
    flow_definition_id = local.sticpay.actions["WITHDRAW"].definition.id
    status             = "DISABLED"
  }
}
