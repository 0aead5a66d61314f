package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

var _ function.Function = (*operationsFunction)(nil)

// NewOperationsFunction returns provider::connxt::operations.
func NewOperationsFunction() function.Function { return &operationsFunction{} }

// operationsFunction turns a catalog target into the operation objects of a connxt_psp, so
// that a dynamic "operation" block needs no hand-written filter on action.definition. It is
// pure: it reads only its arguments, never Connxt.
type operationsFunction struct{}

// Argument positions, for errors that point at the argument at fault.
const (
	opsArgTarget  = 0
	opsArgStatus  = 1
	opsArgActions = 2 // the first of the variadic action names
)

// The target parameter takes only what the function reads. Terraform converts an object
// with more attributes (a whole targets["Paymaxis"] of the data source) to this type by
// dropping the others, so both the data source's value and a hand-written object fit.
var (
	opsDefinitionType = types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType}}
	opsActionType     = types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "definition": opsDefinitionType}}
	opsTargetTypes    = map[string]attr.Type{"name": types.StringType, "actions": types.MapType{ElemType: opsActionType}}
	opsResultType     = types.ObjectType{AttrTypes: map[string]attr.Type{
		"flow_action_id": types.StringType, "flow_definition_id": types.StringType, "status": types.StringType,
	}}
)

type opsTarget struct {
	Name    types.String         `tfsdk:"name"`
	Actions map[string]opsAction `tfsdk:"actions"`
}

type opsAction struct {
	ID         types.String   `tfsdk:"id"`
	Definition *opsDefinition `tfsdk:"definition"`
}

type opsDefinition struct {
	ID types.String `tfsdk:"id"`
}

type opsOperation struct {
	FlowActionID     string `tfsdk:"flow_action_id"`
	FlowDefinitionID string `tfsdk:"flow_definition_id"`
	Status           string `tfsdk:"status"`
}

func (f *operationsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "operations"
}

func (f *operationsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The operation objects of a flow target's actions, for a dynamic operation block",
		MarkdownDescription: "Turns a flow target of `connxt_flow_type_definitions` into the `operation` objects of a " +
			"`connxt_psp`: one `{flow_action_id, flow_definition_id, status}` per action, sorted by action name so that " +
			"plans are stable. With no action names it returns every action that has a definition on the target (the " +
			"others cannot be enabled on a PSP and are left out); with names it returns exactly those, and fails when the " +
			"target lacks one or it has no definition there, naming the valid ones. Use it as the `for_each` of a " +
			"`dynamic \"operation\"` block, and `concat()` two calls to give some actions another status. It reads only " +
			"its arguments, never Connxt, so it works before the provider is configured. Call it as " +
			"`provider::connxt::operations(...)` (Terraform 1.8 or later; the provider must be in `required_providers`).",
		Parameters: []function.Parameter{
			function.ObjectParameter{
				Name:           "target",
				AttributeTypes: opsTargetTypes,
				MarkdownDescription: "A flow target, normally `data.connxt_flow_type_definitions.<name>.targets[\"<target>\"]`. " +
					"Only its `name` and its `actions` (each with `id` and `definition`, itself null or with an `id`) are read.",
			},
			function.StringParameter{
				Name: "status",
				MarkdownDescription: "Status of every returned operation: `" + connxt.StatusEnabled + "` or `" +
					connxt.StatusDisabled + "`.",
			},
		},
		VariadicParameter: function.StringParameter{
			Name: "actions",
			MarkdownDescription: "Names of the actions to return, such as `\"DEPOSIT\"`; none means every action with a " +
				"definition. Each must be an action of the target that has a definition, and may be given once. A list " +
				"can be passed with `...`, as in `operations(t, \"ENABLED\", var.actions...)`.",
		},
		Return: function.ListReturn{ElementType: opsResultType},
	}
}

func (f *operationsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var target opsTarget
	var status string
	var names []string
	resp.Error = req.Arguments.Get(ctx, &target, &status, &names)
	if resp.Error != nil {
		return
	}
	ops, err := operationsOf(target, status, names)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = resp.Result.Set(ctx, ops)
}

// operationsOf does the work of Run on decoded arguments.
func operationsOf(target opsTarget, status string, names []string) ([]opsOperation, *function.FuncError) {
	if status != connxt.StatusEnabled && status != connxt.StatusDisabled {
		return nil, function.NewArgumentFuncError(opsArgStatus, fmt.Sprintf("status %q is neither %q nor %q.",
			status, connxt.StatusEnabled, connxt.StatusDisabled))
	}
	targetWords := "the target"
	if !target.Name.IsNull() && target.Name.ValueString() != "" {
		targetWords = "target " + target.Name.ValueString()
	}

	var all, defined []string
	for name, a := range target.Actions {
		all = append(all, name)
		if a.Definition != nil {
			defined = append(defined, name)
		}
	}
	sort.Strings(all)
	sort.Strings(defined)

	chosen := defined
	if len(names) > 0 {
		seen := make(map[string]bool, len(names))
		for i, name := range names {
			arg := int64(opsArgActions + i)
			a, ok := target.Actions[name]
			switch {
			case seen[name]:
				return nil, function.NewArgumentFuncError(arg, fmt.Sprintf("action %q is named twice; a PSP has one operation per action.", name))
			case !ok:
				return nil, function.NewArgumentFuncError(arg, fmt.Sprintf("%s has no action %q. Its actions: %s.", targetWords, name, nameList(all)))
			case a.Definition == nil:
				return nil, function.NewArgumentFuncError(arg, fmt.Sprintf("action %q has no definition on %s, so it cannot be an "+
					"operation of its PSPs. Actions with a definition: %s.", name, targetWords, nameList(defined)))
			}
			seen[name] = true
		}
		chosen = append([]string(nil), names...)
		sort.Strings(chosen)
	}

	out := make([]opsOperation, 0, len(chosen))
	for _, name := range chosen {
		a := target.Actions[name]
		// A hand-written target may leave ids out; say so here rather than let the PSP
		// report a missing argument with no hint of where it came from.
		if a.ID.ValueString() == "" || a.Definition.ID.ValueString() == "" {
			return nil, function.NewArgumentFuncError(opsArgTarget, fmt.Sprintf("action %q of %s lacks its id or its definition's id.", name, targetWords))
		}
		out = append(out, opsOperation{FlowActionID: a.ID.ValueString(), FlowDefinitionID: a.Definition.ID.ValueString(), Status: status})
	}
	return out, nil
}

// nameList joins sorted action names for an error message.
func nameList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
