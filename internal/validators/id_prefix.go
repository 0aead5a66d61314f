package validators

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Connxt object kinds and the shape of their ids (contract §1).
var (
	FlowTargetID     = newIDKind("ftg_", "flow target", true)
	FlowActionID     = newIDKind("fat_", "flow action", true)
	FlowDefinitionID = newIDKind("fld_", "flow definition", true)
	PSPID            = newIDKind("psp_", "PSP", false)
)

// IDKind is one kind of Connxt id: flow objects end in 26 lowercase Crockford base32
// characters, platform objects in 26 letters or digits.
type IDKind struct {
	Prefix    string
	Noun      string
	crockford bool
	re        *regexp.Regexp
}

func newIDKind(prefix, noun string, crockford bool) IDKind {
	tail := `[0-9A-Za-z]{26}`
	if crockford {
		tail = `[0-9a-hjkmnp-tv-z]{26}`
	}
	return IDKind{Prefix: prefix, Noun: noun, crockford: crockford,
		re: regexp.MustCompile("^" + regexp.QuoteMeta(prefix) + tail + "$")}
}

// Valid reports whether id is well formed for this kind.
func (k IDKind) Valid(id string) bool { return k.re.MatchString(id) }

// Explain says what a valid id of this kind looks like.
func (k IDKind) Explain() string {
	if k.crockford {
		return fmt.Sprintf("a %s id is %q followed by 26 lowercase letters and digits (Crockford base32)", k.Noun, k.Prefix)
	}
	return fmt.Sprintf("a %s id is %q followed by 26 letters and digits", k.Noun, k.Prefix)
}

// ID validates that a string attribute holds an id of kind k.
func ID(k IDKind) validator.String { return idValidator{kind: k} }

type idValidator struct{ kind IDKind }

func (v idValidator) Description(context.Context) string { return "must be " + v.kind.Explain() }

func (v idValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v idValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if got := req.ConfigValue.ValueString(); !v.kind.Valid(got) {
		resp.Diagnostics.AddAttributeError(req.Path, fmt.Sprintf("Invalid %s id", v.kind.Noun),
			fmt.Sprintf("%q is not a valid %s id: %s.", got, v.kind.Noun, v.kind.Explain()))
	}
}
