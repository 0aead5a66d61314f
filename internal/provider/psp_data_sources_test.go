package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// wrapped matches the phrases in order, anywhere in Terraform's output, which wraps long
// diagnostic lines at any space.
func wrapped(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// seedPSP creates a PSP out of band, as another team or the Connxt console would.
func seedPSP(t *testing.T, c *connxt.Client, name, target, status string) connxt.PSP {
	t.Helper()
	req := connxt.CreatePSPRequest{Name: name, FlowTargetID: target, Status: status,
		Credential: `{"apiKey":"seeded-key"}`,
		Operations: []connxt.PSPOperation{{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusEnabled}}}
	if target == sticpayID {
		req.Credential = `{"merchantEmail":"ops@example.com","apiKey":"seeded-key"}`
		req.Operations[0].FlowDefinitionID = sticpayDepositID
	}
	p, _, err := c.CreatePSP(t.Context(), req)
	if err != nil {
		t.Fatalf("seeding PSP %q: %v", name, err)
	}
	return *p
}

// secondClient is a client with the token of another environment than the default one.
func (e *testEmulator) secondClient(t *testing.T) *connxt.Client {
	t.Helper()
	c, err := connxt.New(connxt.Config{BaseURL: e.URL, Token: emulator.SecondToken})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dataSourceTest runs steps that only read: PSPs seeded out of band stay after destroy.
func dataSourceTest(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps:                    steps,
	})
}

var emptyPlanAfterApply = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// TestAccPSPDataSource_lookUp reads a managed PSP by id and by name and target (every
// attribute equal to the resource's), and a PSP created out of band by name.
func TestAccPSPDataSource_lookUp(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names, also in a second environment")
	e := newTestEmulator(t, emulator.Options{})
	theirs := seedPSP(t, e.client(t), "other-team", paymaxisID, connxt.StatusDisabled)
	const byID, byName, unmanaged = "data.connxt_psp.by_id", "data.connxt_psp.by_name", "data.connxt_psp.unmanaged"
	config := e.config(sticpayUSD + `
data "connxt_psp" "by_id" {
  id = connxt_psp.test.id
}

data "connxt_psp" "by_name" {
  name           = connxt_psp.test.name
  flow_target_id = connxt_psp.test.flow_target_id
}

# The PSP created out of band.
data "connxt_psp" "unmanaged" {
  name           = "other-team"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
}
`)

	same := []statecheck.StateCheck{}
	for _, a := range []string{"id", "name", "description", "logo", "flow_target_id", "status", "brand_id", "environment_id", "created_at", "updated_at"} {
		same = append(same, statecheck.CompareValuePairs(pspAddr, tfjsonpath.New(a), byID, tfjsonpath.New(a), compare.ValuesSame()))
	}
	same = append(same,
		statecheck.CompareValuePairs(pspAddr, tfjsonpath.New("operation"), byID, tfjsonpath.New("operations"), compare.ValuesSame()),
		statecheck.CompareValuePairs(pspAddr, tfjsonpath.New("id"), byName, tfjsonpath.New("id"), compare.ValuesSame()),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("description"), knownvalue.StringExact("imported")),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("operations"), knownvalue.SetExact([]knownvalue.Check{
			op(depositID, sticpayDepositID), opStatus(withdrawID, sticpayWithdrawD, connxt.StatusDisabled),
		})),
		statecheck.ExpectKnownValue(unmanaged, tfjsonpath.New("id"), knownvalue.StringExact(theirs.ID)),
		statecheck.ExpectKnownValue(unmanaged, tfjsonpath.New("status"), knownvalue.StringExact(connxt.StatusDisabled)),
		statecheck.ExpectKnownValue(unmanaged, tfjsonpath.New("description"), knownvalue.Null()),
		statecheck.ExpectKnownValue(unmanaged, tfjsonpath.New("logo"), knownvalue.Null()),
		statecheck.ExpectKnownValue(unmanaged, tfjsonpath.New("environment_id"), knownvalue.StringExact(theirs.EnvironmentID)),
		statecheck.ExpectKnownValue(unmanaged, tfjsonpath.New("operations"), knownvalue.SetExact([]knownvalue.Check{op(depositID, paymaxisDepositID)})),
	)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy: func(*terraform.State) error {
			if all := e.PSPs(); len(all) != 1 || all[0].ID != theirs.ID {
				return fmt.Errorf("after destroy the emulator holds %d PSPs, want only the one created out of band", len(all))
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: config, ConfigPlanChecks: emptyPlanAfterApply, ConfigStateChecks: same}},
	})
}

// TestAccPSPDataSource_notFound: a PSP of another environment is "not found" by id and
// absent from the list; an unknown name is "not found"; each error names what was looked for.
func TestAccPSPDataSource_notFound(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names, also in a second environment")
	e := newTestEmulator(t, emulator.Options{})
	elsewhere := seedPSP(t, e.secondClient(t), "elsewhere", paymaxisID, "")
	dataSourceTest(t, []resource.TestStep{
		{
			Config: e.config(`
data "connxt_psps" "all" {}
`),
			ConfigPlanChecks:  emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{expectPSPs("data.connxt_psps.all")},
		},
		{
			Config: e.config(fmt.Sprintf(`
data "connxt_psp" "x" {
  id = %q # the other environment's PSP
}
`, elsewhere.ID)),
			ExpectError: wrapped("PSP not found", fmt.Sprintf("No PSP with id %q is visible", elsewhere.ID),
				"belongs to another environment: a token sees only its own environment"),
		},
		{
			Config: e.config(`
data "connxt_psp" "x" {
  name           = "elsewhere"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
}
`),
			ExpectError: wrapped("PSP not found", fmt.Sprintf(`has no PSP named "elsewhere" on flow target %s`, paymaxisID)),
		},
	})
}

// expectPSPs checks that the connxt_psps at addr lists exactly these PSPs, in this order,
// in both psps and ids.
func expectPSPs(addr string, want ...connxt.PSP) statecheck.StateCheck {
	ids := make([]knownvalue.Check, 0, len(want))
	psps := make([]knownvalue.Check, 0, len(want))
	for _, p := range want {
		ids = append(ids, knownvalue.StringExact(p.ID))
		psps = append(psps, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(p.ID), "name": knownvalue.StringExact(p.Name),
			"flow_target_id": knownvalue.StringExact(p.FlowTargetID), "status": knownvalue.StringExact(p.Status),
		}))
	}
	return statecheckAll{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("ids"), knownvalue.ListExact(ids)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("psps"), knownvalue.ListExact(psps)),
	}
}

// statecheckAll runs several state checks as one, failing with the first error.
type statecheckAll []statecheck.StateCheck

func (all statecheckAll) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, c := range all {
		c.CheckState(ctx, req, resp)
		if resp.Error != nil {
			return
		}
	}
}

// TestAccPSPsDataSource_filters lists seeded PSPs with each filter and with all three,
// sorted by name and then id, without the other environment's PSP; no match is an empty list.
func TestAccPSPsDataSource_filters(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names, also in a second environment")
	e := newTestEmulator(t, emulator.Options{})
	c := e.client(t)
	euPaymaxis := seedPSP(t, c, "eu-paymaxis", paymaxisID, connxt.StatusEnabled)
	usSticpay := seedPSP(t, c, "us-sticpay", sticpayID, connxt.StatusEnabled)
	usPaymaxis := seedPSP(t, c, "us-paymaxis", paymaxisID, connxt.StatusDisabled)
	euSticpay := seedPSP(t, c, "eu-sticpay", sticpayID, connxt.StatusDisabled)
	// One name on both targets: the id decides their order.
	sharedPaymaxis := seedPSP(t, c, "shared", paymaxisID, connxt.StatusEnabled)
	shared := []connxt.PSP{sharedPaymaxis, seedPSP(t, c, "shared", sticpayID, connxt.StatusEnabled)}
	slices.SortFunc(shared, func(a, b connxt.PSP) int { return strings.Compare(a.ID, b.ID) })
	seedPSP(t, e.secondClient(t), "eu-paymaxis", paymaxisID, connxt.StatusEnabled)

	config := e.config(`
data "connxt_psps" "all" {}

data "connxt_psps" "paymaxis" {
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
}

data "connxt_psps" "disabled" {
  status = "DISABLED"
}

data "connxt_psps" "eu" {
  name_prefix = "eu-"
}

data "connxt_psps" "combined" {
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  status         = "DISABLED"
  name_prefix    = "us-"
}

data "connxt_psps" "none" {
  flow_target_id = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  name_prefix    = "us-paymaxis"
}
`)
	dataSourceTest(t, []resource.TestStep{{
		Config:           config,
		ConfigPlanChecks: emptyPlanAfterApply,
		ConfigStateChecks: []statecheck.StateCheck{
			expectPSPs("data.connxt_psps.all", euPaymaxis, euSticpay, shared[0], shared[1], usPaymaxis, usSticpay),
			expectPSPs("data.connxt_psps.paymaxis", euPaymaxis, sharedPaymaxis, usPaymaxis),
			expectPSPs("data.connxt_psps.disabled", euSticpay, usPaymaxis),
			expectPSPs("data.connxt_psps.eu", euPaymaxis, euSticpay),
			expectPSPs("data.connxt_psps.combined", usPaymaxis),
			expectPSPs("data.connxt_psps.none"),
			statecheck.ExpectKnownValue("data.connxt_psps.combined", tfjsonpath.New("psps").AtSliceIndex(0).AtMapKey("operations"),
				knownvalue.SetExact([]knownvalue.Check{op(depositID, paymaxisDepositID)})),
			statecheck.ExpectKnownValue("data.connxt_psps.all", tfjsonpath.New("flow_target_id"), knownvalue.Null()),
		},
	}})
}

// noListing answers the PSP list with status, as a server without that endpoint would.
func noListing(status int) emulator.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) != emulator.RouteListPSPs {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(connxt.Envelope{Timestamp: "2026-01-01T00:00:00Z", Code: connxt.CodeNotFound, Message: "No resource at this path"})
		})
	}
}

// TestAccPSPDataSources_noListEndpoint: without GET /psps, connxt_psps and a look-up by
// name fail saying so, and a look-up by id still works.
func TestAccPSPDataSources_noListEndpoint(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names, also in a second environment")
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newTestEmulator(t, emulator.Options{Middleware: []emulator.Middleware{noListing(status)}})
			p := seedPSP(t, e.client(t), "by-id-only", paymaxisID, "")
			answered := fmt.Sprintf("HTTP %d", status)
			dataSourceTest(t, []resource.TestStep{
				{
					Config: e.config(`
data "connxt_psps" "all" {}
`),
					ExpectError: wrapped("This Connxt server cannot list PSPs", "has no endpoint that lists PSPs", answered),
				},
				{
					Config: e.config(`
data "connxt_psp" "x" {
  name           = "by-id-only"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
}
`),
					ExpectError: wrapped("PSPs cannot be looked up by name on this server", "has no endpoint that lists PSPs", answered,
						"Look the PSP up by id instead"),
				},
				{
					Config: e.config(fmt.Sprintf(`
data "connxt_psp" "x" {
  id = %q # the seeded PSP
}
`, p.ID)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.connxt_psp.x", tfjsonpath.New("name"), knownvalue.StringExact("by-id-only")),
					},
				},
			})
		})
	}
}

// expectCheck checks the recorded result of the check block named name.
type expectCheckResult struct{ name, status string }

func expectCheck(name, status string) statecheck.StateCheck { return expectCheckResult{name, status} }

func (c expectCheckResult) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state to find check %q in", c.name)
		return
	}
	for _, r := range req.State.Checks {
		if r.Address.Name == c.name {
			if string(r.Status) != c.status {
				resp.Error = fmt.Errorf("check %q is %s, want %s", c.name, r.Status, c.status)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("the state records no result for check %q", c.name)
}

// TestAccPSPsDataSource_invalidStatus: a filter status that is not ENABLED or DISABLED
// fails before any API call.
func TestAccPSPsDataSource_invalidStatus(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names, also in a second environment")
	e := newTestEmulator(t, emulator.Options{})
	dataSourceTest(t, []resource.TestStep{{
		Config: e.config(`
data "connxt_psps" "x" {
  status = "enabled"
}
`),
		ExpectError: wrapped("Invalid value", `must be ENABLED or DISABLED (upper case), not "enabled"`),
	}})
	if n := e.Counts()[emulator.RouteListPSPs]; n != 0 {
		t.Errorf("the invalid filter reached the API: %d listings", n)
	}
}

// TestPSPDataSources_validate: the look-up arguments are refused at validation, on the
// attribute at fault, with the framework validators' wording.
func TestPSPDataSources_validate(t *testing.T) {
	h := newProtocolHarness(t, "")
	cases := []struct {
		name, typeName string
		config         map[string]any
		path           string
		summary        string
	}{
		{"neither id nor name", "connxt_psp", map[string]any{}, "", "Missing Attribute Configuration"},
		{"id and name", "connxt_psp", map[string]any{"id": "psp_a", "name": "x", "flow_target_id": paymaxisID}, "", "Invalid Attribute Combination"},
		{"name without target", "connxt_psp", map[string]any{"name": "x"}, "name", "Invalid Attribute Combination"},
		{"target without name", "connxt_psp", map[string]any{"id": "psp_a", "flow_target_id": paymaxisID}, "flow_target_id", "Invalid Attribute Combination"},
		{"malformed id", "connxt_psp", map[string]any{"id": "ftg_a"}, "id", "Invalid PSP id"},
		{"malformed target", "connxt_psps", map[string]any{"flow_target_id": "psp_a"}, "flow_target_id", "Invalid flow target id"},
		{"lower-case status", "connxt_psps", map[string]any{"status": "enabled"}, "status", "Invalid value"},
		{"empty prefix", "connxt_psps", map[string]any{"name_prefix": ""}, "name_prefix", "Invalid Attribute Value Length"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			typ := h.schema.DataSourceSchemas[tc.typeName].ValueType()
			resp, err := h.server.ValidateDataResourceConfig(h.ctx, &tfprotov6.ValidateDataResourceConfigRequest{
				TypeName: tc.typeName, Config: h.dynamic(typ, tfValue(typ, tc.config)),
			})
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, d := range resp.Diagnostics {
				if d.Severity != tfprotov6.DiagnosticSeverityError {
					continue
				}
				errs = append(errs, d.Summary+": "+d.Detail)
				var want *tftypes.AttributePath
				if tc.path != "" {
					want = tftypes.NewAttributePath().WithAttributeName(tc.path)
				}
				if d.Summary == tc.summary && (want == nil || d.Attribute.Equal(want)) {
					return
				}
			}
			t.Errorf("want an error %q on %q, got %q", tc.summary, tc.path, errs)
		})
	}
}

// TestPSPDataSources_describedAttributes: the registry docs are generated from the schema,
// so an attribute without a description would be an undocumented one.
func TestPSPDataSources_describedAttributes(t *testing.T) {
	h := newProtocolHarness(t, "")
	var walk func(prefix string, attrs []*tfprotov6.SchemaAttribute)
	walk = func(prefix string, attrs []*tfprotov6.SchemaAttribute) {
		for _, a := range attrs {
			if a.Description == "" || a.DescriptionKind != tfprotov6.StringKindMarkdown {
				t.Errorf("%s%s has no Markdown description", prefix, a.Name)
			}
			if a.NestedType != nil {
				walk(prefix+a.Name+".", a.NestedType.Attributes)
			}
		}
	}
	for _, name := range []string{"connxt_psp", "connxt_psps"} {
		s := h.schema.DataSourceSchemas[name]
		if s == nil || s.Block.Description == "" {
			t.Fatalf("data source %s is missing or undescribed", name)
		}
		walk(name+".", s.Block.Attributes)
	}
}
