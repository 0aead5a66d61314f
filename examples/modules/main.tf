# Flow ids across modules: the "catalog" module reads the catalog and outputs ids, the "psp"
# module creates one PSP from variables, and this root module wires the two together.
# In the provider repository, `make examples-check` applies it against a local Connxt emulator.
terraform {
  required_version = ">= 1.11"
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

provider "connxt" {} # CONNXT_SECRET_TOKEN and CONNXT_BASE_URL

variable "paymaxis_api_key" {
  description = "Paymaxis API key (TF_VAR_paymaxis_api_key, from a secret store)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "sticpay_api_key" {
  description = "Sticpay API key (TF_VAR_sticpay_api_key, from a secret store)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "sticpay_merchant_email" {
  description = "Merchant e-mail registered with Sticpay."
  type        = string
  default     = "payments@example.com"
}

module "catalog" {
  source = "./catalog"
}

locals {
  paymaxis = module.catalog.targets["Paymaxis"]
  sticpay  = module.catalog.targets["Sticpay"]
}

# Every action Paymaxis offers.
module "paymaxis" {
  source = "./psp"

  name           = "paymaxis-eu"
  flow_target_id = local.paymaxis.id
  operations     = local.paymaxis.operations
  credential     = jsonencode({ apiKey = var.paymaxis_api_key })
}

# Deposits only, with withdrawals present but disabled.
module "sticpay" {
  source = "./psp"

  name           = "sticpay-usd"
  description    = "Sticpay for USD bank payments"
  flow_target_id = local.sticpay.id
  operations = {
    DEPOSIT  = local.sticpay.operations["DEPOSIT"]
    WITHDRAW = merge(local.sticpay.operations["WITHDRAW"], { status = "DISABLED" })
  }
  credential = jsonencode({
    merchantEmail = var.sticpay_merchant_email
    apiKey        = var.sticpay_api_key
  })
}

output "psp_ids" {
  description = "PSP name => PSP id."
  value = {
    paymaxis = module.paymaxis.id
    sticpay  = module.sticpay.id
  }
}

output "paymaxis_operations" {
  description = "Flow action id => status of every Paymaxis operation."
  value       = module.paymaxis.operations
}
