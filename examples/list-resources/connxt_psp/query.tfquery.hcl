# Every ENABLED Paymaxis PSP whose name starts with "eu-", with its full object, so that
# `terraform query -generate-config-out=adopt.tf` writes an import block and a
# configuration for each (Terraform 1.14 or later).
list "connxt_psp" "eu" {
  provider         = connxt
  include_resource = true

  config {
    flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
    status         = "ENABLED"
    name_prefix    = "eu-"
  }
}
