# Brings every PSP whose name starts with "legacy-" under management (Terraform 1.7+ for
# import blocks with for_each), copying its current settings so that nothing changes.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

variable "legacy_credentials" {
  description = "Credential JSON of each PSP, by PSP name. Connxt never returns a credential, so it must come from you."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

data "connxt_psps" "legacy" {
  name_prefix = "legacy-"
}

locals {
  # Keyed by name: names are stable, readable addresses (prefix the target when two
  # gateways share a name).
  legacy = { for p in data.connxt_psps.legacy.psps : p.name => p }
}

import {
  for_each = local.legacy
  to       = connxt_psp.legacy[each.key]
  id       = each.value.id
}

resource "connxt_psp" "legacy" {
  for_each = local.legacy

  name           = each.value.name
  flow_target_id = each.value.flow_target_id
  description    = each.value.description
  logo           = each.value.logo
  status         = each.value.status
  # No credential_wo_version: the imported PSP keeps its stored credential.
  credential_wo = var.legacy_credentials[each.key]

  dynamic "operation" {
    for_each = each.value.operations
    content {
      flow_action_id     = operation.value.flow_action_id
      flow_definition_id = operation.value.flow_definition_id
      status             = operation.value.status
    }
  }
}

output "adopted" {
  value = { for name, psp in connxt_psp.legacy : name => psp.id }
}
