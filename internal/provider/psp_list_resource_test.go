package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
)

// Terraform 1.14's `terraform query` calls ValidateListResourceConfig and ListResource;
// CI's Terraform 1.11.4 cannot, so these tests make those calls over the plugin protocol,
// through the same releasing server as the shipped binary (which must pass the stream on).

// listHarness is a configured provider server with PSPs in two environments.
type listHarness struct {
	*identityHarness
	lister tfprotov6.ListResourceServer
}

func newListHarness(t *testing.T) *listHarness {
	t.Helper()
	h := newIdentityHarness(t) // one PSP, "identified", ENABLED, Paymaxis
	c, err := connxt.New(connxt.Config{BaseURL: h.url, Token: emulator.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, target, status string }{
		{"eu-cards", paymaxisID, connxt.StatusDisabled},
		{"eu-wallet", sticpayID, connxt.StatusEnabled},
		{"us-cards", paymaxisID, connxt.StatusEnabled},
	} {
		req := connxt.CreatePSPRequest{Name: p.name, FlowTargetID: p.target, Status: p.status,
			Credential: `{"apiKey":"list-key","merchantEmail":"ops@example.com"}`,
			Operations: []connxt.PSPOperation{{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusEnabled}}}
		if p.target == sticpayID {
			req.Operations[0].FlowDefinitionID = sticpayDepositID
		}
		if _, _, err := c.CreatePSP(t.Context(), req); err != nil {
			t.Fatal(err)
		}
	}
	// The releasing server, releasing after every call, over the configured framework server.
	h.server = protoserver.NewReleasingServer(h.server, 1)
	return &listHarness{identityHarness: h, lister: h.server.(tfprotov6.ListResourceServer)}
}

func (h *listHarness) config(filters map[string]any) *tfprotov6.DynamicValue {
	t := h.schema.ListResourceSchemas["connxt_psp"].ValueType()
	return h.dynamic(t, tfValue(t, filters))
}

// list runs a query and returns the display names, the identities' ids and the results'
// diagnostics.
func (h *listHarness) list(filters map[string]any, includeResource bool, limit int64) ([]string, []string, []*tfprotov6.ListResourceResult) {
	h.t.Helper()
	stream, err := h.lister.ListResource(h.ctx, &tfprotov6.ListResourceRequest{TypeName: "connxt_psp",
		Config: h.config(filters), IncludeResource: includeResource, Limit: limit})
	if err != nil {
		h.t.Fatal(err)
	}
	var names, ids []string
	var results []*tfprotov6.ListResourceResult
	for r := range stream.Results {
		if hasError(r.Diagnostics) {
			h.t.Fatalf("list result with errors: %s", diagText(r.Diagnostics))
		}
		names = append(names, r.DisplayName)
		ids = append(ids, h.identityOf(r.Identity)["id"])
		results = append(results, &r)
	}
	return names, ids, results
}

// TestListResourceSchema: the provider offers a connxt_psp list resource with the filters.
func TestListResourceSchema(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ls := schema.ListResourceSchemas["connxt_psp"]
	if ls == nil {
		t.Fatal("no connxt_psp list resource")
	}
	var got []string
	for _, a := range ls.Block.Attributes {
		got = append(got, a.Name)
	}
	if want := "flow_target_id name_prefix status"; strings.Join(slices.Sorted(slices.Values(got)), " ") != want {
		t.Fatalf("list config attributes %v, want %s", got, want)
	}
}

// TestListPSPs: every PSP of the token's environment, sorted by name, with its identity;
// each filter; a limit; and with include_resource the full object without a credential.
func TestListPSPs(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names and lists the whole environment")
	h := newListHarness(t)
	names, _, _ := h.list(map[string]any{}, false, 0)
	if len(names) != 4 || !strings.HasPrefix(names[0], "eu-cards (") || !strings.HasPrefix(names[3], "us-cards (") {
		t.Fatalf("all PSPs by name: %v", names)
	}
	for _, tc := range []struct {
		filters map[string]any
		want    string
	}{
		{map[string]any{"flow_target_id": sticpayID}, "eu-wallet"},
		{map[string]any{"status": connxt.StatusDisabled}, "eu-cards"},
		{map[string]any{"name_prefix": "eu-", "flow_target_id": paymaxisID}, "eu-cards"},
		{map[string]any{"name_prefix": "nothing-"}, ""},
	} {
		names, _, _ := h.list(tc.filters, false, 0)
		var got []string
		for _, n := range names {
			got = append(got, strings.SplitN(n, " ", 2)[0])
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("filters %v: got %v, want %q", tc.filters, got, tc.want)
		}
	}
	if names, _, _ := h.list(map[string]any{}, false, 2); len(names) != 2 {
		t.Errorf("limit 2: got %d results", len(names))
	}

	_, ids, results := h.list(map[string]any{"name_prefix": "identified"}, true, 0)
	if len(results) != 1 || ids[0] != h.psp.ID || results[0].Resource == nil {
		t.Fatalf("include_resource: %d results, ids %v", len(results), ids)
	}
	obj, err := results[0].Resource.Unmarshal(h.pspType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	_ = obj.As(&attrs)
	var name, env string
	_ = attrs["name"].As(&name)
	_ = attrs["environment_id"].As(&env)
	if name != "identified" || env != h.psp.EnvironmentID || !attrs["credential"].IsNull() || !attrs["credential_wo"].IsNull() {
		t.Fatalf("resource object: name %q, environment %q, credential null %v", name, env, attrs["credential"].IsNull())
	}
}

// TestListResourceConfigIsValidated: a filter of the wrong form is refused before any
// listing, naming the attribute.
func TestListResourceConfigIsValidated(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names and lists the whole environment")
	h := newListHarness(t)
	resp, err := h.lister.ValidateListResourceConfig(h.ctx, &tfprotov6.ValidateListResourceConfigRequest{TypeName: "connxt_psp",
		Config: h.config(map[string]any{"status": "enabled"})})
	if err != nil {
		t.Fatal(err)
	}
	if !hasError(resp.Diagnostics) || !strings.Contains(fmt.Sprint(resp.Diagnostics[0].Attribute), "status") {
		t.Fatalf("want an error on status, got %s", diagText(resp.Diagnostics))
	}
}

// TestAccPSP_query runs `terraform query` with a list block and its filters; it needs
// Terraform 1.14 or later and is skipped by older ones (see CONTRIBUTING for running it
// with a newer CLI).
func TestAccPSP_query(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names and lists the whole environment")
	e := newTestEmulator(t, emulator.Options{})
	psps := e.config(`
resource "connxt_psp" "eu" {
  name           = "eu-cards"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "query-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}

resource "connxt_psp" "us" {
  name           = "us-cards"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  status         = "DISABLED"
  credential_wo  = jsonencode({ apiKey = "query-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy:             e.checkNoPSPs,
		Steps: []resource.TestStep{
			{Config: psps},
			{
				Query: true,
				// The step's list blocks go beside the configuration above, provider block included.
				Config: `
list "connxt_psp" "all" {
  provider = connxt
  config {}
}

list "connxt_psp" "enabled_eu" {
  provider = connxt
  config {
    flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
    status         = "ENABLED"
    name_prefix    = "eu-"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("connxt_psp.all", 2),
					querycheck.ExpectLength("connxt_psp.enabled_eu", 1),
				},
			},
		},
	})
}
