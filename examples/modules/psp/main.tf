# Module "psp": one connxt_psp built only from input variables. It knows nothing about the
# catalog; the caller passes the ids, typically from the "catalog" module's outputs.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

variable "name" {
  description = "Name of the PSP."
  type        = string
}

variable "description" {
  description = "Optional free-text description."
  type        = string
  default     = null
}

variable "flow_target_id" {
  description = "Flow target (ftg_...) the PSP is configured for."
  type        = string
}

variable "operations" {
  description = "Action name => ids of the operation to enable, as in the catalog module's targets[*].operations."
  type = map(object({
    flow_action_id     = string
    flow_definition_id = string
    status             = optional(string, "ENABLED")
  }))

  validation {
    condition     = length(var.operations) > 0
    error_message = "A PSP needs at least one operation."
  }
}

variable "credential" {
  description = "Gateway credential as a JSON object string. Write-only: never stored in state or plan."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "credential_version" {
  description = "Increase it to send a rotated credential."
  type        = number
  default     = 1
}

resource "connxt_psp" "this" {
  name                  = var.name
  description           = var.description
  flow_target_id        = var.flow_target_id
  credential_wo         = var.credential
  credential_wo_version = var.credential_version

  dynamic "operation" {
    for_each = var.operations
    content {
      flow_action_id     = operation.value.flow_action_id
      flow_definition_id = operation.value.flow_definition_id
      status             = operation.value.status
    }
  }
}

output "id" {
  description = "PSP id (psp_...)."
  value       = connxt_psp.this.id
}

output "operations" {
  description = "Flow action id => status of every operation of the PSP."
  value       = { for op in connxt_psp.this.operation : op.flow_action_id => op.status }
}
