package main

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	connxtprovider "github.com/fynxt/terraform-provider-connxt/internal/provider"
)

// TestBareHasTheShapeOfConnxtPSP holds noop_bare to connxt_psp's schema shape: the same
// attribute and block names and types, and the same required, optional, computed,
// sensitive and write-only flags. The harness runs it before every benchmark.
func TestBareHasTheShapeOfConnxtPSP(t *testing.T) {
	ctx := t.Context()
	schemaOf := func(r resource.Resource) schema.Schema {
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("schema: %v", resp.Diagnostics)
		}
		return resp.Schema
	}
	want, got := schemaOf(connxtprovider.NewPSPResource()), schemaOf(&barePSP{})
	if !got.Type().Equal(want.Type()) {
		t.Fatalf("noop_bare's type\n  %s\nis not connxt_psp's\n  %s", got.Type(), want.Type())
	}
	compareAttributes(t, "", want.Attributes, got.Attributes)
	if len(got.Blocks) != len(want.Blocks) {
		t.Fatalf("noop_bare has %d blocks, connxt_psp %d", len(got.Blocks), len(want.Blocks))
	}
	for name, wb := range want.Blocks {
		gb, ok := got.Blocks[name]
		if !ok {
			t.Fatalf("noop_bare has no block %s", name)
		}
		if gb.GetNestingMode() != wb.GetNestingMode() {
			t.Errorf("block %s: nesting mode %v, connxt_psp's is %v", name, gb.GetNestingMode(), wb.GetNestingMode())
		}
		compareAttributes(t, name+".", wb.GetNestedObject().GetAttributes(), gb.GetNestedObject().GetAttributes())
		if len(gb.GetNestedObject().GetBlocks())+len(wb.GetNestedObject().GetBlocks()) > 0 {
			t.Errorf("block %s: nested blocks are not compared; extend the test", name)
		}
	}
}

type flagged interface {
	IsRequired() bool
	IsOptional() bool
	IsComputed() bool
	IsSensitive() bool
	IsWriteOnly() bool
}

func compareAttributes[A flagged](t *testing.T, prefix string, want, got map[string]A) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%snoop_bare has %d attributes, connxt_psp %d", prefix, len(got), len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("noop_bare has no attribute %s%s", prefix, name)
			continue
		}
		for _, f := range []struct {
			flag      string
			got, want bool
		}{
			{"required", g.IsRequired(), w.IsRequired()},
			{"optional", g.IsOptional(), w.IsOptional()},
			{"computed", g.IsComputed(), w.IsComputed()},
			{"sensitive", g.IsSensitive(), w.IsSensitive()},
			{"write-only", g.IsWriteOnly(), w.IsWriteOnly()},
		} {
			if f.got != f.want {
				t.Errorf("%s%s: %s is %v in noop_bare, %v in connxt_psp", prefix, name, f.flag, f.got, f.want)
			}
		}
	}
}
