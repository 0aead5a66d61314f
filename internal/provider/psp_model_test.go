package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

func TestPSPFieldMapper(t *testing.T) {
	elem := func(action, definition string) attr.Value {
		return types.ObjectValueMust(operationAttrTypes, map[string]attr.Value{
			"flow_action_id":     types.StringValue(action),
			"flow_definition_id": types.StringValue(definition),
			"status":             types.StringValue(connxt.StatusEnabled),
		})
	}
	sent := []attr.Value{elem("fat_a", "fld_a"), elem("fat_b", "fld_b")}
	sentOps := []connxt.PSPOperation{{FlowActionID: "fat_a"}, {FlowActionID: "fat_b"}}
	mapField := pspFieldMapper(sent, sentOps, "credential_wo")

	cases := []struct {
		field string
		want  path.Path
		words string
	}{
		{"operations[1].flowDefinitionId", path.Root("operation").AtSetValue(sent[1]).AtName("flow_definition_id"),
			`the operation block with flow_action_id = "fat_b", attribute flow_definition_id`},
		{"operations[0].status", path.Root("operation").AtSetValue(sent[0]).AtName("status"),
			`the operation block with flow_action_id = "fat_a", attribute status`},
		{"operations[0]", path.Root("operation").AtSetValue(sent[0]), `the operation block with flow_action_id = "fat_a"`},
		{"operations[7].flowActionId", path.Root("operation"), "an operation block, attribute flow_action_id"},
		{"operations[7]", path.Root("operation"), "an operation block"},
		{"credential", path.Root("credential_wo"), "attribute credential_wo"},
		{"flowTargetId", path.Root("flow_target_id"), "attribute flow_target_id"},
	}
	for _, tc := range cases {
		got, words, ok := mapField(tc.field)
		if !ok || !got.Equal(tc.want) || words != tc.words {
			t.Errorf("%s: got %s %q %v, want %s %q", tc.field, got, words, ok, tc.want, tc.words)
		}
	}
	if _, _, ok := mapField("brandId"); ok {
		t.Error("a field without an attribute must not be mapped")
	}
}

// TestSetFromAPIEmptyTextIsNull: Connxt answering "" for a description or logo is the same
// as none; state holds null, which a configuration that omits them matches.
func TestSetFromAPIEmptyTextIsNull(t *testing.T) {
	empty, logo := "", "https://example.com/logo.png"
	var m pspModel
	m.setFromAPI(&connxt.PSP{ID: "psp_x", Description: &empty, Logo: &logo})
	if !m.Description.IsNull() {
		t.Errorf(`description "" became %s, want null`, m.Description)
	}
	if m.Logo.ValueString() != logo {
		t.Errorf("logo became %s, want %q", m.Logo, logo)
	}
}
