package provider

// This file holds the plan modifier that keeps a reformatted JSON document from planning a
// change, and the JSON comparison it shares with credentialToSend.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// keepEquivalentJSON plans the prior value when the configured JSON document is equal to it
// once parsed, so that re-formatting a document (key order, spacing) plans no change.
// Terraform accepts a planned value equal to a non-null prior value as "functionally
// equivalent" to the configuration.
func keepEquivalentJSON() planmodifier.String { return keepEquivalentJSONModifier{} }

type keepEquivalentJSONModifier struct{}

func (keepEquivalentJSONModifier) Description(context.Context) string {
	return "a JSON document equal to the prior one, however formatted, is not a change"
}

func (m keepEquivalentJSONModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalentJSONModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if req.PlanValue.Equal(req.StateValue) {
		return
	}
	if jsonEqual(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// jsonEqual reports whether a and b are the same JSON document. Numbers are compared by
// value at high precision (1.0 equals 1), not as float64, which would make a change to a
// long numeric id invisible.
func jsonEqual(a, b string) bool {
	da, okA := decodeJSON(a)
	db, okB := decodeJSON(b)
	return okA && okB && jsonValuesEqual(da, db)
}

func decodeJSON(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) { // anything after the document
		return nil, false
	}
	return v, true
}

func jsonValuesEqual(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, va := range a {
			vb, ok := b[k]
			if !ok || !jsonValuesEqual(va, vb) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !jsonValuesEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	case json.Number:
		b, ok := b.(json.Number)
		return ok && numbersEqual(a, b)
	default: // string, bool, nil
		return a == b
	}
}

// numbersEqual compares two JSON numbers with 512 bits of mantissa: exact up to about
// 150 significant digits, far beyond any id or amount a credential holds.
func numbersEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	fa, _, errA := big.ParseFloat(string(a), 10, 512, big.ToNearestEven)
	fb, _, errB := big.ParseFloat(string(b), 10, 512, big.ToNearestEven)
	return errA == nil && errB == nil && fa.Cmp(fb) == 0
}
