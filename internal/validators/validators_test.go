package validators_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

// validate runs v on value as the attribute at p and returns its error diagnostics.
func validate(v validator.String, p path.Path, value types.String) diag.Diagnostics {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: value}, &resp)
	return resp.Diagnostics.Errors()
}

// expectOne checks that diags is one error with summary whose detail holds every one of words.
func expectOne(t *testing.T, diags diag.Diagnostics, summary string, words ...string) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("got %d errors, want 1: %v", len(diags), diags)
	}
	if diags[0].Summary() != summary {
		t.Errorf("summary %q, want %q", diags[0].Summary(), summary)
	}
	for _, w := range words {
		if !strings.Contains(diags[0].Detail(), w) {
			t.Errorf("detail %q does not contain %q", diags[0].Detail(), w)
		}
	}
}

func TestNullAndUnknownAreNotChecked(t *testing.T) {
	all := map[string]validator.String{
		"NotBlank":         validators.NotBlank("x"),
		"Name":             validators.Name(3),
		"SecretJSONObject": validators.SecretJSONObject(3),
		"ID":               validators.ID(validators.PSPID),
		"OneOf":            validators.OneOf("A"),
	}
	for name, v := range all {
		for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
			if diags := validate(v, path.Root("a"), value); diags.HasError() {
				t.Errorf("%s refused %s: %v", name, value, diags)
			}
		}
	}
}

func TestNotBlank(t *testing.T) {
	v := validators.NotBlank("give it a name")
	for _, s := range []string{"", " ", "\t\n "} {
		expectOne(t, validate(v, path.Root("name"), types.StringValue(s)), "Blank value", "give it a name")
	}
	if diags := validate(v, path.Root("name"), types.StringValue(" a ")); diags.HasError() {
		t.Errorf("refused a name with a letter: %v", diags)
	}
}

func TestOneOf(t *testing.T) {
	v := validators.OneOf("ENABLED", "DISABLED")
	if diags := validate(v, path.Root("status"), types.StringValue("DISABLED")); diags.HasError() {
		t.Errorf("refused DISABLED: %v", diags)
	}
	expectOne(t, validate(v, path.Root("status"), types.StringValue("enabled")), "Invalid value",
		`must be ENABLED or DISABLED (upper case), not "enabled"`)
}
