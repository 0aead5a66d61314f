package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// answerDiff is an attribute whose value in Connxt's answer differs from the plan.
type answerDiff struct {
	attribute, planned, answered string
}

// answerDiffs compares what a create or update answered with what was planned, for every
// attribute the configuration sets.
func answerDiffs(plan *pspModel, ops []operationModel, psp *connxt.PSP) []answerDiff {
	var diffs []answerDiff
	compare := func(attribute, planned, answered string) {
		if planned != answered {
			diffs = append(diffs, answerDiff{attribute, planned, answered})
		}
	}
	quoteOrNull := func(s string) string {
		if s == "" {
			return "null"
		}
		return fmt.Sprintf("%q", s)
	}
	compare("name", fmt.Sprintf("%q", plan.Name.ValueString()), fmt.Sprintf("%q", psp.Name))
	compare("description", quoteOrNull(plan.Description.ValueString()), quoteOrNull(optionalString(psp.Description).ValueString()))
	compare("logo", quoteOrNull(plan.Logo.ValueString()), quoteOrNull(optionalString(psp.Logo).ValueString()))
	compare("flow_target_id", fmt.Sprintf("%q", plan.FlowTargetID.ValueString()), fmt.Sprintf("%q", psp.FlowTargetID))
	compare("status", fmt.Sprintf("%q", plan.Status.ValueString()), fmt.Sprintf("%q", psp.Status))
	compare("operation", describeOperations(expandOperations(ops)), describeOperations(psp.Operations))
	return diffs
}

// describeOperations words a set of operations in a stable order.
func describeOperations(ops []connxt.PSPOperation) string {
	parts := make([]string, 0, len(ops))
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("{flow_action_id = %q, flow_definition_id = %q, status = %q}",
			op.FlowActionID, op.FlowDefinitionID, op.Status))
	}
	sort.Strings(parts)
	return "[" + strings.Join(parts, ", ") + "]"
}

// saveCheckedState stores what Connxt answered to a create or update. Where the answer
// differs from the plan (a server that normalises a value, adds an operation or renames a
// field), each attribute gets an error with both values, instead of Terraform's
// "Provider produced inconsistent result": the state holds Connxt's value, so the next
// plan shows the difference.
func (r *pspResource) saveCheckedState(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, plan *pspModel, ops []operationModel, psp *connxt.PSP, isCreate bool, diags *diag.Diagnostics) {
	diffs := answerDiffs(plan, ops, psp)
	diags.Append(r.saveState(ctx, state, identity, plan, psp)...)
	after := " The state holds Connxt's value, so the next plan shows the difference; write the value as Connxt stores it to end it."
	if isCreate {
		after += fmt.Sprintf(" PSP %s exists and is in state, marked tainted: to keep it rather than have the next apply replace "+
			"it, run terraform untaint <address>, where <address> is this resource's address shown with this error.", psp.ID)
	}
	for _, d := range diffs {
		diags.AddAttributeError(path.Root(d.attribute), "Connxt stored another value than planned",
			fmt.Sprintf("For %s the plan has %s, but Connxt answered %s.%s", d.attribute, d.planned, d.answered, after))
	}
}
