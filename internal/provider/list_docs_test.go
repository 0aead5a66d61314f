package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

// Terraform 1.11 does not show list resources to tfplugindocs either: the connxt_psp list
// resource's page is written in templates/list-resources/psp.md.tmpl, and these tests keep
// it, its rendered page and its example in step with the schema.

const (
	pspListTemplate = "../../templates/list-resources/psp.md.tmpl"
	pspListPage     = "../../docs/list-resources/psp.md"
	pspListExample  = "../../examples/list-resources/connxt_psp/query.tfquery.hcl"
)

func TestPSPListPageDocumentsTheSchema(t *testing.T) {
	var resp list.ListResourceSchemaResponse
	NewPSPListResource().ListResourceConfigSchema(t.Context(), list.ListResourceSchemaRequest{}, &resp)
	want := schemaSection(resp.Schema.Attributes)
	for _, file := range []string{pspListTemplate, pspListPage} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s does not hold the schema's argument list; replace its \"## Schema\" section with:\n\n%s", file, want)
		}
		if !strings.Contains(string(raw), resp.Schema.MarkdownDescription) {
			t.Errorf("%s does not hold the list resource's description:\n\n%s", file, resp.Schema.MarkdownDescription)
		}
	}
}

// TestPSPListExampleMatchesTheSchema: the example's config block uses only the schema's
// attributes.
func TestPSPListExampleMatchesTheSchema(t *testing.T) {
	var resp list.ListResourceSchemaResponse
	NewPSPListResource().ListResourceConfigSchema(t.Context(), list.ListResourceSchemaRequest{}, &resp)
	src, err := os.ReadFile(pspListExample)
	if err != nil {
		t.Fatal(err)
	}
	parsed, diags := hclsyntax.ParseConfig(src, pspListExample, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	found := 0
	for _, block := range parsed.Body.(*hclsyntax.Body).Blocks {
		if block.Type != "list" || len(block.Labels) != 2 || block.Labels[0] != "connxt_psp" {
			continue
		}
		for _, inner := range block.Body.Blocks {
			if inner.Type != "config" {
				continue
			}
			found++
			for name := range inner.Body.Attributes {
				if _, ok := resp.Schema.Attributes[name]; !ok {
					t.Errorf("the example's config sets %q, which the list resource does not have", name)
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("the example has no list \"connxt_psp\" block with a config block")
	}
}
