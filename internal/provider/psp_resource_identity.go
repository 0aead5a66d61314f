package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

var _ resource.ResourceWithIdentity = (*pspResource)(nil)

// pspIdentity is the identity of a connxt_psp (Terraform 1.12 and later): the PSP id,
// which alone names one PSP, and its environment. The environment is part of it because
// a token sees only its own environment: an import block that names the environment is
// checked against the token before anything is read into state, and identities of PSPs of
// different environments (from `terraform query`, say) say where each PSP lives.
type pspIdentity struct {
	ID            types.String `tfsdk:"id"`
	EnvironmentID types.String `tfsdk:"environment_id"`
}

func (r *pspResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "PSP id (`psp_…`).",
				RequiredForImport: true,
			},
			"environment_id": identityschema.StringAttribute{
				Description: "Environment (`env_…`) of the PSP. Optional in an import block; when given, the import " +
					"refuses a PSP of another environment, or a token of another environment.",
				OptionalForImport: true,
			},
		},
	}
}

// setIdentity records psp's identity where Terraform keeps one (nil before 1.12).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, psp *connxt.PSP) diag.Diagnostics {
	if identity == nil || psp == nil {
		return nil
	}
	return identity.Set(ctx, pspIdentity{ID: types.StringValue(psp.ID), EnvironmentID: types.StringValue(psp.EnvironmentID)})
}

// importByIdentity starts an import from an import block's identity: the id, and the
// environment when given, which the read that follows then holds the PSP to (see
// explainVanished and checkSameEnvironment).
func (r *pspResource) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var identity pspIdentity
	resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := identity.ID.ValueString()
	if !validators.PSPID.Valid(id) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid PSP id in the import identity",
			fmt.Sprintf("%q is not a PSP id: %s.", id, validators.PSPID.Explain()))
		return
	}
	if env := identity.EnvironmentID.ValueString(); env != "" && !environmentIDPattern.MatchString(env) {
		resp.Diagnostics.AddAttributeError(path.Root("environment_id"), "Invalid environment id in the import identity",
			fmt.Sprintf("%q is not an environment id: env_ followed by letters and digits.", env))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if env := identity.EnvironmentID.ValueString(); env != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("environment_id"), env)...)
	}
}
