package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// InOperationBlock runs inner on an attribute of an operation block and says in each of
// its errors which block (by its flow_action_id) and which attribute it is about. Operation
// blocks form a set, and Terraform cannot show the source line of a set element: without
// this, an error only points at the resource.
func InOperationBlock(inner validator.String) validator.String {
	return inOperationBlock{inner: inner}
}

type inOperationBlock struct{ inner validator.String }

func (v inOperationBlock) Description(ctx context.Context) string { return v.inner.Description(ctx) }

func (v inOperationBlock) MarkdownDescription(ctx context.Context) string {
	return v.inner.MarkdownDescription(ctx)
}

func (v inOperationBlock) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	var found validator.StringResponse
	v.inner.ValidateString(ctx, req, &found)
	if !found.Diagnostics.HasError() {
		resp.Diagnostics.Append(found.Diagnostics...)
		return
	}
	var actionID types.String
	known := ""
	if diags := req.Config.GetAttribute(ctx, req.Path.ParentPath().AtName("flow_action_id"), &actionID); !diags.HasError() &&
		!actionID.IsNull() && !actionID.IsUnknown() {
		known = actionID.ValueString()
	}
	where := OperationBlockWords(known, attributeName(req.Path))
	for _, d := range found.Diagnostics {
		if d.Severity() != diag.SeverityError {
			resp.Diagnostics.Append(d)
			continue
		}
		resp.Diagnostics.AddAttributeError(req.Path, d.Summary(), fmt.Sprintf("In %s: %s", where, d.Detail()))
	}
}

// OperationBlockWords names an attribute of an operation block as written in HCL, for a
// message: `the operation block with flow_action_id = "fat_…", attribute status`. actionID
// "" stands for a block whose action is not known; attribute "" for the block as a whole.
func OperationBlockWords(actionID, attribute string) string {
	words := "an operation block"
	if actionID != "" {
		words = fmt.Sprintf("the operation block with flow_action_id = %q", actionID)
	}
	if attribute != "" {
		words += ", attribute " + attribute
	}
	return words
}

// attributeName is the name of the attribute p ends in, "" when it ends in something else.
func attributeName(p path.Path) string {
	last, _ := p.Steps().LastStep()
	if name, ok := last.(path.PathStepAttributeName); ok {
		return string(name)
	}
	return ""
}
