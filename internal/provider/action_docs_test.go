package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/attr"
)

// Terraform 1.11 does not show actions in `terraform providers schema -json`, so
// tfplugindocs cannot generate the action's page from its schema there. The page is
// written in templates/actions/transaction.md.tmpl instead, and these tests keep it and
// the example from drifting away from the schema. (Terraform 1.14 renders the same
// template, which uses no schema field, to the same page.)

const (
	transactionTemplate = "../../templates/actions/transaction.md.tmpl"
	transactionPage     = "../../docs/actions/transaction.md"
	transactionExamples = "../../examples/actions/connxt_transaction"
)

func transactionActionSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp action.SchemaResponse
	NewTransactionAction().Schema(t.Context(), action.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

// documentedAttribute is what the docs say of an attribute, for action and list schemas alike.
type documentedAttribute interface {
	GetType() attr.Type
	GetMarkdownDescription() string
	IsRequired() bool
}

// schemaSection is the argument list as tfplugindocs writes it for a schema.
func schemaSection[A documentedAttribute](attrs map[string]A) string {
	var required, optional []string
	for name, a := range attrs {
		kind := map[string]string{"basetypes.StringType": "String", "basetypes.NumberType": "Number",
			"basetypes.BoolType": "Boolean"}[fmt.Sprintf("%T", a.GetType())]
		line := fmt.Sprintf("- `%s` (%s) %s", name, kind, a.GetMarkdownDescription())
		if a.IsRequired() {
			required = append(required, line)
		} else {
			optional = append(optional, line)
		}
	}
	sort.Strings(required)
	sort.Strings(optional)
	out := "## Schema\n\n"
	if len(required) > 0 {
		out += "### Required\n\n" + strings.Join(required, "\n") + "\n\n"
	}
	return out + "### Optional\n\n" + strings.Join(optional, "\n") + "\n"
}

// TestTransactionActionPageDocumentsTheSchema: the page lists every argument with the
// schema's own description, and the rendered docs/ page is what the template says.
func TestTransactionActionPageDocumentsTheSchema(t *testing.T) {
	s := transactionActionSchema(t)
	want := schemaSection(s.Attributes)
	for _, file := range []string{transactionTemplate, transactionPage} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s does not hold the schema's argument list; replace its \"## Schema\" section with:\n\n%s", file, want)
		}
		if !strings.Contains(string(raw), s.MarkdownDescription) {
			t.Errorf("%s does not hold the action's description:\n\n%s", file, s.MarkdownDescription)
		}
	}
}

// TestActionExamplesMatchTheSchema: the examples under examples/actions need Terraform
// 1.14, so scripts/check-examples.sh does not validate them with the 1.11 CLI; this test
// parses them instead and checks every connxt_transaction block against the schema.
func TestActionExamplesMatchTheSchema(t *testing.T) {
	s := transactionActionSchema(t)
	files, err := filepath.Glob(filepath.Join(transactionExamples, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example in %s (%v)", transactionExamples, err)
	}
	actions, triggered := 0, map[string]bool{}
	declared := map[string]bool{}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		parsed, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", file, diags.Error())
		}
		for _, block := range parsed.Body.(*hclsyntax.Body).Blocks {
			switch {
			case block.Type == "action" && len(block.Labels) == 2 && block.Labels[0] == transactionActionType:
				actions++
				declared["action."+transactionActionType+"."+block.Labels[1]] = true
				checkActionBlock(t, file, block, s)
			case block.Type == "resource":
				for _, ref := range actionTriggers(block) {
					triggered[ref] = true
				}
			}
		}
	}
	if actions == 0 {
		t.Fatalf("no action %q block in %s", transactionActionType, transactionExamples)
	}
	if len(triggered) == 0 {
		t.Errorf("no resource in %s triggers the action from its lifecycle", transactionExamples)
	}
	for ref := range triggered {
		if strings.HasPrefix(ref, "action."+transactionActionType+".") && !declared[ref] {
			t.Errorf("an action_trigger names %s, which no action block declares", ref)
		}
	}
}

func checkActionBlock(t *testing.T, file string, block *hclsyntax.Block, s schema.Schema) {
	t.Helper()
	var config *hclsyntax.Block
	for _, inner := range block.Body.Blocks {
		if inner.Type == "config" {
			config = inner
		} else {
			t.Errorf("%s: action %q has a %q block; an action has only config", file, block.Labels[1], inner.Type)
		}
	}
	if config == nil {
		t.Errorf("%s: action %q has no config block", file, block.Labels[1])
		return
	}
	if len(config.Body.Blocks) > 0 {
		t.Errorf("%s: the config of %q has nested blocks; the action has only attributes", file, block.Labels[1])
	}
	for name := range config.Body.Attributes {
		if _, ok := s.Attributes[name]; !ok {
			t.Errorf("%s: the config of %q sets %q, which the action's schema does not have", file, block.Labels[1], name)
		}
	}
	for name, a := range s.Attributes {
		if _, set := config.Body.Attributes[name]; a.IsRequired() && !set {
			t.Errorf("%s: the config of %q lacks the required %q", file, block.Labels[1], name)
		}
	}
}

// actionTriggers lists the actions that a resource's lifecycle action_trigger blocks name.
func actionTriggers(resource *hclsyntax.Block) []string {
	var refs []string
	for _, lc := range resource.Body.Blocks {
		if lc.Type != "lifecycle" {
			continue
		}
		for _, trig := range lc.Body.Blocks {
			if trig.Type != "action_trigger" {
				continue
			}
			if attr, ok := trig.Body.Attributes["actions"]; ok {
				for _, tr := range attr.Expr.Variables() {
					var parts []string
					parts = append(parts, tr.RootName())
					for _, step := range tr[1:] {
						if a, ok := step.(hcl.TraverseAttr); ok {
							parts = append(parts, a.Name)
						}
					}
					refs = append(refs, strings.Join(parts, "."))
				}
			}
		}
	}
	return refs
}
