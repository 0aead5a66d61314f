package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Models are read and written through a types.Object rather than by handing the framework
// a *pspModel. For a struct, the framework's reflection parses every field's tag again on
// each call (compiling a regexp per field); in a plan of many PSPs, which reads the
// configuration, plan and state of each, that was about 12% of the provider's CPU. An
// object converts without reflection; the mapping below is checked against the schema by
// TestPSPModelCodecCoversTheSchema.

// modelSource is a tfsdk.Config, Plan or State.
type modelSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// getPSPModel reads the whole resource from a configuration, plan or state.
func getPSPModel(ctx context.Context, from modelSource, m *pspModel) diag.Diagnostics {
	var obj types.Object
	diags := from.Get(ctx, &obj)
	if diags.HasError() {
		return diags
	}
	diags.Append(m.fromObject(obj)...)
	return diags
}

// modelTarget is a *tfsdk.State, or the *tfsdk.Resource of a list result.
type modelTarget interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// setPSPModel writes the whole resource to a state.
func setPSPModel(ctx context.Context, to modelTarget, m *pspModel) diag.Diagnostics {
	obj, diags := m.toObject()
	if diags.HasError() {
		return diags
	}
	diags.Append(to.Set(ctx, obj)...)
	return diags
}

// pspAttrTypes is the connxt_psp schema's object type, by attribute.
var pspAttrTypes = map[string]attr.Type{
	"id":                    types.StringType,
	"name":                  types.StringType,
	"description":           types.StringType,
	"logo":                  types.StringType,
	"flow_target_id":        types.StringType,
	"status":                types.StringType,
	"credential":            types.StringType,
	"credential_wo":         types.StringType,
	"credential_wo_version": types.Int64Type,
	"operation":             types.SetType{ElemType: operationObjectType},
	"brand_id":              types.StringType,
	"environment_id":        types.StringType,
	"created_at":            types.StringType,
	"updated_at":            types.StringType,
}

func (m *pspModel) fromObject(obj types.Object) diag.Diagnostics {
	if d := requireKnownObject(obj, "the PSP"); d.HasError() {
		return d
	}
	var r objectReader
	r.attrs = obj.Attributes()
	m.ID = readAttr[types.String](&r, "id")
	m.Name = readAttr[types.String](&r, "name")
	m.Description = readAttr[types.String](&r, "description")
	m.Logo = readAttr[types.String](&r, "logo")
	m.FlowTargetID = readAttr[types.String](&r, "flow_target_id")
	m.Status = readAttr[types.String](&r, "status")
	m.Credential = readAttr[types.String](&r, "credential")
	m.CredentialWO = readAttr[types.String](&r, "credential_wo")
	m.CredentialWOVersion = readAttr[types.Int64](&r, "credential_wo_version")
	m.Operations = readAttr[types.Set](&r, "operation")
	m.BrandID = readAttr[types.String](&r, "brand_id")
	m.EnvironmentID = readAttr[types.String](&r, "environment_id")
	m.CreatedAt = readAttr[types.String](&r, "created_at")
	m.UpdatedAt = readAttr[types.String](&r, "updated_at")
	return r.diags
}

func (m *pspModel) toObject() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(pspAttrTypes, map[string]attr.Value{
		"id":                    m.ID,
		"name":                  m.Name,
		"description":           m.Description,
		"logo":                  m.Logo,
		"flow_target_id":        m.FlowTargetID,
		"status":                m.Status,
		"credential":            m.Credential,
		"credential_wo":         m.CredentialWO,
		"credential_wo_version": m.CredentialWOVersion,
		"operation":             m.Operations,
		"brand_id":              m.BrandID,
		"environment_id":        m.EnvironmentID,
		"created_at":            m.CreatedAt,
		"updated_at":            m.UpdatedAt,
	})
}

func operationFromObject(obj types.Object) (operationModel, diag.Diagnostics) {
	if d := requireKnownObject(obj, "an operation block"); d.HasError() {
		return operationModel{}, d
	}
	var r objectReader
	r.attrs = obj.Attributes()
	op := operationModel{
		FlowActionID:     readAttr[types.String](&r, "flow_action_id"),
		FlowDefinitionID: readAttr[types.String](&r, "flow_definition_id"),
		Status:           readAttr[types.String](&r, "status"),
	}
	return op, r.diags
}

// requireKnownObject refuses a null or unknown object, which has no attributes to read
// (the framework's own conversion refuses them too). Callers check for both first where
// either can occur, so this is only a guard.
func requireKnownObject(obj types.Object, what string) diag.Diagnostics {
	var diags diag.Diagnostics
	if obj.IsNull() || obj.IsUnknown() {
		diags.AddError("Unexpected resource data",
			fmt.Sprintf("The provider was asked to read %s from a null or unknown value. This is a bug in the provider; please report it.", what))
	}
	return diags
}

// objectReader takes typed attributes out of an object, collecting what does not fit.
type objectReader struct {
	attrs map[string]attr.Value
	diags diag.Diagnostics
}

func readAttr[T attr.Value](r *objectReader, name string) T {
	v, ok := r.attrs[name].(T)
	if !ok {
		var want T
		r.diags.AddError("Unexpected resource data",
			fmt.Sprintf("The attribute %q holds %T where the provider expects %T. This is a bug in the provider; please report it.",
				name, r.attrs[name], want))
	}
	return v
}
