package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// identityHarness talks to the provider over the plugin protocol, as Terraform 1.12+
// does for resource identity, configured for an emulator with one PSP.
type identityHarness struct {
	*protocolHarness
	psp *connxt.PSP
}

func newIdentityHarness(t *testing.T) *identityHarness {
	t.Helper()
	e := newTestEmulator(t, emulator.Options{})
	psp, _, err := e.client(t).CreatePSP(t.Context(), connxt.CreatePSPRequest{Name: "identified", FlowTargetID: paymaxisID,
		Credential: `{"apiKey":"identity-key"}`, Operations: []connxt.PSPOperation{
			{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusEnabled}}})
	if err != nil {
		t.Fatal(err)
	}
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	h := &identityHarness{protocolHarness: &protocolHarness{t: t, ctx: t.Context(), server: server, schema: schema, url: e.URL}, psp: psp}
	providerType := schema.Provider.ValueType()
	config := h.dynamic(providerType, tfValue(providerType, map[string]any{"base_url": e.URL, "secret_token": emulator.DefaultToken}))
	if cp, _ := server.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{Config: config, TerraformVersion: "1.12.0"}); hasError(cp.Diagnostics) {
		t.Fatalf("configure: %v", cp.Diagnostics)
	}
	return h
}

func (h *identityHarness) identityType() tftypes.Type {
	resp, err := h.server.GetResourceIdentitySchemas(h.ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.IdentitySchemas["connxt_psp"].ValueType()
}

func (h *identityHarness) identity(id, env string) *tfprotov6.ResourceIdentityData {
	t := h.identityType()
	attrs := map[string]any{"id": id}
	if env != "" {
		attrs["environment_id"] = env
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: h.dynamic(t, tfValue(t, attrs))}
}

// identityOf decodes identity data into its attributes.
func (h *identityHarness) identityOf(data *tfprotov6.ResourceIdentityData) map[string]string {
	h.t.Helper()
	if data == nil || data.IdentityData == nil {
		h.t.Fatal("no identity returned")
	}
	v, err := data.IdentityData.Unmarshal(h.identityType())
	if err != nil {
		h.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		h.t.Fatal(err)
	}
	out := map[string]string{}
	for k, a := range attrs {
		var s string
		_ = a.As(&s)
		out[k] = s
	}
	return out
}

// importAndRead imports by identity and reads the imported state, as Terraform does.
func (h *identityHarness) importAndRead(identity *tfprotov6.ResourceIdentityData) (*tfprotov6.ReadResourceResponse, []*tfprotov6.Diagnostic) {
	ir, err := h.server.ImportResourceState(h.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "connxt_psp", Identity: identity})
	if err != nil {
		h.t.Fatal(err)
	}
	if hasError(ir.Diagnostics) {
		return nil, ir.Diagnostics
	}
	imported := ir.ImportedResources[0]
	rr, err := h.server.ReadResource(h.ctx, &tfprotov6.ReadResourceRequest{TypeName: "connxt_psp", CurrentState: imported.State,
		CurrentIdentity: imported.Identity, Private: imported.Private})
	if err != nil {
		h.t.Fatal(err)
	}
	return rr, rr.Diagnostics
}

// TestIdentitySchema: connxt_psp has an identity of its id (required to import) and its
// environment (optional).
func TestIdentitySchema(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	resp, err := server.GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema := resp.IdentitySchemas["connxt_psp"]
	if schema == nil {
		t.Fatal("connxt_psp has no identity schema")
	}
	got := map[string]string{}
	for _, a := range schema.IdentityAttributes {
		switch {
		case a.RequiredForImport:
			got[a.Name] = "required"
		case a.OptionalForImport:
			got[a.Name] = "optional"
		}
	}
	if len(got) != 2 || got["id"] != "required" || got["environment_id"] != "optional" {
		t.Fatalf("identity attributes: %v", got)
	}
}

// TestImportByIdentity: an import block's identity brings the PSP into state, and the read
// that follows returns the full identity; an identity naming another environment than the
// PSP's, or an id that is no PSP id, is refused before anything is in state.
func TestImportByIdentity(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names out of band")
	h := newIdentityHarness(t)
	env := h.psp.EnvironmentID

	rr, diags := h.importAndRead(h.identity(h.psp.ID, ""))
	if hasError(diags) || rr.NewState == nil {
		t.Fatalf("import by identity: %v", diags)
	}
	if got := h.identityOf(rr.NewIdentity); got["id"] != h.psp.ID || got["environment_id"] != env {
		t.Fatalf("identity after read: %v, want id %s and environment %s", got, h.psp.ID, env)
	}

	_, diags = h.importAndRead(h.identity(h.psp.ID, "env_SomeOtherEnvironment000001"))
	if !hasError(diags) || !strings.Contains(diagText(diags), "environment") {
		t.Fatalf("an identity of another environment must be refused, got %v", diags)
	}

	_, diags = h.importAndRead(h.identity("not-a-psp", ""))
	if !hasError(diags) || !strings.Contains(diagText(diags), "not a PSP id") {
		t.Fatalf("a malformed id must be refused, got %v", diags)
	}
}

// TestReadKeepsIdentity: a read of a PSP in state (created before identities existed, as
// with Terraform 1.11) returns its identity.
func TestReadKeepsIdentity(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names out of band")
	h := newIdentityHarness(t)
	state := h.dynamic(h.pspType(), tfValue(h.pspType(), map[string]any{"id": h.psp.ID, "environment_id": h.psp.EnvironmentID}))
	rr, err := h.server.ReadResource(h.ctx, &tfprotov6.ReadResourceRequest{TypeName: "connxt_psp", CurrentState: state})
	if err != nil || hasError(rr.Diagnostics) {
		t.Fatalf("read: %v %v", err, rr.Diagnostics)
	}
	if got := h.identityOf(rr.NewIdentity); got["id"] != h.psp.ID || got["environment_id"] != h.psp.EnvironmentID {
		t.Fatalf("identity: %v", got)
	}
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

// TestAccPSP_importByIdentity runs an import block with identity through the CLI; it needs
// Terraform 1.12 or later and is skipped by older ones (make test runs 1.11.4; see
// CONTRIBUTING for running with a newer CLI).
func TestAccPSP_importByIdentity(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(`
resource "connxt_psp" "test" {
  name           = "identified"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = "{\"apiKey\":\"id-key\"}"

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy:             e.checkNoPSPs,
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:          config,
				ResourceName:    "connxt_psp.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
