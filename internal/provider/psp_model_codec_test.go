package provider

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestPSPModelCodecCoversTheSchema: pspModel and operationModel have exactly the schema's
// attributes, so that an attribute added to one and not to the other fails here; the
// round trip below then fails for one the hand-written mapping leaves out.
func TestPSPModelCodecCoversTheSchema(t *testing.T) {
	var tags []string
	for f := range reflect.TypeFor[pspModel]().Fields() {
		tags = append(tags, f.Tag.Get("tfsdk"))
	}
	if got := slices.Sorted(maps.Keys(pspAttrTypes())); !slices.Equal(slices.Sorted(slices.Values(tags)), got) {
		t.Errorf("pspModel's fields %v differ from the codec's attributes %v", slices.Sorted(slices.Values(tags)), got)
	}
	var opTags []string
	for f := range reflect.TypeFor[operationModel]().Fields() {
		opTags = append(opTags, f.Tag.Get("tfsdk"))
	}
	if got := slices.Sorted(maps.Keys(operationAttrTypes)); !slices.Equal(slices.Sorted(slices.Values(opTags)), got) {
		t.Errorf("operationModel's fields %v differ from the operation attributes %v", slices.Sorted(slices.Values(opTags)), got)
	}
}

// TestOperationsOfAnUnknownSetFail: an unknown set of operation blocks has no elements, and
// reading it is an error rather than "no operations".
func TestOperationsOfAnUnknownSetFail(t *testing.T) {
	m := pspModel{Operations: types.SetUnknown(operationObjectType)}
	if _, _, d := m.operations(t.Context()); !d.HasError() {
		t.Error("operations() of an unknown set returned no error")
	}
	var got pspModel
	if d := got.fromObject(types.ObjectNull(pspAttrTypes())); !d.HasError() || d.ErrorsCount() != 1 {
		t.Errorf("a null object should give one error, got %v", d)
	}
}

// TestPSPModelRoundTrip: a state written by setPSPModel reads back the same through
// getPSPModel and through the framework's own reflection, unknown and null values included.
func TestPSPModelRoundTrip(t *testing.T) {
	ctx := t.Context()
	var sresp resource.SchemaResponse
	NewPSPResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	ops, diags := types.SetValue(operationObjectType, []attr.Value{
		types.ObjectValueMust(operationAttrTypes, map[string]attr.Value{
			"flow_action_id": types.StringValue("fat_1"), "flow_definition_id": types.StringValue("fld_1"), "status": types.StringValue("ENABLED"),
		}),
		types.ObjectValueMust(operationAttrTypes, map[string]attr.Value{
			"flow_action_id": types.StringValue("fat_2"), "flow_definition_id": types.StringUnknown(), "status": types.StringNull(),
		}),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	// Every string a different value, so that two swapped attributes would show; the null
	// and unknown cases get a model of their own below.
	want := pspModel{
		ID: types.StringValue("psp_1"), Name: types.StringValue("name"), Description: types.StringValue("description"),
		Logo: types.StringValue("logo"), FlowTargetID: types.StringValue("ftg_1"), Status: types.StringValue("DISABLED"),
		Credential: types.StringValue(`{"k":"credential"}`), CredentialWO: types.StringValue(`{"k":"wo"}`), CredentialWOVersion: types.Int64Value(3),
		Operations: ops, BrandID: types.StringValue("brd_1"), EnvironmentID: types.StringValue("env_1"),
		CreatedAt: types.StringValue("created"), UpdatedAt: types.StringValue("updated"),
	}
	sparse := pspModel{
		ID: types.StringValue("psp_2"), Name: types.StringValue("n"), Description: types.StringNull(),
		Logo: types.StringNull(), FlowTargetID: types.StringUnknown(), Status: types.StringUnknown(),
		Credential: types.StringNull(), CredentialWO: types.StringNull(), CredentialWOVersion: types.Int64Null(),
		Operations: types.SetUnknown(operationObjectType), BrandID: types.StringUnknown(), EnvironmentID: types.StringNull(),
		CreatedAt: types.StringUnknown(), UpdatedAt: types.StringUnknown(),
	}
	for _, m := range []pspModel{want, sparse} {
		state := tfsdk.State{Schema: sresp.Schema}
		if d := setPSPModel(ctx, &state, &m); d.HasError() {
			t.Fatal(d)
		}
		var got, byReflection pspModel
		if d := getPSPModel(ctx, state, &got); d.HasError() {
			t.Fatal(d)
		}
		if d := state.Get(ctx, &byReflection); d.HasError() {
			t.Fatal(d)
		}
		if !got.equal(&m) || !byReflection.equal(&m) {
			t.Errorf("round trip changed the model:\n want %+v\n got  %+v\n framework %+v", m, got, byReflection)
		}
	}
	gotOps, _, d := want.operations(ctx)
	if d.HasError() || len(gotOps) != 2 {
		t.Fatalf("operations: %v %v", gotOps, d)
	}
	var viaFramework []operationModel
	if d := want.Operations.ElementsAs(ctx, &viaFramework, false); d.HasError() || !reflect.DeepEqual(gotOps, viaFramework) {
		t.Errorf("operations differ from the framework's conversion: %+v vs %+v (%v)", gotOps, viaFramework, d)
	}
}
