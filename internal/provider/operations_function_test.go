package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// paymaxisTarget is the default catalog's Paymaxis as the function's target parameter
// receives it: REFUND has no definition there.
func paymaxisTarget() types.Object {
	action := func(id, definition string) attr.Value {
		def := types.ObjectNull(opsDefinitionType.AttrTypes)
		if definition != "" {
			def = types.ObjectValueMust(opsDefinitionType.AttrTypes, map[string]attr.Value{"id": types.StringValue(definition)})
		}
		return types.ObjectValueMust(opsActionType.AttrTypes, map[string]attr.Value{"id": types.StringValue(id), "definition": def})
	}
	return types.ObjectValueMust(opsTargetTypes, map[string]attr.Value{
		"name": types.StringValue("Paymaxis"),
		"actions": types.MapValueMust(opsActionType, map[string]attr.Value{
			"WITHDRAW": action(withdrawID, paymaxisWithdrawD),
			"REFUND":   action(refundID, ""),
			"DEPOSIT":  action(depositID, paymaxisDepositID),
		}),
	})
}

// runOperations calls the function as the framework's server does: the variadic
// arguments arrive as one tuple.
func runOperations(t *testing.T, target types.Object, status string, actions ...string) function.RunResponse {
	t.Helper()
	elems := make([]attr.Value, len(actions))
	elemTypes := make([]attr.Type, len(actions))
	for i, a := range actions {
		elems[i], elemTypes[i] = types.StringValue(a), types.StringType
	}
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{
		target, types.StringValue(status), types.TupleValueMust(elemTypes, elems),
	})}
	resp := function.RunResponse{Result: function.NewResultData(types.ListUnknown(opsResultType))}
	NewOperationsFunction().Run(t.Context(), req, &resp)
	return resp
}

func opValue(action, definition, status string) attr.Value {
	return types.ObjectValueMust(opsResultType.AttrTypes, map[string]attr.Value{
		"flow_action_id": types.StringValue(action), "flow_definition_id": types.StringValue(definition), "status": types.StringValue(status),
	})
}

func TestOperationsFunction_results(t *testing.T) {
	for name, tc := range map[string]struct {
		status  string
		actions []string
		want    []attr.Value
	}{
		// REFUND has no definition, so it is left out; the rest come sorted by action name.
		"every action with a definition": {
			status: "ENABLED",
			want:   []attr.Value{opValue(depositID, paymaxisDepositID, "ENABLED"), opValue(withdrawID, paymaxisWithdrawD, "ENABLED")},
		},
		// Named actions come sorted by name too, whatever order they were given in.
		"named actions, disabled": {
			status:  "DISABLED",
			actions: []string{"WITHDRAW", "DEPOSIT"},
			want:    []attr.Value{opValue(depositID, paymaxisDepositID, "DISABLED"), opValue(withdrawID, paymaxisWithdrawD, "DISABLED")},
		},
		"one action": {
			status:  "ENABLED",
			actions: []string{"WITHDRAW"},
			want:    []attr.Value{opValue(withdrawID, paymaxisWithdrawD, "ENABLED")},
		},
	} {
		t.Run(name, func(t *testing.T) {
			resp := runOperations(t, paymaxisTarget(), tc.status, tc.actions...)
			if resp.Error != nil {
				t.Fatal(resp.Error)
			}
			want := function.NewResultData(types.ListValueMust(opsResultType, tc.want))
			if !resp.Result.Equal(want) {
				t.Errorf("got %s, want %s", resp.Result.Value(), want.Value())
			}
		})
	}
}

func TestOperationsFunction_errors(t *testing.T) {
	for name, tc := range map[string]struct {
		status   string
		actions  []string
		argument int64
		want     string
	}{
		"unknown action": {
			status: "ENABLED", actions: []string{"DEPOSIT", "PAYOUT"}, argument: 3,
			want: `target Paymaxis has no action "PAYOUT". Its actions: DEPOSIT, REFUND, WITHDRAW.`,
		},
		"action without a definition": {
			status: "ENABLED", actions: []string{"REFUND"}, argument: 2,
			want: `action "REFUND" has no definition on target Paymaxis, so it cannot be an operation of its PSPs. Actions with a definition: DEPOSIT, WITHDRAW.`,
		},
		"action named twice": {
			status: "ENABLED", actions: []string{"DEPOSIT", "DEPOSIT"}, argument: 3,
			want: `action "DEPOSIT" is named twice`,
		},
		"unknown status": {
			status: "enabled", argument: 1,
			want: `status "enabled" is neither "ENABLED" nor "DISABLED".`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			resp := runOperations(t, paymaxisTarget(), tc.status, tc.actions...)
			if resp.Error == nil {
				t.Fatal("no error")
			}
			if resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != tc.argument {
				t.Errorf("the error points at argument %v, want %d", resp.Error.FunctionArgument, tc.argument)
			}
			if !strings.Contains(resp.Error.Text, tc.want) {
				t.Errorf("error %q does not contain %q", resp.Error.Text, tc.want)
			}
		})
	}
}

// TestOperationsFunction_definition: the definition is valid for the framework and every
// parameter is documented.
func TestOperationsFunction_definition(t *testing.T) {
	var resp function.DefinitionResponse
	NewOperationsFunction().Definition(t.Context(), function.DefinitionRequest{}, &resp)
	d := resp.Definition
	var valid function.DefinitionValidateResponse
	d.ValidateImplementation(t.Context(), function.DefinitionValidateRequest{FuncName: "operations"}, &valid)
	if valid.Diagnostics.HasError() {
		t.Fatal(valid.Diagnostics)
	}
	if d.MarkdownDescription == "" || d.Summary == "" {
		t.Error("the function has no summary or description")
	}
	for _, p := range append(append([]function.Parameter(nil), d.Parameters...), d.VariadicParameter) {
		if p.GetMarkdownDescription() == "" {
			t.Errorf("parameter %q has no MarkdownDescription", p.GetName())
		}
	}
}

// operationsConfig is the data source and a Paymaxis PSP whose operations come from the
// function, with the function's answers as outputs.
func operationsConfig(e *testEmulator) string {
	return e.config(`
data "connxt_flow_type_definitions" "psp" {}

locals {
  paymaxis = data.connxt_flow_type_definitions.psp.targets["Paymaxis"]
}

resource "connxt_psp" "test" {
  name           = "paymaxis-eu"
  flow_target_id = local.paymaxis.id
  credential_wo  = jsonencode({ apiKey = "pmx-secret-0002" })

  dynamic "operation" {
    for_each = concat(
      provider::connxt::operations(local.paymaxis, "ENABLED", "DEPOSIT"),
      provider::connxt::operations(local.paymaxis, "DISABLED", "WITHDRAW"),
    )
    content {
      flow_action_id     = operation.value.flow_action_id
      flow_definition_id = operation.value.flow_definition_id
      status             = operation.value.status
    }
  }
}

output "all" {
  value = provider::connxt::operations(local.paymaxis, "ENABLED")
}

output "named" {
  value = provider::connxt::operations(local.paymaxis, "DISABLED", ["WITHDRAW", "DEPOSIT"]...)
}
`)
}

// TestAccOperationsFunction runs the function in Terraform on the data source's target:
// the outputs hold the expected objects, a PSP built from it has the operations asked for,
// and the plan after apply is empty.
func TestAccOperationsFunction(t *testing.T) {
	requireEmulator(t, "uses the emulator's example catalog by name")
	e := newTestEmulator(t, emulator.Options{})
	opCheck := func(action, definition, status string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"flow_action_id":     knownvalue.StringExact(action),
			"flow_definition_id": knownvalue.StringExact(definition),
			"status":             knownvalue.StringExact(status),
		})
	}
	e.parallelTest(t, []resource.TestStep{{
		Config: operationsConfig(e),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("all", knownvalue.ListExact([]knownvalue.Check{
				opCheck(depositID, paymaxisDepositID, "ENABLED"), opCheck(withdrawID, paymaxisWithdrawD, "ENABLED"),
			})),
			statecheck.ExpectKnownOutputValue("named", knownvalue.ListExact([]knownvalue.Check{
				opCheck(depositID, paymaxisDepositID, "DISABLED"), opCheck(withdrawID, paymaxisWithdrawD, "DISABLED"),
			})),
			statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("operation"), knownvalue.SetExact([]knownvalue.Check{
				opCheck(depositID, paymaxisDepositID, "ENABLED"), opCheck(withdrawID, paymaxisWithdrawD, "DISABLED"),
			})),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}})
}

// TestAccOperationsFunction_errors: Terraform shows the function's error, naming the action
// and the valid ones, before anything is planned.
func TestAccOperationsFunction_errors(t *testing.T) {
	requireEmulator(t, "uses the emulator's example catalog by name")
	e := newTestEmulator(t, emulator.Options{})
	// args follow the target in the call: what the steps vary.
	output := func(args string) string {
		return e.config(fmt.Sprintf(`
data "connxt_flow_type_definitions" "psp" {}

output "ops" {
  value = provider::connxt::operations(data.connxt_flow_type_definitions.psp.targets["Paymaxis"], %s)
}
`, args))
	}
	e.parallelTest(t, []resource.TestStep{
		{
			Config:      output(`"ENABLED", "PAYOUT"`),
			ExpectError: wrappedPattern(`target Paymaxis has no action "PAYOUT". Its actions: DEPOSIT, REFUND, WITHDRAW`),
		},
		{
			Config:      output(`"ENABLED", "REFUND"`),
			ExpectError: wrappedPattern(`(?s)action "REFUND" has no definition on target Paymaxis.*Actions with a definition: DEPOSIT, WITHDRAW`),
		},
		{
			Config:      output(`"On"`),
			ExpectError: regexp.MustCompile(`status "On" is neither`),
		},
	})
}

// TestOperationsFunction_handWrittenTarget: a target written by hand without a definition
// id fails in the function, naming the action, instead of in the PSP's schema.
func TestOperationsFunction_handWrittenTarget(t *testing.T) {
	target := types.ObjectValueMust(opsTargetTypes, map[string]attr.Value{
		"name": types.StringNull(),
		"actions": types.MapValueMust(opsActionType, map[string]attr.Value{
			"DEPOSIT": types.ObjectValueMust(opsActionType.AttrTypes, map[string]attr.Value{
				"id":         types.StringValue(depositID),
				"definition": types.ObjectValueMust(opsDefinitionType.AttrTypes, map[string]attr.Value{"id": types.StringNull()}),
			}),
		}),
	})
	resp := runOperations(t, target, "ENABLED")
	if resp.Error == nil || !strings.Contains(resp.Error.Text, `action "DEPOSIT" of the target lacks`) {
		t.Fatalf("got %v, want an error about DEPOSIT's ids", resp.Error)
	}
}
