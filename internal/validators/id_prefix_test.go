package validators_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

func TestIDAcceptsAnyFormatWithThePrefix(t *testing.T) {
	cases := map[validators.IDKind][]string{
		validators.FlowTargetID:     {"ftg_01jwra8pvkfey9h1f71gsw1qsw", "ftg_01JWRA8PVKFEY9H1F71GSW1QSW", "ftg_x"},
		validators.FlowActionID:     {"fat_01jt2cetrheh48mkp2m8z680xz", "fat_2f0c7a9e-4a8b-4c1d-9e2f-3b4a5c6d7e8f"},
		validators.FlowDefinitionID: {"fld_01jwraa3", "fld_new_format", "fld_" + strings.Repeat("z", validators.MaxIDTail)},
		validators.PSPID:            {"psp_gQzyS9RkkknYWFvgnJQj3zSNjP", "psp_01jwra8pvkfey9h1f71gsw1qsw", "psp_a-b_c"},
	}
	for kind, ids := range cases {
		for _, id := range ids {
			if !kind.Valid(id) {
				t.Errorf("%s id %q refused", kind.Noun, id)
			}
			if diags := validate(validators.ID(kind), path.Root("id"), types.StringValue(id)); diags.HasError() {
				t.Errorf("%s id %q refused by the validator: %v", kind.Noun, id, diags)
			}
		}
	}
}

func TestIDRefuses(t *testing.T) {
	for _, id := range []string{
		"",
		"ftg_",                             // only the prefix
		"FTG_01jwra8pvkfey9h1f71gsw1qsw",   // the prefix is lower case
		"fat_01jt2cetrheh48mkp2m8z680xz",   // another kind
		"01jwra8pvkfey9h1f71gsw1qsw",       // no prefix
		"ftg_01jwra8pvkfey9h1f71gsw1qsw ",  // a space
		"ftg_01jwra8pvkfey9h1f71gsw1qsw\n", // a line break
		"ftg_a/b",                          // a path separator
		"ftg_ä",                            // not ASCII
		"ftg_" + strings.Repeat("z", validators.MaxIDTail+1),
	} {
		if validators.FlowTargetID.Valid(id) {
			t.Errorf("%q accepted as a flow target id", id)
		}
		expectOne(t, validate(validators.ID(validators.FlowTargetID), path.Root("flow_target_id"), types.StringValue(id)),
			"Invalid flow target id", `a flow target id is "ftg_" followed by 1 to 64 letters, digits, "_" or "-"`)
	}
}
