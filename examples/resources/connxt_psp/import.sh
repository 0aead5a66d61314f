# A PSP is imported by its id, or by its flow target (name or ftg_ id) and its own name,
# joined by "/". The id is split at the first "/" only, so a PSP name may contain "/":
# "Paymaxis/eu/cards" is the PSP "eu/cards" of Paymaxis. Names are case-sensitive, and an
# unknown target or name fails with the targets, or that target's PSP names, that exist.
# Import by name needs Connxt's PSP listing; a server without it asks for the id instead.
#
# Connxt never returns a credential: with credential_wo, leave credential_wo_version unset
# for an empty plan after the import (or expect one update that sends the credential); with
# credential, the first plan shows it being set. `terraform plan -generate-config-out`
# writes both credential attributes as null, since Connxt never returns one: set
# credential or credential_wo in the generated file.
terraform import connxt_psp.sticpay psp_gQzyS9RkkknYWFvgnJQj3zSNjP
terraform import connxt_psp.sticpay Sticpay/sticpay-usd
terraform import connxt_psp.sticpay ftg_01jt2ctt8veh48mkpcx2bdeatz/sticpay-usd
