package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

var (
	_ resource.Resource                     = (*pspResource)(nil)
	_ resource.ResourceWithConfigure        = (*pspResource)(nil)
	_ resource.ResourceWithImportState      = (*pspResource)(nil)
	_ resource.ResourceWithConfigValidators = (*pspResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*pspResource)(nil)
)

// NewPSPResource returns the connxt_psp resource.
func NewPSPResource() resource.Resource { return &pspResource{} }

type pspResource struct {
	data *providerData
}

func (r *pspResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_psp"
}

var statusValues = []string{connxt.StatusEnabled, connxt.StatusDisabled}

// credentialRules is what both credential attributes' descriptions say about the JSON text.
var credentialRules = fmt.Sprintf("At most %d bytes; no object in it may have the same key twice.", connxt.MaxCredentialBytes)

func (r *pspResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A payment service provider (PSP) of the token's Connxt environment: a payment gateway " +
			"(flow target) with its credential and the actions (operations) enabled on it.\n\n" +
			"Give the credential either as `credential` (sensitive, kept in state) or, with Terraform 1.11 or later, as " +
			"the write-only `credential_wo` with `credential_wo_version` (never stored in state or plan). Connxt never " +
			"returns a stored credential, so Terraform cannot detect a credential changed outside Terraform.\n\n" +
			"Names are unique per flow target in an environment: a planned create whose name is taken by a PSP outside " +
			"this state is reported at plan time with the import command, and a replacement under `create_before_destroy` " +
			"needs a new name. Changing `flow_target_id`, `-replace` or a tainted resource replaces the PSP. On a Connxt " +
			"server without PSP deletion (HTTP 405), destroying disables the PSP instead and says so, and a replacement " +
			"with an unchanged name and target takes the disabled PSP back rather than leaving it untracked. A PSP is " +
			"never treated as deleted when the token belongs to another environment than the state's. See the " +
			"[lifecycle guide](../guides/psp-lifecycle.md).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "PSP id (`psp_…`), assigned by Connxt.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Name of the PSP, unique among the PSPs of the same flow target in the environment. "+
					"At most %d characters, with at least one visible character; control characters and bidirectional "+
					"controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C) are refused.", connxt.MaxPSPNameChars),
				Required: true,
				Validators: []validator.String{
					validators.NotBlank("give the PSP a name"),
					validators.Name(connxt.MaxPSPNameChars),
				},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Free-text description. It is sent with the create; only a server that ignores it there costs one more call, an update.",
				Optional:            true,
				Validators:          []validator.String{validators.NotBlank("to have none, omit the attribute or set it to null")},
			},
			"logo": schema.StringAttribute{
				MarkdownDescription: "Logo of the PSP, as a URL or base64 data.",
				Optional:            true,
				Validators:          []validator.String{validators.NotBlank("to have none, omit the attribute or set it to null")},
			},
			"flow_target_id": schema.StringAttribute{
				MarkdownDescription: "Id (`ftg_…`) of the payment gateway this PSP is configured for, for example " +
					"`data.connxt_flow_type_definitions.psp.targets[\"Paymaxis\"].id`. Changing it replaces the PSP.",
				Required:      true,
				Validators:    []validator.String{validators.ID(validators.FlowTargetID)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "`ENABLED` (default) or `DISABLED`. A disabled PSP takes no transactions.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(connxt.StatusEnabled),
				Validators:          []validator.String{validators.OneOf(statusValues...)},
			},
			"credential": schema.StringAttribute{
				MarkdownDescription: "The gateway credential as a JSON object string, for example " +
					"`jsonencode({ apiKey = var.api_key })`; it must satisfy the target's `credential_schema`. Sensitive, " +
					"but stored in state: prefer `credential_wo`. A re-formatted but equal JSON document is not a change. " +
					"Connxt never returns it, so after an import the first plan shows it being set. Exactly one of " +
					"`credential` and `credential_wo` is required. " + credentialRules,
				Optional:      true,
				Sensitive:     true,
				Validators:    []validator.String{validators.SecretJSONObject(connxt.MaxCredentialBytes)},
				PlanModifiers: []planmodifier.String{keepEquivalentJSON()},
			},
			"credential_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only form of `credential` (Terraform 1.11 or later): the same JSON object string, " +
					"sent to Connxt but never stored in state or shown in a plan. It is sent on create and whenever " +
					"`credential_wo_version` changes. " + credentialRules,
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: []validator.String{validators.SecretJSONObject(connxt.MaxCredentialBytes)},
			},
			"credential_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Version of `credential_wo`. Terraform cannot compare write-only values, so change this " +
					"number to send a rotated credential. After an import, leave it unset for an empty plan, or expect " +
					"one update that sends the credential.",
				Optional: true,
				Validators: []validator.Int64{
					int64validator.AlsoRequires(path.MatchRoot("credential_wo")),
				},
			},
			"brand_id": schema.StringAttribute{
				MarkdownDescription: "Brand (`brn_…`) the PSP belongs to, derived by Connxt from the token.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"environment_id": schema.StringAttribute{
				MarkdownDescription: "Environment (`env_…`) the PSP belongs to, derived by Connxt from the token.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the PSP was created, as Connxt reports it (local date-time without zone).",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the PSP was last changed, as Connxt reports it (local date-time without zone).",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"operation": schema.SetNestedBlock{
				MarkdownDescription: "An action enabled (or disabled) on the PSP. At least one; their order does not " +
					"matter, and one action may appear only once (two identical blocks are one element of the set, so Terraform " +
					"merges them before the provider sees them). The set replaces the PSP's operations as a whole. " +
					"The function `provider::connxt::operations` builds the blocks' values from a catalog target for a " +
					"`dynamic \"operation\"` block.",
				Validators: []validator.Set{setvalidator.IsRequired(), setvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"flow_action_id": schema.StringAttribute{
						MarkdownDescription: "Id (`fat_…`) of the action, for example " +
							"`data.connxt_flow_type_definitions.psp.targets[\"Paymaxis\"].actions[\"DEPOSIT\"].id`.",
						Required:   true,
						Validators: []validator.String{validators.InOperationBlock(validators.ID(validators.FlowActionID))},
					},
					"flow_definition_id": schema.StringAttribute{
						MarkdownDescription: "Id (`fld_…`) of the action's definition on this PSP's target, for example " +
							"`…actions[\"DEPOSIT\"].definition.id`.",
						Required:   true,
						Validators: []validator.String{validators.InOperationBlock(validators.ID(validators.FlowDefinitionID))},
					},
					"status": schema.StringAttribute{
						MarkdownDescription: "`ENABLED` (default) or `DISABLED`.",
						Optional:            true,
						Computed:            true,
						Default:             stringdefault.StaticString(connxt.StatusEnabled),
						Validators:          []validator.String{validators.InOperationBlock(validators.OneOf(statusValues...))},
					},
				}},
			},
		},
	}
}

func (r *pspResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("credential"), path.MatchRoot("credential_wo")),
	}
}

// ValidateConfig refuses two operation blocks for the same action.
func (r *pspResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// Only the operation blocks matter here (see psp_model_codec.go for why not the model).
	var config pspModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("operation"), &config.Operations)...)
	if resp.Diagnostics.HasError() || config.Operations.IsUnknown() || config.Operations.IsNull() {
		return
	}
	ops, elems, diags := config.operations(ctx)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	seen := map[string]bool{}
	for i, op := range ops {
		if op.FlowActionID.IsUnknown() || op.FlowActionID.IsNull() {
			continue
		}
		id := op.FlowActionID.ValueString()
		if seen[id] {
			resp.Diagnostics.AddAttributeError(path.Root("operation").AtSetValue(elems[i]).AtName("flow_action_id"),
				"Duplicate operation",
				fmt.Sprintf("In %s: two operation blocks name the action %q. Keep one block per action; use its status to enable or disable it.",
					validators.OperationBlockWords(id, "flow_action_id"), id))
		}
		seen[id] = true
	}
}

func (r *pspResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}
