package validators

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NotBlank refuses an empty or all-whitespace string, which Connxt refuses at apply time,
// and says what to write instead: ifEmpty is the advice, e.g. "omit the attribute".
func NotBlank(ifEmpty string) validator.String { return notBlankValidator{ifEmpty: ifEmpty} }

type notBlankValidator struct{ ifEmpty string }

func (v notBlankValidator) Description(context.Context) string {
	return "must not be empty or only spaces; " + v.ifEmpty
}

func (v notBlankValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v notBlankValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Blank value",
			"The value "+v.Description(ctx)+".")
	}
}
