package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

var (
	_ list.ListResource              = (*pspListResource)(nil)
	_ list.ListResourceWithConfigure = (*pspListResource)(nil)
)

// NewPSPListResource returns the connxt_psp list resource, which `terraform query`
// (Terraform 1.14+) uses to find the PSPs of an environment and write import blocks and
// configuration for them.
func NewPSPListResource() list.ListResource { return &pspListResource{} }

type pspListResource struct {
	data *providerData
}

// pspListConfig is the `config` block of a `list "connxt_psp"` block: the same filters as
// the connxt_psps data source.
type pspListConfig struct {
	FlowTargetID types.String `tfsdk:"flow_target_id"`
	Status       types.String `tfsdk:"status"`
	NamePrefix   types.String `tfsdk:"name_prefix"`
}

func (r *pspListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_psp"
}

func (r *pspListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the PSPs of the token's Connxt environment for `terraform query` (Terraform 1.14 or " +
			"later), optionally filtered, each with its identity and, with `include_resource = true`, its full object. " +
			"`terraform query -generate-config-out=FILE` then writes an import block and a `connxt_psp` configuration for " +
			"each. Connxt never returns a credential, so the generated configuration has none: add `credential_wo` (and " +
			"`credential_wo_version`) or `credential` to each before applying; the first apply then sends the credential " +
			"in one update.",
		Attributes: map[string]listschema.Attribute{
			"flow_target_id": listschema.StringAttribute{
				MarkdownDescription: "Only PSPs of this payment gateway (`ftg_…`).",
				Optional:            true,
				Validators:          []validator.String{validators.ID(validators.FlowTargetID)},
			},
			"status": listschema.StringAttribute{
				MarkdownDescription: "Only PSPs of this status: `ENABLED` or `DISABLED`.",
				Optional:            true,
				Validators:          []validator.String{validators.OneOf(statusValues...)},
			},
			"name_prefix": listschema.StringAttribute{
				MarkdownDescription: "Only PSPs whose name starts with this text (case-sensitive).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *pspListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *pspListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config pspListConfig
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.data == nil {
		var diags diag.Diagnostics
		diags.AddError("Provider not configured", "The connxt provider has no configuration yet, so PSPs cannot be listed.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	filter := pspsModel{FlowTargetID: config.FlowTargetID, Status: config.Status, NamePrefix: config.NamePrefix}
	all, err := r.data.client.ListPSPs(ctx)
	if err != nil {
		var diags diag.Diagnostics
		if connxt.IsListingUnavailable(err) {
			diags.AddError("This Connxt server cannot list PSPs",
				fmt.Sprintf("terraform query needs the list of the environment's PSPs, but this Connxt server has no endpoint "+
					"that lists PSPs (%s). Import PSPs by id instead.", err))
		} else {
			r.data.addAPIError(ctx, &diags, "Unable to list the PSPs", err, nil)
		}
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	matching := slices.DeleteFunc(all, func(p connxt.PSP) bool { return !filter.matches(&p) })
	slices.SortFunc(matching, func(a, b connxt.PSP) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	if req.Limit > 0 && int64(len(matching)) > req.Limit {
		matching = matching[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range matching {
			if !push(r.result(ctx, req, &matching[i])) {
				return
			}
		}
	}
}

// result is one PSP as a list result: its identity, a display name, and the full object
// when asked for (credential attributes null: Connxt never returns a credential).
func (r *pspListResource) result(ctx context.Context, req list.ListRequest, psp *connxt.PSP) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s, %s)", psp.Name, psp.ID, psp.Status)
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, psp)...)
	if req.IncludeResource {
		var m pspModel
		m.Credential, m.CredentialWO, m.CredentialWOVersion = types.StringNull(), types.StringNull(), types.Int64Null()
		result.Diagnostics.Append(m.setFromAPI(psp)...)
		if !result.Diagnostics.HasError() {
			result.Diagnostics.Append(setPSPModel(ctx, result.Resource, &m)...)
		}
	}
	return result
}
