package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TestSensitiveExampleVariablesAreEphemeral: a variable that is only sensitive is still
// written into saved plan files, so an example that marks a secret sensitive without
// ephemeral teaches readers to leak it, while the docs say the key never lands in a plan.
func TestSensitiveExampleVariablesAreEphemeral(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	checked := 0
	err := filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(file, ".tf") {
			return nil
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		parsed, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
		if diags.HasErrors() {
			t.Errorf("%s: %s", file, diags.Error())
			return nil
		}
		for _, block := range parsed.Body.(*hclsyntax.Body).Blocks {
			if block.Type != "variable" || len(block.Labels) != 1 {
				continue
			}
			if !isTrue(t, block, "sensitive") {
				continue
			}
			checked++
			if !isTrue(t, block, "ephemeral") {
				t.Errorf("%s: variable %q is sensitive but not ephemeral = true, so its value is saved in plan files", file, block.Labels[0])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no sensitive variable found under examples/; the walk is looking in the wrong place")
	}
}

func isTrue(t *testing.T, block *hclsyntax.Block, name string) bool {
	t.Helper()
	attr, ok := block.Body.Attributes[name]
	if !ok {
		return false
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.Bool || v.IsNull() {
		t.Errorf("variable %q: %s is not a literal bool", block.Labels[0], name)
		return false
	}
	return v.True()
}
