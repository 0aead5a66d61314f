package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

var (
	_ datasource.DataSource                     = (*pspDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*pspDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*pspDataSource)(nil)
)

// NewPSPDataSource returns the connxt_psp data source.
func NewPSPDataSource() datasource.DataSource { return &pspDataSource{} }

type pspDataSource struct {
	data *providerData
}

// pspDataModel is one PSP as both PSP data sources show it: the resource's attributes
// without the credential, which Connxt never returns.
type pspDataModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
	Logo          types.String `tfsdk:"logo"`
	FlowTargetID  types.String `tfsdk:"flow_target_id"`
	Status        types.String `tfsdk:"status"`
	Operations    types.Set    `tfsdk:"operations"`
	BrandID       types.String `tfsdk:"brand_id"`
	EnvironmentID types.String `tfsdk:"environment_id"`
	CreatedAt     types.String `tfsdk:"created_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
}

// pspDataFromAPI maps a PSP as the resource does (setFromAPI), so that a data source and a
// resource of the same PSP hold the same values.
func pspDataFromAPI(p *connxt.PSP) (pspDataModel, diag.Diagnostics) {
	ops, diags := operationsFromAPI(p.Operations)
	return pspDataModel{
		ID:            types.StringValue(p.ID),
		Name:          types.StringValue(p.Name),
		Description:   optionalString(p.Description),
		Logo:          optionalString(p.Logo),
		FlowTargetID:  types.StringValue(p.FlowTargetID),
		Status:        types.StringValue(p.Status),
		Operations:    ops,
		BrandID:       types.StringValue(p.BrandID),
		EnvironmentID: types.StringValue(p.EnvironmentID),
		CreatedAt:     types.StringValue(p.CreatedAt),
		UpdatedAt:     types.StringValue(p.UpdatedAt),
	}, diags
}

// pspDataAttributes are the computed attributes of one PSP. The look-up keys of
// connxt_psp (id, name, flow_target_id) are left out when lookup is set: that data source
// declares them itself, as arguments.
func pspDataAttributes(lookup bool) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"description": schema.StringAttribute{MarkdownDescription: "Free-text description, or null when there is none.", Computed: true},
		"logo":        schema.StringAttribute{MarkdownDescription: "Logo as a URL or base64 data, or null when there is none.", Computed: true},
		"status":      schema.StringAttribute{MarkdownDescription: "`ENABLED` or `DISABLED`.", Computed: true},
		"operations": schema.SetNestedAttribute{
			MarkdownDescription: "The actions configured on the PSP, as the `operation` blocks of a `connxt_psp` resource hold them.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"flow_action_id":     schema.StringAttribute{MarkdownDescription: "Id (`fat_…`) of the action.", Computed: true},
				"flow_definition_id": schema.StringAttribute{MarkdownDescription: "Id (`fld_…`) of the action's definition on the PSP's target.", Computed: true},
				"status":             schema.StringAttribute{MarkdownDescription: "`ENABLED` or `DISABLED`.", Computed: true},
			}},
		},
		"brand_id":       schema.StringAttribute{MarkdownDescription: "Brand (`brn_…`) the PSP belongs to.", Computed: true},
		"environment_id": schema.StringAttribute{MarkdownDescription: "Environment (`env_…`) the PSP belongs to: always the token's.", Computed: true},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the PSP was created, as Connxt reports it (local date-time without zone).",
			Computed:            true,
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When the PSP was last changed, as Connxt reports it (local date-time without zone).",
			Computed:            true,
		},
	}
	if !lookup {
		attrs["id"] = schema.StringAttribute{MarkdownDescription: "PSP id (`psp_…`).", Computed: true}
		attrs["name"] = schema.StringAttribute{MarkdownDescription: "Name of the PSP.", Computed: true}
		attrs["flow_target_id"] = schema.StringAttribute{MarkdownDescription: "Id (`ftg_…`) of the PSP's payment gateway.", Computed: true}
	}
	return attrs
}

func (d *pspDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_psp"
}

func (d *pspDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := pspDataAttributes(true)
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Id (`psp_…`) of the PSP to read. Exactly one of `id` and `name` is required. A PSP of " +
			"another environment than the token's is not found: a token sees only its own environment.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{validators.ID(validators.PSPID)},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "Name of the PSP to read, together with `flow_target_id` (names are unique per flow target). " +
			"Looking up by name lists the environment's PSPs, which needs a Connxt server with a PSP list endpoint.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("flow_target_id"))},
	}
	attrs["flow_target_id"] = schema.StringAttribute{
		MarkdownDescription: "Id (`ftg_…`) of the payment gateway of the PSP to read, together with `name`, for example " +
			"`data.connxt_flow_type_definitions.psp.targets[\"Paymaxis\"].id`.",
		Optional: true,
		Computed: true,
		Validators: []validator.String{
			validators.ID(validators.FlowTargetID),
			stringvalidator.AlsoRequires(path.MatchRoot("name")),
		},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One PSP of the token's Connxt environment, found by `id`, or by `name` and `flow_target_id`. " +
			"It reads PSPs that another configuration (or no configuration) manages, for example to reference a PSP " +
			"of another workspace. A PSP that does not exist is an error. The credential is never shown: Connxt " +
			"never returns it. To list PSPs, use `connxt_psps`. See the [existing PSPs guide](../guides/existing-psps.md).",
		Attributes: attrs,
	}
}

func (d *pspDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *pspDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *pspDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config pspDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var psp *connxt.PSP
	if !config.ID.IsNull() {
		psp = d.byID(ctx, config.ID.ValueString(), &resp.Diagnostics)
	} else {
		psp = d.byName(ctx, config.Name.ValueString(), config.FlowTargetID.ValueString(), &resp.Diagnostics)
	}
	if psp == nil {
		return
	}
	state, diags := pspDataFromAPI(psp)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// byID reads the PSP id; nil with an error diagnostic when it cannot.
func (d *pspDataSource) byID(ctx context.Context, id string, diags *diag.Diagnostics) *connxt.PSP {
	psp, err := d.data.client.GetPSP(ctx, id)
	switch {
	case connxt.IsNotFound(err):
		diags.AddAttributeError(path.Root("id"), "PSP not found",
			fmt.Sprintf("No PSP with id %q is visible to the secret token (from %s). Either it does not exist (or was "+
				"deleted), or it belongs to another environment: a token sees only its own environment, and Connxt "+
				"answers for another environment's PSP as if it did not exist.", id, d.data.tokenSource))
		return nil
	case err != nil:
		d.data.addAPIError(ctx, diags, "Unable to read the PSP", err, nil)
		return nil
	}
	return psp
}

// byName finds the PSP of this name and target; nil with an error diagnostic when it cannot.
func (d *pspDataSource) byName(ctx context.Context, name, flowTargetID string, diags *diag.Diagnostics) *connxt.PSP {
	psp, err := d.data.client.FindPSP(ctx, name, flowTargetID)
	switch {
	case connxt.IsListingUnavailable(err):
		diags.AddAttributeError(path.Root("name"), "PSPs cannot be looked up by name on this server",
			fmt.Sprintf("Finding a PSP by name needs the list of the environment's PSPs, but this Connxt server has no "+
				"endpoint that lists PSPs (%s). Look the PSP up by id instead.", err))
		return nil
	case err != nil:
		d.data.addAPIError(ctx, diags, "Unable to list the PSPs", err, nil)
		return nil
	case psp == nil:
		diags.AddAttributeError(path.Root("name"), "PSP not found",
			fmt.Sprintf("The environment of the secret token (from %s) has no PSP named %q on flow target %s. Names are "+
				"matched exactly (case and spaces included), and a token sees only its own environment's PSPs.",
				d.data.tokenSource, name, flowTargetID))
		return nil
	}
	return psp
}
