// Package validators holds the attribute validators of the Connxt provider that the
// framework-validators module does not offer.
package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// BaseURL checks a Connxt base URL at validate time with the same rules the client applies.
func BaseURL() validator.String { return baseURLValidator{} }

type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an https URL of a scheme and host (plain http only for loopback hosts)"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := connxt.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Connxt base URL",
			fmt.Sprintf("The base URL %s.", err))
	}
}
