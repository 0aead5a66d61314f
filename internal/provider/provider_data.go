package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client      *connxt.Client
	tokenSource string
	catalogs    *catalogCache
	memory      processMemory
}

// addAPIError reports err with the token's source for a 401.
func (d *providerData) addAPIError(ctx context.Context, diags *diag.Diagnostics, summary string, err error, mapField apiErrorFieldMapper) {
	addAPIErrorDiagnostics(ctx, diags, summary, err, mapField, d.tokenSource)
}

// providerDataFrom converts the value Configure stored; nil means "not configured yet",
// which happens during validation.
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", raw))
		return nil
	}
	return data
}
