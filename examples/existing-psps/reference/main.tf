# A workspace that uses a PSP another workspace manages, found by name and gateway.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

variable "psp_name" {
  description = "Name of the PSP, as the workspace that manages it names it."
  type        = string
  default     = "paymaxis-eu"
}

data "connxt_flow_type_definitions" "psp" {}

data "connxt_psp" "shared" {
  name           = var.psp_name
  flow_target_id = data.connxt_flow_type_definitions.psp.targets["Paymaxis"].id

  # Stop the plan early rather than route payments to a PSP that takes none.
  lifecycle {
    postcondition {
      condition     = self.status == "ENABLED"
      error_message = "PSP ${self.name} (${self.id}) is disabled."
    }
  }
}

output "psp_id" {
  value = data.connxt_psp.shared.id
}
