# Needs Terraform 1.14 or later. A small test deposit through the PSP after every create
# or update, so that a new or rotated credential proves at once that it takes payments.
# Run it on its own with: terraform apply -invoke=action.connxt_transaction.smoke

terraform {
  required_version = ">= 1.14"
}

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
  flow_target_id = local.sticpay.id

  credential_wo = jsonencode({
    merchantEmail = "payments@example.com"
    apiKey        = var.sticpay_api_key
  })
  credential_wo_version = 1

  operation {
    flow_action_id     = local.sticpay.actions["DEPOSIT"].id
    flow_definition_id = local.sticpay.actions["DEPOSIT"].definition.id
  }

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.connxt_transaction.smoke]
    }
  }
}

action "connxt_transaction" "smoke" {
  config {
    psp_id           = connxt_psp.sticpay.id
    flow_target_id   = connxt_psp.sticpay.flow_target_id
    flow_action_id   = local.sticpay.actions["DEPOSIT"].id
    transaction_type = "deposit"
    currency         = "USD"
    amount           = 1

    # Sent as is, never shown in Terraform's output: keep real customer data out of it.
    execute_payload = jsonencode({
      body = {
        order = {
          id    = "smoke-test"
          money = { amount = 1, currency = "USD" }
        }
        customer = {
          id    = "smoke-test-customer"
          email = "smoke-test@example.com"
        }
        language = "en"
      }
    })

    # Only against the production host, where the deposit is real money:
    # allow_production = true
  }
}
