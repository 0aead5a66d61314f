package validators

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Name checks a display name: at most maxChars characters, no control characters, no
// bidirectional controls (which make a name read differently from what it holds, as in
// "Trojan Source"), and at least one visible character. A blank name is left to NotBlank.
func Name(maxChars int) validator.String { return nameValidator{maxChars: maxChars} }

type nameValidator struct{ maxChars int }

func (v nameValidator) Description(context.Context) string {
	return fmt.Sprintf("must be at most %d characters, with at least one visible character and no control "+
		"or bidirectional control characters", v.maxChars)
}

func (v nameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v nameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := NameProblem(req.Path.String(), req.ConfigValue.ValueString(), v.maxChars); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}

// NameProblem says what is wrong with the name s of attribute, as a diagnostic summary and
// detail; both are "" when nothing is. Characters are counted from 1.
func NameProblem(attribute, s string, maxChars int) (summary, detail string) {
	if !utf8.ValidString(s) {
		return "Invalid characters", fmt.Sprintf("The value of %s is not valid UTF-8.", attribute)
	}
	visible := false
	n := 0
	for _, r := range s {
		n++
		switch {
		case unicode.Is(unicode.Cc, r):
			return "Invalid characters", fmt.Sprintf("The value of %s contains the control character U+%04X at character %d; "+
				"names are one line of printable text.", attribute, r, n)
		case unicode.Is(unicode.Bidi_Control, r):
			return "Invalid characters", fmt.Sprintf("The value of %s contains the bidirectional control character U+%04X at "+
				"character %d, which makes the name display differently from what it holds.", attribute, r, n)
		case !invisible(r):
			visible = true
		}
	}
	if n > maxChars {
		return "Value too long", fmt.Sprintf("The value of %s is %d characters long; %s accepts at most %d characters.",
			attribute, n, attribute, maxChars)
	}
	if !visible && strings.TrimSpace(s) != "" {
		return "Invisible value", fmt.Sprintf("The value of %s is made only of invisible characters (the first is U+%04X); "+
			"give it at least one visible character.", attribute, []rune(s)[0])
	}
	return "", ""
}

// invisible reports whether r shows nothing on its own: spaces, format characters such as
// zero-width spaces and joiners, word joiners and byte-order marks, variation selectors, and
// the fillers Unicode declares ignorable (U+115F, U+3164 and their kind).
func invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Zs, unicode.Cf, unicode.Variation_Selector,
		unicode.Other_Default_Ignorable_Code_Point)
}
