package validators

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// SecretJSONObject checks that a secret string holds a JSON object. Its diagnostics never
// quote the value, not even the character where parsing failed.
func SecretJSONObject() validator.String { return secretJSONObjectValidator{} }

type secretJSONObjectValidator struct{}

func (secretJSONObjectValidator) Description(context.Context) string {
	return "must be a JSON object, for example jsonencode({ apiKey = var.api_key })"
}

func (v secretJSONObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v secretJSONObjectValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := JSONObjectProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid credential",
			fmt.Sprintf("The value %s; it %s. The value itself is not shown because it is secret.", problem, v.Description(ctx)))
	}
}

// JSONObjectProblem says what is wrong with s as a JSON object, without quoting it; "" when
// nothing is.
func JSONObjectProblem(s string) string {
	var doc any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) {
			return fmt.Sprintf("is not valid JSON (syntax error at byte %d of %d)", syntaxErr.Offset, len(s))
		}
		return fmt.Sprintf("is not valid JSON (%d bytes)", len(s))
	}
	if _, ok := doc.(map[string]any); !ok {
		return fmt.Sprintf("is valid JSON but a %s, not an object", jsonKind(doc))
	}
	return ""
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	default:
		return "null"
	}
}
