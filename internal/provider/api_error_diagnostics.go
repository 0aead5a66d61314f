package provider

// This file turns Connxt API errors into Terraform diagnostics that point at the attribute
// the user has to change and say what to do next.

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// apiErrorFieldMapper maps a field name of an API error ("operations[1].flowDefinitionId") to the
// attribute that holds it and words that attribute for the message (Terraform cannot show
// the source line of an element of a set block, so the words must identify it); ok is
// false when no attribute does.
type apiErrorFieldMapper func(field string) (p path.Path, words string, ok bool)

// addAPIErrorDiagnostics adds diagnostics for err, which came from an API call described by summary
// ("Unable to create the PSP"). tokenSource says where the token came from, for a 401.
func addAPIErrorDiagnostics(ctx context.Context, diags *diag.Diagnostics, summary string, err error, mapField apiErrorFieldMapper, tokenSource string) {
	var apiErr *connxt.APIError
	var mismatch *connxt.EnvironmentMismatchError
	var answer *connxt.AnswerError
	switch {
	case errors.As(err, &mismatch):
		diags.AddError("Secret token of another Connxt environment",
			fmt.Sprintf("%s: %s. The token came from %s. Use the token of %s, or correct environment_id if the "+
				"configuration is meant for %s.", summary, err, tokenSource, mismatch.Expected, mismatch.Actual))
	case errors.As(err, &answer):
		diags.AddError(summary, fmt.Sprintf("Connxt's answer contradicts the request, so it was not used: %s.", err))
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		diags.AddError(summary, fmt.Sprintf("The operation was cancelled or timed out before Connxt answered: %s", err))
	case !errors.As(err, &apiErr):
		diags.AddError(summary, fmt.Sprintf("Connxt could not be reached: %s\n\nCheck base_url (or CONNXT_BASE_URL) and the network; "+
			"the provider already retried with backoff up to max_retries times.", err))
	case apiErr.StatusCode == http.StatusUnauthorized:
		diags.AddError("Connxt refused the secret token",
			fmt.Sprintf("%s: Connxt answered that the secret token is missing or invalid (HTTP 401). The token came from %s. "+
				"Check that it is the current token of the intended environment; its value is not shown.", summary, tokenSource))
	case apiErr.StatusCode == http.StatusForbidden:
		diags.AddError(summary, fmt.Sprintf("The secret token (from %s) is valid but lacks access to this operation (HTTP 403): %s", tokenSource, apiErr.Message))
	case apiErr.StatusCode == http.StatusBadRequest && len(apiErr.FieldErrors) > 0:
		for _, fe := range apiErr.FieldErrors {
			if mapField != nil {
				if p, words, ok := mapField(fe.Field); ok {
					diags.AddAttributeError(p, summary, fmt.Sprintf("Connxt rejected %s (%s): %s", fe.Field, words, fe.Message))
					continue
				}
			}
			diags.AddError(summary, fmt.Sprintf("Connxt rejected %s: %s", fe.Field, fe.Message))
		}
	default:
		diags.AddError(summary, err.Error())
	}
}
