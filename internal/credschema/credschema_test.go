package credschema

import (
	"strings"
	"testing"
)

const sticpaySchema = `{"type":"object","required":["merchantEmail","apiKey"],
  "properties":{"merchantEmail":{"type":"string","pattern":"^[^@]+@[^@]+$"},"apiKey":{"type":"string","minLength":8}},
  "additionalProperties":false}`

func TestCheck(t *testing.T) {
	schema, err := Compile("ftg_test", []byte(sticpaySchema))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		credential string
		want       []string
	}{
		{`{"merchantEmail":"a@b.example","apiKey":"k-12345678"}`, nil},
		{`{"apiKey":"k-12345678"}`, []string{`missing required key "merchantEmail"`}},
		{`{"merchantEmail":"a@b.example","apiKey":"k-12345678","pin":"9876"}`, []string{`unexpected key "pin" (the schema allows no other keys)`}},
		{`{"merchantEmail":"a@b.example","apiKey":12345678}`, []string{`key "apiKey" must be of type string`}},
		{`{"merchantEmail":"no-at-sign-secret","apiKey":"short"}`, []string{
			`key "apiKey" does not satisfy the schema keyword "minLength"`,
			`key "merchantEmail" does not satisfy the schema keyword "pattern"`,
		}},
		{`["apiKey"]`, []string{`must be a string holding a JSON object, e.g. {"apiKey":"..."}`}},
		{`{apiKey:`, []string{`must be a string holding a JSON object, e.g. {"apiKey":"..."}; it is not valid JSON`}},
	}
	for _, tc := range cases {
		got := schema.Check(tc.credential)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Check(%s) = %q, want %q", tc.credential, got, tc.want)
		}
		for _, msg := range got {
			for _, secret := range []string{"no-at-sign-secret", "short", "9876", "12345678"} {
				if strings.Contains(msg, secret) {
					t.Errorf("message %q shows a credential value", msg)
				}
			}
		}
	}
}

func TestCompileRefusesExternalReferences(t *testing.T) {
	if _, err := Compile("ftg_ref", []byte(`{"$ref":"https://example.com/schema.json"}`)); err == nil {
		t.Fatal("a schema that refers to a URL must not compile")
	}
}
