terraform {
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}

# The token is best left out of the configuration: export CONNXT_SECRET_TOKEN from your
# CI's secret store, and CONNXT_BASE_URL to choose the environment.
provider "connxt" {
  base_url = "https://api.connect-dev.fynxt.io"
}
