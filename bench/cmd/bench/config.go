package main

import (
	"fmt"
	"strings"
)

// The Paymaxis target of the emulator's default catalog, with its DEPOSIT action and
// definition. Literal ids (no data source) keep the counted API calls to PSP calls plus
// the catalog read the provider makes to validate plans.
const (
	flowTargetID     = "ftg_01jwra8pvkfey9h1f71gsw1qsw"
	flowActionID     = "fat_01jt2cetrheh48mkp2m8z680xz"
	flowDefinitionID = "fld_01jwraa3kffey9h1f83mjfj0sv"
)

// variant is one of the four things timed side by side.
type variant struct {
	name string // connxt, noop, bare, terraform_data
	// resource type, or "" for terraform_data
	resourceType string
	// provider local name and source, or "" for the built-in terraform_data
	providerName, source string
}

var variants = []variant{
	{name: "connxt", resourceType: "connxt_psp", providerName: "connxt", source: "fynxt/connxt"},
	{name: "noop", resourceType: "noop_psp", providerName: "noop", source: "fynxt/noop"},
	{name: "bare", resourceType: "noop_bare", providerName: "noop", source: "fynxt/noop"},
	{name: "terraform_data", resourceType: "terraform_data"},
}

// configuration returns main.tf for n resources of v. tag makes PSP names unique across
// the runs of one harness invocation; updated adds a description to every resource (the
// update phase).
func configuration(v variant, n int, tag string, updated bool) string {
	var b strings.Builder
	description := ""
	if updated {
		description = "bench update of " + tag
	}
	if v.providerName == "" {
		fmt.Fprintf(&b, `resource "terraform_data" "psp" {
  count = %d
  input = {
    name           = "bench-%s-${count.index}"
    flow_target_id = %q
    description    = %s
    operation = [{
      flow_action_id     = %q
      flow_definition_id = %q
    }]
  }
}
`, n, tag, flowTargetID, hclStringOrNull(description), flowActionID, flowDefinitionID)
		return b.String()
	}
	fmt.Fprintf(&b, `terraform {
  required_providers {
    %s = { source = %q }
  }
}

provider %q {}

resource %q "psp" {
  count                 = %d
  name                  = "bench-%s-${count.index}"
  description           = %s
  flow_target_id        = %q
  credential_wo         = jsonencode({ apiKey = "bench" })
  credential_wo_version = 1

  operation {
    flow_action_id     = %q
    flow_definition_id = %q
  }
}
`, v.providerName, v.source, v.providerName, v.resourceType, n, tag, hclStringOrNull(description),
		flowTargetID, flowActionID, flowDefinitionID)
	return b.String()
}

func hclStringOrNull(s string) string {
	if s == "" {
		return "null"
	}
	return fmt.Sprintf("%q", s)
}
