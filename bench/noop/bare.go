package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// barePSP is noop_bare: a resource with connxt_psp's schema shape (the same attribute
// names, types and optional/required/computed/sensitive/write-only flags, and the
// operation set block) but none of its plan-time logic: no validators, no ValidateConfig,
// no ConfigValidators, no ModifyPlan, and no plan modifiers but those a stable no-change
// plan needs (UseStateForUnknown on the computed attributes connxt_psp keeps, the status
// defaults). Like noop_psp it calls no API. Timing it next to noop_psp (connxt_psp's
// plan-time logic without the API) separates the framework's cost for this shape from the
// cost of that logic. Descriptions are left out: they are sent once with the schema and
// cost nothing per resource.
type barePSP struct{}

var _ resource.Resource = (*barePSP)(nil)

func (r *barePSP) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bare"
}

func (r *barePSP) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	computed := func() schema.StringAttribute { return schema.StringAttribute{Computed: true, PlanModifiers: stable} }
	optional := schema.StringAttribute{Optional: true}
	status := schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("ENABLED")}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                    computed(),
			"name":                  schema.StringAttribute{Required: true},
			"description":           optional,
			"logo":                  optional,
			"flow_target_id":        schema.StringAttribute{Required: true},
			"status":                status,
			"credential":            schema.StringAttribute{Optional: true, Sensitive: true},
			"credential_wo":         schema.StringAttribute{Optional: true, Sensitive: true, WriteOnly: true},
			"credential_wo_version": schema.Int64Attribute{Optional: true},
			"brand_id":              computed(),
			"environment_id":        computed(),
			"created_at":            computed(),
			"updated_at":            schema.StringAttribute{Computed: true}, // as in connxt_psp: unknown on every update
		},
		Blocks: map[string]schema.Block{
			"operation": schema.SetNestedBlock{
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"flow_action_id":     schema.StringAttribute{Required: true},
					"flow_definition_id": schema.StringAttribute{Required: true},
					"status":             status,
				}},
			},
		},
	}
}

// Create stores the plan with the computed values filled in locally, as noop_psp does.
func (r *barePSP) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	ts := types.StringValue(now())
	for attribute, value := range map[string]types.String{
		"id":             types.StringValue(fmt.Sprintf("psp_bare%d_%d", time.Now().UnixNano(), seq.Add(1))),
		"brand_id":       types.StringValue("brn_noop"),
		"environment_id": types.StringValue("env_noop"),
		"created_at":     ts,
		"updated_at":     ts,
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attribute), value)...)
	}
}

// Read returns the state as it is.
func (r *barePSP) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan with a new updated_at.
func (r *barePSP) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("updated_at"), types.StringValue(now()))...)
}

// Delete has nothing to delete.
func (r *barePSP) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
