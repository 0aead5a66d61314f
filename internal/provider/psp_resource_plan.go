package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

var _ resource.ResourceWithModifyPlan = (*pspResource)(nil)

// ModifyPlan checks the plan against the catalog, so that a wrong target, action,
// definition or credential fails at plan time rather than half-way through an apply, and
// keeps updated_at known when nothing really changes.
func (r *pspResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config pspModel
	resp.Diagnostics.Append(getPSPModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getPSPModel(ctx, req.Config, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	isCreate := req.State.Raw.IsNull()
	if !isCreate {
		var state pspModel
		resp.Diagnostics.Append(getPSPModel(ctx, req.State, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if r.data != nil {
			r.data.memory.hold(state.ID.ValueString())
			if !r.checkExpectedEnvironment(&state, &resp.Diagnostics) {
				return
			}
		}
		r.keepUpdatedAt(ctx, &plan, &state, resp)
	}
	if r.data != nil {
		r.checkAgainstCatalog(ctx, &plan, &config, isCreate, &resp.Diagnostics)
		if isCreate {
			r.checkNameFree(ctx, &plan, &resp.Diagnostics)
		}
	}
}

// checkNameFree reports at plan time a create whose name and target a PSP that this state
// does not hold already has, which would otherwise fail half-way through the apply with
// 409. It costs one listing per provider process, shared with creates, and only plans
// with creates pay it. The PSPs this run has seen in state are not reported (the create
// half of a replacement is planned after its resource was read or planned). A PSP with
// exactly this resource's settings may still be its own, where Terraform plans a
// replacement without showing the provider the old object (a tainted resource planned
// with -refresh=false, the apply's own plan): that is a warning, anything else an error.
func (r *pspResource) checkNameFree(ctx context.Context, plan *pspModel, diags *diag.Diagnostics) {
	if plan.Name.IsUnknown() || plan.FlowTargetID.IsUnknown() || plan.Operations.IsUnknown() {
		return
	}
	existing, err := r.data.client.ExistingPSP(ctx, plan.Name.ValueString(), plan.FlowTargetID.ValueString())
	if err != nil || existing == nil || r.data.memory.holds(existing.ID) {
		return // a failed listing is not a reason to stop a plan: Connxt checks names at apply
	}
	ops, _, opsDiags := plan.operations(ctx)
	if opsDiags.HasError() {
		return
	}
	id := existing.ID
	importHow := fmt.Sprintf("To manage the existing PSP with this resource, import it: terraform import <address> %s (or "+
		"an import block with id = %q), where <address> is this resource's address shown with this message; or give this "+
		"PSP another name. If another resource of this configuration manages %s under this name, give one of the two "+
		"another name.", id, id, id)
	cbd := fmt.Sprintf("If this resource is replacing %s with create_before_destroy, the new PSP cannot take the old one's "+
		"name while it exists: change the name (for example add a version suffix), or remove create_before_destroy so that "+
		"the old PSP is removed first.", id)
	if len(answerDiffs(plan, ops, existing)) == 0 {
		diags.AddAttributeWarning(path.Root("name"), "PSP name may be taken",
			fmt.Sprintf("A PSP named %q with exactly this resource's settings already exists for flow target %s (%s). If it is "+
				"the PSP this resource replaces (a tainted resource, or -replace), this is expected. %s Otherwise creating "+
				"this PSP will fail with 409. %s", plan.Name.ValueString(), plan.FlowTargetID.ValueString(), id, cbd, importHow))
		return
	}
	diags.AddAttributeError(path.Root("name"), "PSP name already taken",
		fmt.Sprintf("A PSP named %q already exists for flow target %s in this environment (%s), and this state does not "+
			"hold it as far as this run has seen, so creating this PSP would fail with 409 (names are unique per flow "+
			"target).\n\n%s\n\n%s\n\n(terraform destroy plans the configuration first and so stops here too; "+
			"terraform destroy -refresh=false skips that plan.)",
			plan.Name.ValueString(), plan.FlowTargetID.ValueString(), id, cbd, importHow))
}

// keepUpdatedAt: the framework marks computed attributes unknown as soon as the
// configuration differs from state, even when a plan modifier then finds the difference
// insignificant (an equal but re-formatted credential); without this, such a plan would
// show an update of updated_at alone.
func (r *pspResource) keepUpdatedAt(ctx context.Context, plan, state *pspModel, resp *resource.ModifyPlanResponse) {
	if !plan.UpdatedAt.IsUnknown() {
		return
	}
	unchanged := *plan
	unchanged.UpdatedAt = state.UpdatedAt
	if unchanged.equal(state) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), state.UpdatedAt)...)
	}
}

// checkAgainstCatalog validates what is known at plan time against the PSP catalog
// (fetched once per provider process). Unknown values are skipped, not failed.
func (r *pspResource) checkAgainstCatalog(ctx context.Context, plan, config *pspModel, isCreate bool, diags *diag.Diagnostics) {
	if plan.FlowTargetID.IsUnknown() || plan.FlowTargetID.IsNull() {
		return
	}
	cat, err := r.data.catalogs.Get(ctx, connxt.FlowTypePSP)
	if err != nil {
		if !isCreate && !connxt.IsUnauthorized(err) {
			// Checking an existing PSP is a courtesy: a catalog outage must not block
			// every plan of it (Connxt still checks the update itself).
			diags.AddWarning("PSP not checked against the catalog",
				fmt.Sprintf("The PSP catalog could not be read, so this plan was not checked against it: %s", err))
			return
		}
		r.data.addAPIError(ctx, diags, "Unable to read the PSP catalog to check the plan", err, nil)
		return
	}
	targetID := plan.FlowTargetID.ValueString()
	target := cat.targets[targetID]
	if target == nil {
		diags.AddAttributeError(path.Root("flow_target_id"), "Unknown flow target",
			fmt.Sprintf("%s is not a flow target of flow type %s. Known targets: %s.", targetID, connxt.FlowTypePSP, describeTargets(cat)))
		return
	}
	if isCreate && target.Status != connxt.StatusEnabled {
		diags.AddAttributeError(path.Root("flow_target_id"), "Disabled flow target",
			fmt.Sprintf("The flow target %s (%s) is %s in Connxt; new PSPs cannot use it.", target.Name, targetID, target.Status))
	}
	r.checkOperations(ctx, plan, target, diags)
	checkCredential(cat, target, plan, config, diags)
}

func (r *pspResource) checkOperations(ctx context.Context, plan *pspModel, target *connxt.FlowTarget, diags *diag.Diagnostics) {
	if plan.Operations.IsUnknown() || plan.Operations.IsNull() {
		return
	}
	ops, elems, d := plan.operations(ctx)
	if d.HasError() {
		return // the element values themselves are unknown; Terraform checks again at apply
	}
	for i, op := range ops {
		if op.FlowActionID.IsUnknown() {
			continue
		}
		at := path.Root("operation").AtSetValue(elems[i])
		actionID := op.FlowActionID.ValueString()
		action := findAction(target, actionID)
		switch {
		case action == nil:
			diags.AddAttributeError(at.AtName("flow_action_id"), "Action not offered by the flow target",
				fmt.Sprintf("In %s: %s does not offer the action %s. It offers: %s.",
					validators.OperationBlockWords(actionID, "flow_action_id"), target.Name, actionID, describeActions(target)))
			continue
		case action.Definition == nil:
			diags.AddAttributeError(at.AtName("flow_action_id"), "Action cannot be enabled on this flow target",
				fmt.Sprintf("In %s: the catalog has no definition of %s (%s) for %s, so it cannot be an operation of this PSP. Actions with a definition: %s.",
					validators.OperationBlockWords(actionID, "flow_action_id"), action.Name, actionID, target.Name, describeActions(target)))
			continue
		}
		if op.FlowDefinitionID.IsUnknown() {
			continue
		}
		if got := op.FlowDefinitionID.ValueString(); got != action.Definition.ID {
			diags.AddAttributeError(at.AtName("flow_definition_id"), "Wrong flow definition for the action",
				fmt.Sprintf("In %s: the definition of %s on %s is %s, not %s.",
					validators.OperationBlockWords(actionID, "flow_definition_id"), action.Name, target.Name, action.Definition.ID, got))
		}
	}
}

// checkCredential validates the credential that would be sent (either form) against the
// target's credentialSchema, naming keys and never values.
func checkCredential(cat *catalog, target *connxt.FlowTarget, plan, config *pspModel, diags *diag.Diagnostics) {
	attribute, value := "credential", plan.Credential
	if value.IsNull() {
		attribute, value = "credential_wo", config.CredentialWO
	}
	if value.IsNull() || value.IsUnknown() {
		return
	}
	schema, err := cat.credentialSchema(target)
	if err != nil {
		diags.AddAttributeWarning(path.Root(attribute), "Credential not checked",
			fmt.Sprintf("The credentialSchema of %s could not be compiled (%s), so the credential is checked by Connxt at apply time only.", target.Name, err))
		return
	}
	if problems := schema.Check(value.ValueString()); len(problems) > 0 {
		diags.AddAttributeError(path.Root(attribute), "Credential does not match the flow target's schema",
			fmt.Sprintf("The credential for %s: %s. The value itself is not shown because it is secret; "+
				"the schema is the credential_schema of the target in the connxt_flow_type_definitions data source.",
				target.Name, strings.Join(problems, "; ")))
	}
}

func findAction(target *connxt.FlowTarget, id string) *connxt.FlowAction {
	for i := range target.Actions {
		if target.Actions[i].ID == id {
			return &target.Actions[i]
		}
	}
	return nil
}

func describeActions(target *connxt.FlowTarget) string {
	var parts []string
	for _, a := range target.Actions {
		if a.Definition != nil {
			parts = append(parts, fmt.Sprintf("%s (%s, definition %s)", a.Name, a.ID, a.Definition.ID))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func describeTargets(cat *catalog) string {
	var parts []string
	for _, t := range cat.defs.Targets {
		parts = append(parts, fmt.Sprintf("%s (%s)", t.Name, t.ID))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// equal compares every attribute of two models.
func (m *pspModel) equal(o *pspModel) bool {
	return m.ID.Equal(o.ID) && m.Name.Equal(o.Name) && m.Description.Equal(o.Description) &&
		m.Logo.Equal(o.Logo) && m.FlowTargetID.Equal(o.FlowTargetID) && m.Status.Equal(o.Status) &&
		m.Credential.Equal(o.Credential) && m.CredentialWO.Equal(o.CredentialWO) &&
		m.CredentialWOVersion.Equal(o.CredentialWOVersion) && m.Operations.Equal(o.Operations) &&
		m.BrandID.Equal(o.BrandID) && m.EnvironmentID.Equal(o.EnvironmentID) &&
		m.CreatedAt.Equal(o.CreatedAt) && m.UpdatedAt.Equal(o.UpdatedAt)
}
