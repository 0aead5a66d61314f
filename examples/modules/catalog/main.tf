# Module "catalog": reads the Connxt catalog once and hands out ids in the shape the
# "psp" module takes, so no other module ever needs to know the data source's layout.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

variable "flow_type" {
  description = "Flow type whose catalog is read."
  type        = string
  default     = "PSP"
}

data "connxt_flow_type_definitions" "this" {
  type = var.flow_type
}

output "targets" {
  description = <<-EOT
    Target name => { id, status, credential_keys, operations }, where operations maps each action
    name that can be enabled on the target to its flow_action_id and flow_definition_id.
  EOT
  value = {
    for name, target in data.connxt_flow_type_definitions.this.targets : name => {
      id              = target.id
      status          = target.status
      credential_keys = try(jsondecode(target.credential_schema).required, [])
      operations = {
        for action_name, action in target.actions : action_name => {
          flow_action_id     = action.id
          flow_definition_id = action.definition.id
        } if action.definition != null
      }
    }
  }
}

output "target_ids" {
  description = "Target name => flow target id (ftg_...)."
  value       = { for name, target in data.connxt_flow_type_definitions.this.targets : name => target.id }
}
