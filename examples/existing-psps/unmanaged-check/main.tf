# Warns on every plan and apply about PSPs of the environment that no Terraform state manages.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

variable "managed_psp_ids" {
  description = "Ids of the PSPs that some Terraform state manages, for example collected from each workspace's outputs."
  type        = set(string)
}

check "no_unmanaged_psps" {
  # Scoped to the check: a failed read is a warning too, and never blocks an apply.
  data "connxt_psps" "all" {}

  assert {
    condition = length(setsubtract(data.connxt_psps.all.ids, var.managed_psp_ids)) == 0
    error_message = format("PSPs that no Terraform state manages: %s.", join(", ", [
      for p in data.connxt_psps.all.psps : "${p.name} (${p.id})" if !contains(var.managed_psp_ids, p.id)
    ]))
  }
}
