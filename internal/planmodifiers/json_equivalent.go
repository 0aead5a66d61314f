// Package planmodifiers holds the plan modifiers of the Connxt provider.
package planmodifiers

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// KeepEquivalentJSON plans the prior value when the configured JSON document is equal to it
// once parsed, so that re-formatting a document (key order, spacing) plans no change.
// Terraform accepts a planned value equal to a non-null prior value as "functionally
// equivalent" to the configuration.
func KeepEquivalentJSON() planmodifier.String { return keepEquivalentJSON{} }

type keepEquivalentJSON struct{}

func (keepEquivalentJSON) Description(context.Context) string {
	return "a JSON document equal to the prior one, however formatted, is not a change"
}

func (m keepEquivalentJSON) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalentJSON) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if req.PlanValue.Equal(req.StateValue) {
		return
	}
	if JSONEqual(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// JSONEqual reports whether a and b are the same JSON document.
func JSONEqual(a, b string) bool {
	var da, db any
	if json.Unmarshal([]byte(a), &da) != nil || json.Unmarshal([]byte(b), &db) != nil {
		return false
	}
	return reflect.DeepEqual(da, db)
}
