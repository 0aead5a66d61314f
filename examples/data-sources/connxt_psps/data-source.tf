# Every PSP of the token's environment, whoever manages it.
data "connxt_psps" "all" {}

# Filters combine: the disabled PSPs of one gateway whose names start with "eu-".
data "connxt_flow_type_definitions" "psp" {}

data "connxt_psps" "disabled_eu_sticpay" {
  flow_target_id = data.connxt_flow_type_definitions.psp.targets["Sticpay"].id
  status         = "DISABLED"
  name_prefix    = "eu-"
}

output "psp_names" {
  value = data.connxt_psps.all.psps[*].name
}

output "disabled_eu_sticpay_ids" {
  value = data.connxt_psps.disabled_eu_sticpay.ids
}
