package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// credentialAttribute names the credential attribute that m uses.
func credentialAttribute(m *pspModel) string {
	if m.Credential.IsNull() {
		return "credential_wo"
	}
	return "credential"
}

// planned is what a create or an update works from: the plan, the configuration (the only
// place a write-only credential is), and the operations in the order they are sent, with
// their set elements, so that an API error about operations[i] can point at element i.
type planned struct {
	plan, config pspModel
	ops          []operationModel
	sent         []attr.Value
}

func readPlanned(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, diags *diag.Diagnostics) (*planned, bool) {
	var p planned
	diags.Append(getPSPModel(ctx, plan, &p.plan)...)
	diags.Append(getPSPModel(ctx, config, &p.config)...)
	if diags.HasError() {
		return nil, false
	}
	var opsDiags diag.Diagnostics
	p.ops, p.sent, opsDiags = p.plan.operations(ctx)
	diags.Append(opsDiags...)
	return &p, !opsDiags.HasError()
}

func (r *pspResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	p, ok := readPlanned(ctx, req.Plan, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	plan, config, ops, sent := &p.plan, &p.config, p.ops, p.sent
	credential := plan.Credential.ValueString()
	if plan.Credential.IsNull() {
		credential = config.CredentialWO.ValueString() // write-only: only the configuration has it
	}
	if retired := r.data.memory.takeRetired(plan.FlowTargetID.ValueString(), plan.Name.ValueString()); retired != nil {
		r.takeBack(ctx, p, retired, credential, resp)
		return
	}

	request := connxt.CreatePSPRequest{
		Name:         plan.Name.ValueString(),
		Description:  plan.Description.ValueStringPointer(),
		Status:       plan.Status.ValueString(),
		Logo:         plan.Logo.ValueString(),
		Credential:   credential,
		FlowTargetID: plan.FlowTargetID.ValueString(),
		Operations:   expandOperations(ops),
	}
	created, adopted, err := r.data.client.CreatePSP(ctx, request)
	if err != nil {
		if created != nil {
			// The PSP exists although something about it is wrong: keep track of it.
			resp.Diagnostics.Append(r.saveState(ctx, &resp.State, resp.Identity, plan, created)...)
		}
		r.addWriteError(ctx, &resp.Diagnostics, "Unable to create the PSP", err, plan, sent, request.Operations)
		return
	}
	r.data.memory.hold(created.ID)
	if adopted {
		resp.Diagnostics.AddWarning("PSP adopted after a lost answer",
			fmt.Sprintf("The answer to the create of %q was lost after the request was sent. A PSP of this name and flow "+
				"target then existed (%s) that was not there before this apply's first create and has exactly the settings "+
				"sent, so, as adopt_lost_creates = true allows, it is now managed by this resource; no second PSP was created. "+
				"Connxt cannot prove which request made it: if another configuration creates a PSP of this name in this "+
				"environment, check that its state does not hold %s too.",
				plan.Name.ValueString(), created.ID, created.ID))
	}
	tflog.Info(ctx, "Created a PSP", map[string]any{"connxt_psp_id": created.ID, "connxt_adopted": adopted})

	// The create takes description and status, but a server that ignores them shows it in
	// its answer; only then does a second call set them.
	if unapplied := unappliedByCreate(plan, created); unapplied != "" {
		update := plan.updateRequest(ops, plan.Status.ValueString(), nil)
		updated, err := r.data.client.UpdatePSP(ctx, created.ID, update)
		if err != nil {
			// The PSP exists: keep it in state (Terraform marks it tainted) rather than lose it.
			resp.Diagnostics.Append(r.saveState(ctx, &resp.State, resp.Identity, plan, created)...)
			r.addWriteError(ctx, &resp.Diagnostics, "The PSP was created, but setting its "+unapplied+" failed", err, plan, sent, update.Operations)
			resp.Diagnostics.AddAttributeError(path.Root("status"), "PSP created but not as planned",
				fmt.Sprintf("PSP %s exists in Connxt and is %s%s, because the create did not apply its %s and the update that "+
					"sets it failed (see the other error). It is in state, marked tainted, so the next apply would replace it: "+
					"delete it and create it again. To update it in place instead, run terraform untaint <address>, where "+
					"<address> is this resource's address shown with this error, and apply again.",
					created.ID, created.Status, describeDescription(created.Description), unapplied))
			return
		}
		created = updated
	}
	r.saveCheckedState(ctx, &resp.State, resp.Identity, plan, ops, created, true, &resp.Diagnostics)
}

// takeBack makes a PSP that this process disabled instead of deleting (the server cannot
// delete PSPs) the PSP of this create, as the replacement of a resource with an unchanged
// name and target needs: a POST would meet 409, and the PSP would stay disabled and
// untracked.
func (r *pspResource) takeBack(ctx context.Context, p *planned, retired *connxt.PSP, credential string, resp *resource.CreateResponse) {
	plan := &p.plan
	update := plan.updateRequest(p.ops, plan.Status.ValueString(), &credential)
	updated, err := r.data.client.UpdatePSP(ctx, retired.ID, update)
	if err != nil {
		r.data.memory.giveBackRetired(retired)
		// Keep the disabled PSP in state (tainted) rather than leave it untracked.
		resp.Diagnostics.Append(r.saveState(ctx, &resp.State, resp.Identity, plan, retired)...)
		r.addWriteError(ctx, &resp.Diagnostics, fmt.Sprintf("Unable to take back PSP %s, which this apply disabled instead of deleting", retired.ID),
			err, plan, p.sent, update.Operations)
		return
	}
	r.data.memory.hold(updated.ID)
	resp.Diagnostics.AddWarning("PSP taken back instead of created",
		fmt.Sprintf("This Connxt server cannot delete PSPs, so this apply disabled PSP %s (%q) instead of deleting it. "+
			"Names are unique per flow target, so the replacement could not be created beside it: PSP %s was updated to "+
			"this configuration (credential included) and re-enabled as planned, and is managed by this resource again. "+
			"Its id and created_at are the old PSP's.", retired.ID, retired.Name, retired.ID))
	r.saveCheckedState(ctx, &resp.State, resp.Identity, plan, p.ops, updated, true, &resp.Diagnostics)
}

// unappliedByCreate names what of the plan the create's answer shows unapplied: the
// description or the status; "" when the answer has both as planned.
func unappliedByCreate(plan *pspModel, created *connxt.PSP) string {
	var missing []string
	if optionalString(created.Description).ValueString() != plan.Description.ValueString() {
		missing = append(missing, "description")
	}
	if created.Status != plan.Status.ValueString() {
		missing = append(missing, "status")
	}
	return strings.Join(missing, " and ")
}

func describeDescription(d *string) string {
	if d == nil || *d == "" {
		return " without a description"
	}
	return fmt.Sprintf(" with description %q", *d)
}

func (r *pspResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pspModel
	resp.Diagnostics.Append(getPSPModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.data.memory.hold(state.ID.ValueString())
	if !r.checkExpectedEnvironment(&state, &resp.Diagnostics) {
		return
	}
	psp, err := r.data.client.GetPSP(ctx, state.ID.ValueString())
	if connxt.IsNotFound(err) {
		if r.explainVanished(ctx, &state, &resp.Diagnostics) == vanishedElsewhere {
			return // keep the state as it is: nothing may be planned from a wrong environment
		}
		tflog.Warn(ctx, "The PSP no longer exists in Connxt; removing it from state so that the next plan re-creates it",
			map[string]any{"connxt_psp_id": state.ID.ValueString()})
		// The framework wants an identity even for a removed resource; a Terraform before
		// 1.12 never stored one, so give the one the state implies.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &connxt.PSP{ID: state.ID.ValueString(), EnvironmentID: state.EnvironmentID.ValueString()})...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.data.addAPIError(ctx, &resp.Diagnostics, "Unable to read the PSP", err, nil)
		return
	}
	if !checkSameEnvironment(&state, psp, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(state.setFromAPI(psp)...)
	resp.Diagnostics.Append(setPSPModel(ctx, &resp.State, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, psp)...)
}

func (r *pspResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var state pspModel
	resp.Diagnostics.Append(getPSPModel(ctx, req.State, &state)...)
	p, ok := readPlanned(ctx, req.Plan, req.Config, &resp.Diagnostics)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	update := p.plan.updateRequest(p.ops, p.plan.Status.ValueString(), credentialToSend(&p.plan, &state, &p.config))
	updated, err := r.data.client.UpdatePSP(ctx, state.ID.ValueString(), update)
	if connxt.IsNotFound(err) {
		var diags diag.Diagnostics
		if r.explainVanished(ctx, &state, &diags) == vanishedElsewhere {
			resp.Diagnostics.Append(diags...)
			return
		}
	}
	if err != nil {
		r.addWriteError(ctx, &resp.Diagnostics, "Unable to update the PSP", err, &p.plan, p.sent, update.Operations)
		return
	}
	if !checkSameEnvironment(&state, updated, &resp.Diagnostics) {
		return
	}
	r.saveCheckedState(ctx, &resp.State, resp.Identity, &p.plan, p.ops, updated, false, &resp.Diagnostics)
}

// credentialToSend decides whether an update sends the credential: when `credential`
// changed (as a JSON document), when the write-only version changed, or when the
// configuration switched from one form to the other. nil keeps the stored credential.
func credentialToSend(plan, state, config *pspModel) *string {
	if !plan.Credential.IsNull() {
		if state.Credential.IsNull() || !jsonEqual(plan.Credential.ValueString(), state.Credential.ValueString()) {
			return plan.Credential.ValueStringPointer()
		}
		return nil
	}
	if config.CredentialWO.IsNull() {
		return nil
	}
	if !state.Credential.IsNull() || !plan.CredentialWOVersion.Equal(state.CredentialWOVersion) {
		return config.CredentialWO.ValueStringPointer()
	}
	return nil
}

func (r *pspResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pspModel
	resp.Diagnostics.Append(getPSPModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	r.data.memory.hold(id)
	if !r.checkExpectedEnvironment(&state, &resp.Diagnostics) {
		return // destroy -refresh=false reaches here without a plan-time check
	}
	err := r.data.client.DeletePSP(ctx, id)
	switch {
	case err == nil:
		return
	case connxt.IsNotFound(err):
		r.deleteVanished(ctx, &state, resp)
	case connxt.IsMethodNotAllowed(err):
		r.disableInsteadOfDelete(ctx, resp, &state)
	default:
		r.data.addAPIError(ctx, &resp.Diagnostics, "Unable to delete the PSP", err, nil)
	}
}

// deleteVanished handles a DELETE answered "not found": the PSP is gone only if the token
// belongs to the state's environment; otherwise the PSP stays in state.
func (r *pspResource) deleteVanished(ctx context.Context, state *pspModel, resp *resource.DeleteResponse) {
	var diags diag.Diagnostics
	switch r.explainVanished(ctx, state, &diags) {
	case vanishedGone:
		return
	case vanishedElsewhere:
		resp.Diagnostics.Append(diags...)
		return
	}
	resp.Diagnostics.AddError("PSP not found, and the token's environment is unknown",
		fmt.Sprintf("Deleting PSP %s (%q) of environment %s: Connxt answered \"not found\", and the environment of the "+
			"secret token (from %s) could not be learnt, so the provider cannot tell a PSP deleted outside Terraform from "+
			"a token of another environment. The PSP stays in this state. If it was deleted outside Terraform, remove it "+
			"with terraform state rm <address>; otherwise use the token of environment %s.",
			state.ID.ValueString(), state.Name.ValueString(), state.EnvironmentID.ValueString(), r.data.tokenSource,
			state.EnvironmentID.ValueString()))
}

// disableInsteadOfDelete handles a server without PSP deletion (HTTP 405): the PSP is
// disabled so that it takes no more transactions, and the user is told that it remains.
func (r *pspResource) disableInsteadOfDelete(ctx context.Context, resp *resource.DeleteResponse, state *pspModel) {
	ops, _, diags := state.operations(ctx)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	id := state.ID.ValueString()
	disabled, err := r.data.client.UpdatePSP(ctx, id, state.updateRequest(ops, connxt.StatusDisabled, nil))
	if connxt.IsNotFound(err) {
		// The 405 said nothing about the PSP: whether it is gone is decided as for a 404.
		r.deleteVanished(ctx, state, resp)
		return
	}
	if err != nil {
		r.data.addAPIError(ctx, &resp.Diagnostics, "Connxt cannot delete PSPs, and disabling the PSP instead failed", err, nil)
		return
	}
	if !checkSameEnvironment(state, disabled, &resp.Diagnostics) {
		return
	}
	// A replacement of this resource, with the same name and target, takes it back.
	r.data.memory.retire(disabled)
	resp.Diagnostics.AddWarning("PSP disabled, not deleted",
		fmt.Sprintf("This Connxt server does not support deleting PSPs (HTTP 405), so PSP %s (%q) was disabled instead and "+
			"removed from Terraform state. It still exists in Connxt; to manage it again, import it: "+
			"terraform import <address> %s", id, state.Name.ValueString(), id))
}

// addWriteError explains a failed create or update, pointing field errors at the attribute
// or operation block concerned.
func (r *pspResource) addWriteError(ctx context.Context, diags *diag.Diagnostics, summary string, err error, plan *pspModel, sent []attr.Value, sentOps []connxt.PSPOperation) {
	var unverified *connxt.UnverifiedCreateError
	switch {
	case errors.As(err, &unverified) && unverified.ID != "":
		diags.AddAttributeError(path.Root("name"), "PSP may have been created by this apply",
			fmt.Sprintf("Creating %q: %s.\n\nIf no other configuration manages %s, make it this resource's: "+
				"terraform import <address> %s (or an import block with id = %q), where <address> is the address of this "+
				"resource, shown with this error. To let the provider adopt such a PSP itself, set adopt_lost_creates = true "+
				"in the provider block; read its documentation first.",
				plan.Name.ValueString(), unverified, unverified.ID, unverified.ID, unverified.ID))
	case errors.As(err, &unverified):
		diags.AddAttributeError(path.Root("name"), "PSP may have been created by this apply",
			fmt.Sprintf("PSP %q may have been created but could not be verified: %s.\n\nIf the next apply says that it "+
				"already exists, run terraform import <address> <id> with the id that error names, where <address> is the "+
				"address of this resource, shown with this error.", plan.Name.ValueString(), unverified))
	case connxt.IsConflict(err):
		detail := fmt.Sprintf("A PSP named %q already exists for flow target %s in this environment. "+
			"Choose another name, or bring the existing PSP under Terraform with an import", plan.Name.ValueString(), plan.FlowTargetID.ValueString())
		existingID := ""
		var taken *connxt.NameTakenError
		if errors.As(err, &taken) {
			existingID = taken.ID // found by the create's own look-up
		} else if existing, findErr := r.data.client.FindPSP(ctx, plan.Name.ValueString(), plan.FlowTargetID.ValueString()); findErr == nil && existing != nil {
			existingID = existing.ID
		}
		if existingID != "" && r.data.memory.holds(existingID) {
			// The name is held by the PSP that this resource replaces: create_before_destroy.
			diags.AddAttributeError(path.Root("name"), summary,
				fmt.Sprintf("A PSP named %q already exists for flow target %s: %s, which this configuration manages and is "+
					"replacing. Names are unique per flow target, so the new PSP cannot be created while the old one exists, "+
					"which is what create_before_destroy asks for. Either change the name (for example add a version suffix), "+
					"or remove create_before_destroy from this resource so that the old PSP is removed first. Nothing was "+
					"created, and %s is unchanged.", plan.Name.ValueString(), plan.FlowTargetID.ValueString(), existingID, existingID))
			return
		}
		if existingID != "" {
			detail += fmt.Sprintf(": terraform import <address> %s (or an import block with id = %q). If another resource "+
				"of this configuration already manages %s, give one of the two another name instead. If this resource is "+
				"replacing %s with create_before_destroy, the new PSP cannot take the old one's name while it exists: "+
				"change the name, or remove create_before_destroy.", existingID, existingID, existingID, existingID)
		} else {
			detail += "."
		}
		diags.AddAttributeError(path.Root("name"), summary, detail)
	case connxt.IsUnknownFlowTarget(err):
		diags.AddAttributeError(path.Root("flow_target_id"), summary,
			fmt.Sprintf("Connxt does not know the flow target %s (HTTP 404). Take target ids from the connxt_flow_type_definitions data source.",
				plan.FlowTargetID.ValueString()))
	default:
		r.data.addAPIError(ctx, diags, summary, err, pspFieldMapper(sent, sentOps, credentialAttribute(plan)))
	}
}

// saveState stores what Connxt answered, with the credential attributes from the plan, and
// the resource's identity where Terraform keeps one (1.12 and later).
func (r *pspResource) saveState(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, plan *pspModel, psp *connxt.PSP) diag.Diagnostics {
	out := *plan
	diags := out.setFromAPI(psp)
	if diags.HasError() {
		return diags
	}
	diags.Append(setPSPModel(ctx, state, &out)...)
	diags.Append(setIdentity(ctx, identity, psp)...)
	return diags
}
