package validators

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Connxt object kinds, by the prefix of their ids (internal/connxt/CONTRACT.md §1).
var (
	FlowTargetID     = newIDKind("ftg_", "flow target")
	FlowActionID     = newIDKind("fat_", "flow action")
	FlowDefinitionID = newIDKind("fld_", "flow definition")
	PSPID            = newIDKind("psp_", "PSP")
)

// MaxIDTail is the longest part of an id after its prefix that the provider accepts.
const MaxIDTail = 64

// IDKind is one kind of Connxt id. Only the prefix and a plain character set are checked,
// not the exact form of today's ids (26 base32 characters): whether an id exists is the
// plan-time catalog check's job, and a change of id format at Connxt must never make the
// provider refuse the ids its own data source returns. The bound on length keeps a pasted
// document from passing for an id.
type IDKind struct {
	Prefix string
	Noun   string
	re     *regexp.Regexp
}

func newIDKind(prefix, noun string) IDKind {
	return IDKind{Prefix: prefix, Noun: noun,
		re: regexp.MustCompile(fmt.Sprintf(`^%s[0-9A-Za-z_-]{1,%d}$`, regexp.QuoteMeta(prefix), MaxIDTail))}
}

// Valid reports whether id is well formed for this kind.
func (k IDKind) Valid(id string) bool { return k.re.MatchString(id) }

// Explain says what a valid id of this kind looks like.
func (k IDKind) Explain() string {
	return fmt.Sprintf(`a %s id is %q followed by 1 to %d letters, digits, "_" or "-"`, k.Noun, k.Prefix, MaxIDTail)
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
