# Quick start: read the PSP catalog and configure Paymaxis with every action it offers.
# Run it with `make demo` against a local Connxt emulator, or point CONNXT_BASE_URL and
# CONNXT_SECRET_TOKEN at a real environment.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

provider "connxt" {}

variable "paymaxis_api_key" {
  description = "Paymaxis API key; pass it as TF_VAR_paymaxis_api_key from a secret store."
  type        = string
  sensitive   = true
  ephemeral   = true
}

data "connxt_flow_type_definitions" "psp" {}

locals {
  paymaxis = data.connxt_flow_type_definitions.psp.targets["Paymaxis"]
}

resource "connxt_psp" "paymaxis" {
  name                  = "paymaxis-eu"
  flow_target_id        = local.paymaxis.id
  credential_wo         = jsonencode({ apiKey = var.paymaxis_api_key })
  credential_wo_version = 1

  # Every action Paymaxis has a definition for, enabled (the others cannot be).
  dynamic "operation" {
    for_each = provider::connxt::operations(local.paymaxis, "ENABLED")
    content {
      flow_action_id     = operation.value.flow_action_id
      flow_definition_id = operation.value.flow_definition_id
    }
  }
}

output "psp_id" {
  description = "Id of the Paymaxis PSP."
  value       = connxt_psp.paymaxis.id
}

output "flow_target_id" {
  description = "The Paymaxis flow target the PSP is configured for."
  value       = local.paymaxis.id
}

output "operations" {
  description = "Flow action id => flow definition id of every operation enabled on the PSP."
  value       = { for op in connxt_psp.paymaxis.operation : op.flow_action_id => op.flow_definition_id }
}
