// Command terraform-provider-noop is the no-op baseline of the benchmark harness
// (bench/cmd/bench): a terraform-plugin-framework provider, served over protocol 6 like
// terraform-provider-connxt, whose resource noop_psp IS connxt_psp (the same schema,
// validators, plan modifiers, ValidateConfig and ModifyPlan, taken from internal/provider)
// except that its create, read, update and delete call no API: create fills the computed
// attributes locally, read returns the state, update and delete touch only the state.
// Timing it gives Terraform plus the plugin protocol plus connxt_psp's plan-time logic,
// without the API. Without provider data, connxt_psp's ModifyPlan skips its catalog
// check, which is the one part of planning that needs the API.
//
// Its second resource, noop_bare (bare.go), has connxt_psp's schema shape without any of
// its plan-time logic (validators, ValidateConfig, ModifyPlan), so that noop_psp against
// noop_bare is the cost of that logic, and noop_bare the framework's floor.
//
// It is not part of the shipped provider; it only exists for the benchmark.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/bench/internal/profhook"
	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
	connxtprovider "github.com/fynxt/terraform-provider-connxt/internal/provider"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()
	stop := profhook.Start() // only when BENCH_PROFILE_DIR is set (harness -profile)
	// Served like the shipped provider, so that the baseline pays the same protocol costs.
	err := protoserver.Serve("registry.terraform.io/fynxt/noop", func() provider.Provider { return &noopProvider{} }, debug)
	stop()
	if err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (p *noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
	resp.Version = "bench"
}

func (p *noopProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (p *noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return newNoopPSP() },
		func() resource.Resource { return &barePSP{} },
	}
}

func (p *noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// noopPSP forwards everything but create, read, update and delete to connxt_psp.
type noopPSP struct {
	resource.Resource
	validate   resource.ResourceWithValidateConfig
	validators resource.ResourceWithConfigValidators
	modifyPlan resource.ResourceWithModifyPlan
}

var (
	_ resource.ResourceWithValidateConfig   = (*noopPSP)(nil)
	_ resource.ResourceWithConfigValidators = (*noopPSP)(nil)
	_ resource.ResourceWithModifyPlan       = (*noopPSP)(nil)
)

func newNoopPSP() *noopPSP {
	inner := connxtprovider.NewPSPResource()
	n := &noopPSP{Resource: inner}
	var ok1, ok2, ok3 bool
	n.validate, ok1 = inner.(resource.ResourceWithValidateConfig)
	n.validators, ok2 = inner.(resource.ResourceWithConfigValidators)
	n.modifyPlan, ok3 = inner.(resource.ResourceWithModifyPlan)
	if !ok1 || !ok2 || !ok3 {
		panic("connxt_psp no longer validates or modifies plans as the baseline expects")
	}
	return n
}

func (r *noopPSP) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	r.validate.ValidateConfig(ctx, req, resp)
}

func (r *noopPSP) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	return r.validators.ConfigValidators(ctx)
}

func (r *noopPSP) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.modifyPlan.ModifyPlan(ctx, req, resp)
}

var seq atomic.Int64

func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05") }

// Create stores the plan with the computed values filled in locally. The write-only
// credential is in the configuration only and never in the plan, so nothing to clear.
func (r *noopPSP) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	ts := types.StringValue(now())
	for attribute, value := range map[string]types.String{
		"id":             types.StringValue(fmt.Sprintf("psp_noop%d_%d", time.Now().UnixNano(), seq.Add(1))),
		"brand_id":       types.StringValue("brn_noop"),
		"environment_id": types.StringValue("env_noop"),
		"created_at":     ts,
		"updated_at":     ts,
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attribute), value)...)
	}
}

// Read returns the state as it is.
func (r *noopPSP) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan with a new updated_at.
func (r *noopPSP) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("updated_at"), types.StringValue(now()))...)
}

// Delete has nothing to delete.
func (r *noopPSP) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
