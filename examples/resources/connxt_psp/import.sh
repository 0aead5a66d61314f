# A PSP is imported by its id. Connxt never returns a credential: with credential_wo,
# leave credential_wo_version unset for an empty plan after the import (or expect one
# update that sends the credential); with credential, the first plan shows it being set.
# `terraform plan -generate-config-out` writes both credential attributes as null, since
# Connxt never returns one: set credential or credential_wo in the generated file.
terraform import connxt_psp.sticpay psp_gQzyS9RkkknYWFvgnJQj3zSNjP
