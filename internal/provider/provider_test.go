package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

const readCatalog = `
data "connxt_flow_type_definitions" "psp" {}
`

// TestAccProvider_environment configures the provider from CONNXT_SECRET_TOKEN and
// CONNXT_BASE_URL alone.
func TestAccProvider_environment(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	t.Setenv(EnvBaseURL, e.URL+"/connxt/v2/") // the prefix, with a slash, means the same
	t.Setenv(EnvSecretToken, e.token)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps: []resource.TestStep{{
			Config: `provider "connxt" {}` + readCatalog,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("targets").AtMapKey("Paymaxis").AtMapKey("id"), knownvalue.StringExact(paymaxisID)),
			},
		}},
	})
}

// TestAccProvider_errors: each bad configuration names the attribute and the environment
// variable, and never shows the token.
func TestAccProvider_errors(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const wrongToken = "sec_WrongTokenWrongTokenWrong01"
	cases := []struct {
		name   string
		env    map[string]string
		config string
		want   *regexp.Regexp
	}{
		{
			name:   "missing token",
			env:    map[string]string{EnvBaseURL: e.URL, EnvSecretToken: ""},
			config: `provider "connxt" {}`,
			want:   regexp.MustCompile(`(?s)Missing Connxt secret token.*secret_token.*CONNXT_SECRET_TOKEN`),
		},
		{
			name:   "refused token names its source",
			env:    map[string]string{EnvBaseURL: e.URL, EnvSecretToken: wrongToken},
			config: `provider "connxt" {}`,
			want:   regexp.MustCompile(`(?s)Connxt refused the secret token.*HTTP 401.*CONNXT_SECRET_TOKEN environment variable`),
		},
		{
			name:   "plain http to a remote host",
			env:    map[string]string{EnvSecretToken: wrongToken},
			config: `provider "connxt" { base_url = "http://api.connect.fynxt.io" }`,
			want:   regexp.MustCompile(`(?s)Invalid Connxt base URL.*plain http`),
		},
		{
			name:   "base URL with a path, from the environment",
			env:    map[string]string{EnvBaseURL: "https://api.connect.fynxt.io/v3", EnvSecretToken: wrongToken},
			config: `provider "connxt" {}`,
			want:   regexp.MustCompile(`(?s)Invalid Connxt base URL.*CONNXT_BASE_URL.*give only the scheme and host`),
		},
		{
			name: "token not known at plan time",
			env:  map[string]string{EnvBaseURL: e.URL},
			config: `
resource "terraform_data" "token" {
  input = "later"
}
provider "connxt" {
  secret_token = terraform_data.token.output
}`,
			want: regexp.MustCompile(`(?s)Unknown Connxt secret token.*CONNXT_SECRET_TOKEN`),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			check, done := expectFailure(t, tc.want, wrongToken)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: protoV6Providers,
				ErrorCheck:               check,
				Steps:                    []resource.TestStep{{Config: tc.config + readCatalog}},
			})
			done()
		})
	}
}
