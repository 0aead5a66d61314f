# `terraform test` for the modules example, run against a Connxt emulator: start one, then export
# CONNXT_BASE_URL (its URL) and CONNXT_SECRET_TOKEN (its token) before `terraform test`.
# Runs of the same module share one state; Terraform destroys what they created when the file ends.

variables {
  paymaxis_api_key = "test-paymaxis-key"
  sticpay_api_key  = "test-sticpay-key"
}

# The catalog module alone, planned: the data source is read at plan time.
run "catalog_exposes_ids" {
  command = plan

  module {
    source = "./catalog"
  }

  assert {
    condition     = startswith(output.target_ids["Paymaxis"], "ftg_")
    error_message = "The catalog has no Paymaxis target with an ftg_ id."
  }

  assert {
    condition     = !contains(keys(output.targets["Paymaxis"].operations), "REFUND")
    error_message = "An action without a definition on the target must not be offered as an operation."
  }
}

# The root module, applied: both PSPs exist and carry the operations the root asked for.
run "creates_psps" {
  command = apply

  assert {
    condition     = alltrue([for id in values(output.psp_ids) : startswith(id, "psp_")])
    error_message = "Every PSP should have a psp_ id after apply."
  }

  assert {
    condition     = length(output.paymaxis_operations) == 2
    error_message = "Paymaxis should have its DEPOSIT and WITHDRAW operations."
  }

  assert {
    condition     = alltrue([for status in values(output.paymaxis_operations) : status == "ENABLED"])
    error_message = "Every Paymaxis operation should be enabled."
  }
}

# Planning again keeps the same PSPs: the ids are known at plan time and nothing is replaced.
run "second_plan_keeps_psps" {
  command = plan

  assert {
    condition     = output.psp_ids == run.creates_psps.psp_ids
    error_message = "A second plan must not replace any PSP."
  }
}

# The psp module alone rejects an empty operations map before calling Connxt.
run "psp_module_requires_an_operation" {
  command = plan

  module {
    source = "./psp"
  }

  variables {
    name           = "no-operations"
    flow_target_id = run.catalog_exposes_ids.target_ids["Paymaxis"]
    operations     = {}
    credential     = jsonencode({ apiKey = "unused" })
  }

  expect_failures = [var.operations]
}
