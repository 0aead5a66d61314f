package validators_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

const secretValue = "s3cr3t-value"

func TestSecretJSONObject(t *testing.T) {
	v := validators.SecretJSONObject(connxt.MaxCredentialBytes)
	ok := []string{
		`{}`,
		`{"apiKey":"` + secretValue + `"}`,
		`{"a":{"k":1},"b":{"k":2}}`,      // the same key in two objects is fine
		`{"a":[{"k":1},{"k":2}]}`,        // and in objects of a list
		`{"a":["k","k"],"k":"k"}`,        // strings in a list are values, not keys
		`{"k":{"k":{"k":"k"}}}`,          // and in nested objects
		sized(connxt.MaxCredentialBytes), // the limit is inclusive
	}
	for _, s := range ok {
		if diags := validate(v, path.Root("credential"), types.StringValue(s)); diags.HasError() {
			t.Errorf("refused %.60s: %v", s, diags)
		}
	}
	bad := []struct {
		name, s, summary string
		words            []string
	}{
		{"too large", sized(connxt.MaxCredentialBytes + 1), "Credential too large",
			[]string{"credential is 65537 bytes", "credential accepts at most 65536 bytes"}},
		{"not JSON", `apiKey=` + secretValue, "Invalid credential", []string{"syntax error at byte 1"}},
		{"a list", `["` + secretValue + `"]`, "Invalid credential", []string{"a list, not an object"}},
		{"duplicate key", `{"apiKey":"` + secretValue + `", "apiKey":"other"}`, "Invalid credential",
			[]string{`the key "apiKey" twice`, "at byte 27"}},
		{"duplicate key written with an escape", `{"key":1,"k\u0065y":"` + secretValue + `"}`, "Invalid credential",
			[]string{`the key "key" twice`, "at byte 10"}},
		{"duplicate nested key", `{"outer":{"x":"` + secretValue + `",` + "\n" + `"x":"` + secretValue + `"}}`, "Invalid credential",
			[]string{`the key "x" twice`}},
		{"duplicate key in an object of a list", `{"l":[{},{"a":1,"b":2,"a":"` + secretValue + `"}]}`, "Invalid credential",
			[]string{`the key "a" twice`, "at byte 23"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			diags := validate(v, path.Root("credential"), types.StringValue(tc.s))
			expectOne(t, diags, tc.summary, tc.words...)
			for _, d := range diags {
				if strings.Contains(d.Summary()+d.Detail(), secretValue) {
					t.Error("the diagnostic shows the secret value")
				}
			}
		})
	}
}

// sized is a credential of exactly n bytes that holds the secret value.
func sized(n int) string {
	head, tail := `{"apiKey":"`+secretValue, `"}`
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

func TestSecretJSONObjectNamesTheAttribute(t *testing.T) {
	diags := validate(validators.SecretJSONObject(10), path.Root("credential_wo"), types.StringValue(`{"apiKey":"x"}`))
	expectOne(t, diags, "Credential too large", "credential_wo is 14 bytes; credential_wo accepts at most 10 bytes")
}

func TestJSONObject(t *testing.T) {
	const email = "payer@example.com"
	v := validators.JSONObject(64)
	for _, s := range []string{`{}`, `{"customer":{"email":"` + email + `"}}`} {
		if diags := validate(v, path.Root("execute_payload"), types.StringValue(s)); diags.HasError() {
			t.Errorf("refused %s: %v", s, diags)
		}
	}
	for _, tc := range []struct{ s, summary, words string }{
		{`["` + email + `"]`, "Invalid JSON object", "The value of execute_payload is valid JSON but a list, not an object"},
		{`email=` + email, "Invalid JSON object", "is not valid JSON (syntax error at byte 1"},
		{`{"email":"` + email + `","email":"x"}`, "Invalid JSON object", `has the key "email" twice`},
		{`{"email":"` + strings.Repeat("x", 64) + `"}`, "JSON document too large", "execute_payload is 76 bytes; execute_payload accepts at most 64 bytes"},
	} {
		diags := validate(v, path.Root("execute_payload"), types.StringValue(tc.s))
		expectOne(t, diags, tc.summary, tc.words)
		for _, d := range diags {
			// Not a secret, but it may be customer data: no value is quoted, and no word
			// says that the value is secret.
			if strings.Contains(d.Detail(), email) || strings.Contains(d.Detail(), "secret") {
				t.Errorf("%s: %s", d.Summary(), d.Detail())
			}
		}
	}
}
