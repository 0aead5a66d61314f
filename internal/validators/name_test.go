package validators_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

func TestNameAccepts(t *testing.T) {
	for _, s := range []string{
		"Sticpay USD",
		"Café Zürich — Ünïcode",
		"بوابة الدفع",   // right-to-left script needs no bidi control
		"支付网关",          // no spaces at all
		"👩\u200D💻 desk", // a joiner inside an emoji sequence is part of a visible name
		"a\u200Bb",      // an invisible character among visible ones is allowed
		strings.Repeat("é", 255),
	} {
		if diags := validate(validators.Name(255), path.Root("name"), types.StringValue(s)); diags.HasError() {
			t.Errorf("refused %q: %v", s, diags)
		}
	}
}

func TestNameRefusesControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		s, code, at string
	}{
		{"a\tb", "U+0009", "character 2"},
		{"ab\n", "U+000A", "character 3"},
		{"\x00", "U+0000", "character 1"},
		{"é\x7f", "U+007F", "character 2"},
		{"aa\u0085", "U+0085", "character 3"},
	} {
		expectOne(t, validate(validators.Name(255), path.Root("name"), types.StringValue(tc.s)),
			"Invalid characters", "control character "+tc.code, tc.at, "The value of name")
	}
}

func TestNameRefusesEveryBidiControl(t *testing.T) {
	bidi := []rune{0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
	for _, r := range bidi {
		s := "pay" + string(r) + "maxis"
		expectOne(t, validate(validators.Name(255), path.Root("name"), types.StringValue(s)),
			"Invalid characters", fmt.Sprintf("bidirectional control character U+%04X", r), "character 4")
	}
}

func TestNameRefusesInvisibleOnly(t *testing.T) {
	for _, tc := range []struct{ s, first string }{
		{"\u200B", "U+200B"},
		{"\u200C\u200D", "U+200C"},
		{"\u2060 \u2060", "U+2060"},
		{"\uFEFF", "U+FEFF"},
		{"\u3164\u3164", "U+3164"}, // Hangul filler: a letter by category, blank on screen
		{"\uFE0F", "U+FE0F"},       // a variation selector with nothing to select
		{"\u00A0\u00AD", "U+00A0"},
	} {
		expectOne(t, validate(validators.Name(255), path.Root("name"), types.StringValue(tc.s)),
			"Invisible value", "made only of invisible characters", "the first is "+tc.first)
	}
	// Only spaces is NotBlank's to report, not a second error.
	if diags := validate(validators.Name(255), path.Root("name"), types.StringValue("   ")); diags.HasError() {
		t.Errorf("Name reported a blank value: %v", diags)
	}
}

func TestNameLength(t *testing.T) {
	v := validators.Name(connxt.MaxPSPNameChars)
	expectOne(t, validate(v, path.Root("name"), types.StringValue(strings.Repeat("é", connxt.MaxPSPNameChars+1))),
		"Value too long", "name is 256 characters long", "name accepts at most 255 characters")
}

func TestNameRefusesInvalidUTF8(t *testing.T) {
	expectOne(t, validate(validators.Name(255), path.Root("name"), types.StringValue("a\xffb")), "Invalid characters", "not valid UTF-8")
}
