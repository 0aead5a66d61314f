package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

var (
	_ datasource.DataSource              = (*flowTypeDefinitionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*flowTypeDefinitionsDataSource)(nil)
)

// NewFlowTypeDefinitionsDataSource returns the connxt_flow_type_definitions data source.
func NewFlowTypeDefinitionsDataSource() datasource.DataSource {
	return &flowTypeDefinitionsDataSource{}
}

type flowTypeDefinitionsDataSource struct {
	data *providerData
}

// The catalog is exposed as maps keyed by name, so that a configuration reaches any id in
// one expression: targets["Paymaxis"].actions["DEPOSIT"].definition.id.
type flowTypeDefinitionsModel struct {
	Type    types.String               `tfsdk:"type"`
	Name    types.String               `tfsdk:"name"`
	Targets map[string]flowTargetModel `tfsdk:"targets"`
}

type flowTargetModel struct {
	ID               types.String               `tfsdk:"id"`
	Name             types.String               `tfsdk:"name"`
	Logo             types.String               `tfsdk:"logo"`
	Status           types.String               `tfsdk:"status"`
	CredentialSchema types.String               `tfsdk:"credential_schema"`
	InputSchema      types.String               `tfsdk:"input_schema"`
	Actions          map[string]flowActionModel `tfsdk:"actions"`
}

type flowActionModel struct {
	ID         types.String         `tfsdk:"id"`
	Name       types.String         `tfsdk:"name"`
	Definition *flowDefinitionModel `tfsdk:"definition"`
}

type flowDefinitionModel struct {
	ID          types.String `tfsdk:"id"`
	Description types.String `tfsdk:"description"`
	InputSchema types.String `tfsdk:"input_schema"`
}

func (d *flowTypeDefinitionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow_type_definitions"
}

func (d *flowTypeDefinitionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	jsonNote := " A JSON document as a string: use `jsondecode()` to read it."
	resp.Schema = schema.Schema{
		MarkdownDescription: "The catalog of a Connxt flow type: the payment gateways (flow targets) that PSPs can be " +
			"configured for, the actions each offers and the definition of each action on that target. Targets and " +
			"actions are maps keyed by name, so any id is one expression away, for example " +
			"`targets[\"Paymaxis\"].actions[\"DEPOSIT\"].definition.id`.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				MarkdownDescription: "Name of the flow type to read. Defaults to `PSP`, the flow type of payment service providers.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the flow type, as Connxt returns it.",
				Computed:            true,
			},
			"targets": schema.MapNestedAttribute{
				MarkdownDescription: "The flow targets (payment gateways) of the flow type, keyed by target name.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{
						MarkdownDescription: "Flow target id (`ftg_…`); the `flow_target_id` of a `connxt_psp`.",
						Computed:            true,
					},
					"name":   schema.StringAttribute{MarkdownDescription: "Target name, unique within the flow type.", Computed: true},
					"logo":   schema.StringAttribute{MarkdownDescription: "Logo as a URL or a `data:` URI.", Computed: true},
					"status": schema.StringAttribute{MarkdownDescription: "`ENABLED` or `DISABLED`.", Computed: true},
					"credential_schema": schema.StringAttribute{
						MarkdownDescription: "JSON Schema that a PSP credential for this target must satisfy." + jsonNote,
						Computed:            true,
					},
					"input_schema": schema.StringAttribute{
						MarkdownDescription: "JSON Schema of transaction input for this target." + jsonNote,
						Computed:            true,
					},
					"actions": schema.MapNestedAttribute{
						MarkdownDescription: "The actions of the flow type as offered by this target, keyed by action name (`DEPOSIT`, `WITHDRAW`, …).",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id": schema.StringAttribute{
								MarkdownDescription: "Flow action id (`fat_…`), shared by all targets of the flow type; the `flow_action_id` of an `operation`.",
								Computed:            true,
							},
							"name": schema.StringAttribute{MarkdownDescription: "Action name.", Computed: true},
							"definition": schema.SingleNestedAttribute{
								MarkdownDescription: "The definition of this action on this target, or null when the action cannot be enabled on it.",
								Computed:            true,
								Attributes: map[string]schema.Attribute{
									"id": schema.StringAttribute{
										MarkdownDescription: "Flow definition id (`fld_…`); the `flow_definition_id` of an `operation`.",
										Computed:            true,
									},
									"description":  schema.StringAttribute{MarkdownDescription: "What the definition does.", Computed: true},
									"input_schema": schema.StringAttribute{MarkdownDescription: "JSON Schema of the action's input on this target." + jsonNote, Computed: true},
								},
							},
						}},
					},
				}},
			},
		},
	}
}

func (d *flowTypeDefinitionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *flowTypeDefinitionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config flowTypeDefinitionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	flowType := connxt.FlowTypePSP
	if !config.Type.IsNull() {
		flowType = config.Type.ValueString()
	}

	cat, err := d.data.catalogs.Get(ctx, flowType)
	if err != nil {
		if connxt.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("type"), "Unknown flow type",
				fmt.Sprintf("Connxt has no flow type named %q (HTTP 404). The flow type of PSPs is %q.", flowType, connxt.FlowTypePSP))
			return
		}
		d.data.addAPIError(ctx, &resp.Diagnostics, "Unable to read the flow type definitions", err, nil)
		return
	}

	state, err := flattenFlowTypeDefinitions(flowType, cat.defs)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected flow type definitions", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func flattenFlowTypeDefinitions(flowType string, defs *connxt.FlowTypeDefinitions) (*flowTypeDefinitionsModel, error) {
	out := &flowTypeDefinitionsModel{
		Type:    types.StringValue(flowType),
		Name:    types.StringValue(defs.Name),
		Targets: make(map[string]flowTargetModel, len(defs.Targets)),
	}
	for _, t := range defs.Targets {
		if _, dup := out.Targets[t.Name]; dup {
			return nil, fmt.Errorf("two targets of flow type %q are named %q; target names must be unique", flowType, t.Name)
		}
		target := flowTargetModel{
			ID:               types.StringValue(t.ID),
			Name:             types.StringValue(t.Name),
			Logo:             types.StringValue(t.Logo),
			Status:           types.StringValue(t.Status),
			CredentialSchema: compactJSON(t.CredentialSchema),
			InputSchema:      compactJSON(t.InputSchema),
			Actions:          make(map[string]flowActionModel, len(t.Actions)),
		}
		for _, a := range t.Actions {
			if _, dup := target.Actions[a.Name]; dup {
				return nil, fmt.Errorf("target %q offers two actions named %q", t.Name, a.Name)
			}
			action := flowActionModel{ID: types.StringValue(a.ID), Name: types.StringValue(a.Name)}
			if a.Definition != nil {
				action.Definition = &flowDefinitionModel{
					ID:          types.StringValue(a.Definition.ID),
					Description: types.StringValue(a.Definition.Description),
					InputSchema: compactJSON(a.Definition.InputSchema),
				}
			}
			target.Actions[a.Name] = action
		}
		out.Targets[t.Name] = target
	}
	return out, nil
}

// compactJSON renders a JSON value as a compact string; an absent value is null.
func compactJSON(raw json.RawMessage) types.String {
	if len(raw) == 0 || string(raw) == "null" {
		return types.StringNull()
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return types.StringValue(string(raw))
	}
	return types.StringValue(buf.String())
}
