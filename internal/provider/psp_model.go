package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

// pspModel is the connxt_psp resource as Terraform sees it.
type pspModel struct {
	ID                  types.String `tfsdk:"id"`
	Name                types.String `tfsdk:"name"`
	Description         types.String `tfsdk:"description"`
	Logo                types.String `tfsdk:"logo"`
	FlowTargetID        types.String `tfsdk:"flow_target_id"`
	Status              types.String `tfsdk:"status"`
	Credential          types.String `tfsdk:"credential"`
	CredentialWO        types.String `tfsdk:"credential_wo"`
	CredentialWOVersion types.Int64  `tfsdk:"credential_wo_version"`
	Operations          types.Set    `tfsdk:"operation"`
	BrandID             types.String `tfsdk:"brand_id"`
	EnvironmentID       types.String `tfsdk:"environment_id"`
	CreatedAt           types.String `tfsdk:"created_at"`
	UpdatedAt           types.String `tfsdk:"updated_at"`
}

type operationModel struct {
	FlowActionID     types.String `tfsdk:"flow_action_id"`
	FlowDefinitionID types.String `tfsdk:"flow_definition_id"`
	Status           types.String `tfsdk:"status"`
}

var operationAttrTypes = map[string]attr.Type{
	"flow_action_id":     types.StringType,
	"flow_definition_id": types.StringType,
	"status":             types.StringType,
}

var operationObjectType = types.ObjectType{AttrTypes: operationAttrTypes}

// operations returns the operation blocks in the order of the set, with the set elements
// themselves so that an API error about operations[i] can point at element i.
func (m *pspModel) operations(context.Context) ([]operationModel, []attr.Value, diag.Diagnostics) {
	if m.Operations.IsUnknown() {
		// An unknown set has no elements to read; callers skip it before asking.
		var diags diag.Diagnostics
		addProviderBug(&diags, "The provider was asked for the operation blocks while they are unknown.")
		return nil, nil, diags
	}
	elems := m.Operations.Elements()
	ops := make([]operationModel, 0, len(elems))
	var diags diag.Diagnostics
	for _, elem := range elems {
		obj, ok := elem.(types.Object)
		if !ok {
			addProviderBug(&diags, fmt.Sprintf("An operation block holds %T where the provider expects an object.", elem))
			return nil, elems, diags
		}
		op, d := operationFromObject(obj)
		diags.Append(d...)
		ops = append(ops, op)
	}
	return ops, elems, diags
}

func expandOperations(ops []operationModel) []connxt.PSPOperation {
	out := make([]connxt.PSPOperation, 0, len(ops))
	for _, op := range ops {
		status := op.Status.ValueString()
		if status == "" {
			status = connxt.StatusEnabled
		}
		out = append(out, connxt.PSPOperation{
			FlowActionID:     op.FlowActionID.ValueString(),
			FlowDefinitionID: op.FlowDefinitionID.ValueString(),
			Status:           status,
		})
	}
	return out
}

// updateRequest is the full PUT body that makes the PSP match m; credential is nil to keep
// the stored one.
func (m *pspModel) updateRequest(ops []operationModel, status string, credential *string) connxt.UpdatePSPRequest {
	return connxt.UpdatePSPRequest{
		Name:         m.Name.ValueString(),
		Description:  m.Description.ValueStringPointer(),
		Logo:         m.Logo.ValueStringPointer(),
		FlowTargetID: m.FlowTargetID.ValueString(),
		Status:       status,
		Operations:   expandOperations(ops),
		Credential:   credential,
	}
}

// optionalString maps an absent or empty text to null: a configuration cannot hold "" for
// these attributes (see validators.NotBlank), so "" from Connxt means "none", not a change
// the plan would show and could never apply.
func optionalString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// setFromAPI copies what Connxt returned into m. The credential is never returned, so m
// keeps whatever credential, credential_wo_version it had; credential_wo is never stored.
func (m *pspModel) setFromAPI(p *connxt.PSP) diag.Diagnostics {
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.Description = optionalString(p.Description)
	m.Logo = optionalString(p.Logo)
	m.FlowTargetID = types.StringValue(p.FlowTargetID)
	m.Status = types.StringValue(p.Status)
	m.BrandID = types.StringValue(p.BrandID)
	m.EnvironmentID = types.StringValue(p.EnvironmentID)
	m.CreatedAt = types.StringValue(p.CreatedAt)
	m.UpdatedAt = types.StringValue(p.UpdatedAt)
	m.CredentialWO = types.StringNull()

	set, diags := operationsFromAPI(p.Operations)
	m.Operations = set
	return diags
}

// operationsFromAPI is a PSP's operations as a set of objects, as the resource's operation
// blocks and the data sources' operations attribute both hold them.
func operationsFromAPI(ops []connxt.PSPOperation) (types.Set, diag.Diagnostics) {
	elems := make([]attr.Value, 0, len(ops))
	for _, op := range ops {
		obj, diags := types.ObjectValue(operationAttrTypes, map[string]attr.Value{
			"flow_action_id":     types.StringValue(op.FlowActionID),
			"flow_definition_id": types.StringValue(op.FlowDefinitionID),
			"status":             types.StringValue(op.Status),
		})
		if diags.HasError() {
			return types.SetNull(operationObjectType), diags
		}
		elems = append(elems, obj)
	}
	return types.SetValue(operationObjectType, elems)
}

var operationFieldPattern = regexp.MustCompile(`^operations\[(\d+)\](?:\.(\w+))?$`)

// operationFieldAttributes maps the API's operation field names to block attributes.
var operationFieldAttributes = map[string]string{
	"flowActionId":     "flow_action_id",
	"flowDefinitionId": "flow_definition_id",
	"status":           "status",
}

// pspFieldMapper points an API field error at the attribute the user wrote: sent is the
// list of operation elements in the order they were sent, credentialAttr the credential
// attribute in use.
func pspFieldMapper(sent []attr.Value, sentOps []connxt.PSPOperation, credentialAttr string) apiErrorFieldMapper {
	roots := map[string]string{
		"name": "name", "description": "description", "logo": "logo", "flowTargetId": "flow_target_id",
		"status": "status", "credential": credentialAttr, "operations": "operation",
	}
	return func(field string) (path.Path, string, bool) {
		if attribute, ok := roots[field]; ok {
			return path.Root(attribute), "attribute " + attribute, true
		}
		match := operationFieldPattern.FindStringSubmatch(field)
		if match == nil {
			return path.Empty(), "", false
		}
		attribute := operationFieldAttributes[match[2]]
		i, err := strconv.Atoi(match[1])
		if err != nil || i >= len(sent) || i >= len(sentOps) {
			return path.Root("operation"), validators.OperationBlockWords("", attribute), true
		}
		p := path.Root("operation").AtSetValue(sent[i])
		if attribute != "" {
			p = p.AtName(attribute)
		}
		return p, validators.OperationBlockWords(sentOps[i].FlowActionID, attribute), true
	}
}
