package validators

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// OneOf refuses a string that is not one of values, naming them. Unlike the framework's
// own, its message does not embed the attribute path, which for an attribute of a block
// in a set spells out the whole block.
func OneOf(values ...string) validator.String { return oneOfValidator{values: values} }

type oneOfValidator struct{ values []string }

func (v oneOfValidator) Description(context.Context) string {
	return "must be " + strings.Join(v.values, " or ")
}

func (v oneOfValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v oneOfValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueString()
	for _, want := range v.values {
		if got == want {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
		fmt.Sprintf("The value %s (upper case), not %q.", v.Description(ctx), got))
}
