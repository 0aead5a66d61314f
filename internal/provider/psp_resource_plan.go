package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ resource.ResourceWithModifyPlan = (*pspResource)(nil)

// ModifyPlan keeps updated_at known when nothing else changes. The framework marks
// computed attributes unknown as soon as the configuration differs from state, even when a
// plan modifier then finds the difference insignificant (an equal but re-formatted
// credential); without this, such a plan would show an update of updated_at alone.
func (r *pspResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // create or destroy
	}
	var plan, state pspModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !plan.UpdatedAt.IsUnknown() {
		return
	}
	plan.UpdatedAt = state.UpdatedAt
	if plan.equal(&state) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), state.UpdatedAt)...)
	}
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
