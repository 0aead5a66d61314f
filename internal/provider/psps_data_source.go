package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

var (
	_ datasource.DataSource              = (*pspsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*pspsDataSource)(nil)
)

// NewPSPsDataSource returns the connxt_psps data source.
func NewPSPsDataSource() datasource.DataSource { return &pspsDataSource{} }

type pspsDataSource struct {
	data *providerData
}

type pspsModel struct {
	FlowTargetID types.String   `tfsdk:"flow_target_id"`
	Status       types.String   `tfsdk:"status"`
	NamePrefix   types.String   `tfsdk:"name_prefix"`
	PSPs         []pspDataModel `tfsdk:"psps"`
	IDs          []types.String `tfsdk:"ids"`
}

func (d *pspsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_psps"
}

func (d *pspsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The PSPs of the token's Connxt environment, whoever manages them, optionally filtered. No " +
			"match is an empty list, not an error. Useful to find PSPs that no configuration manages (with a `check` " +
			"block) and to adopt them with `import` blocks. It needs a Connxt server with a PSP list endpoint; on one " +
			"without, it fails and says so. Credentials are never shown: Connxt never returns them. See the [existing PSPs guide](../guides/existing-psps.md).",
		Attributes: map[string]schema.Attribute{
			"flow_target_id": schema.StringAttribute{
				MarkdownDescription: "Only PSPs of this payment gateway (`ftg_…`).",
				Optional:            true,
				Validators:          []validator.String{validators.ID(validators.FlowTargetID)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Only PSPs of this status: `ENABLED` or `DISABLED`.",
				Optional:            true,
				Validators:          []validator.String{validators.OneOf(statusValues...)},
			},
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only PSPs whose name starts with this text (case-sensitive).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"psps": schema.ListNestedAttribute{
				MarkdownDescription: "The matching PSPs, sorted by name and then by id, so that the order (and a plan " +
					"that depends on it) changes only when the PSPs do.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: pspDataAttributes(false)},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The ids of `psps`, in the same order: convenient for `for_each = toset(…)` and set comparisons.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
	}
}

func (d *pspsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *pspsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config pspsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.data.client.ListPSPs(ctx)
	if connxt.IsListingUnavailable(err) {
		resp.Diagnostics.AddError("This Connxt server cannot list PSPs",
			fmt.Sprintf("connxt_psps needs the list of the environment's PSPs, but this Connxt server has no endpoint "+
				"that lists PSPs (%s). Read single PSPs with the connxt_psp data source by id instead.", err))
		return
	}
	if err != nil {
		d.data.addAPIError(ctx, &resp.Diagnostics, "Unable to list the PSPs", err, nil)
		return
	}

	matching := slices.DeleteFunc(all, func(p connxt.PSP) bool { return !config.matches(&p) })
	slices.SortFunc(matching, func(a, b connxt.PSP) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	// Empty rather than nil lists: no match is a known, empty result, never null.
	config.PSPs = make([]pspDataModel, 0, len(matching))
	config.IDs = make([]types.String, 0, len(matching))
	for i := range matching {
		m, diags := pspDataFromAPI(&matching[i])
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		config.PSPs = append(config.PSPs, m)
		config.IDs = append(config.IDs, m.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// matches reports whether p passes every filter that is set.
func (m *pspsModel) matches(p *connxt.PSP) bool {
	return (m.FlowTargetID.IsNull() || p.FlowTargetID == m.FlowTargetID.ValueString()) &&
		(m.Status.IsNull() || p.Status == m.Status.ValueString()) &&
		(m.NamePrefix.IsNull() || strings.HasPrefix(p.Name, m.NamePrefix.ValueString()))
}
