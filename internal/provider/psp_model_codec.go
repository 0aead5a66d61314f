package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Models are read and written through a types.Object rather than by handing the framework
// a *pspModel. For a struct, the framework's reflection parses every field's tag again on
// each call (compiling a regexp per field); in a plan of many PSPs, which reads the
// configuration, plan and state of each, that was about 12% of the provider's CPU. An
// object converts without reflection; the hand-written mapping below is checked against the
// schema and pspModel by TestPSPModelCodecCoversTheSchema.

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

// pspAttrTypes is the connxt_psp schema's object type, by attribute, taken from the
// schema itself so that it cannot drift from it.
var pspAttrTypes = sync.OnceValue(func() map[string]attr.Type {
	var resp resource.SchemaResponse
	(&pspResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema.Type().(attr.TypeWithAttributeTypes).AttributeTypes() //nolint:forcetypeassert // a resource schema's type is always an object type
})

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
	return types.ObjectValue(pspAttrTypes(), map[string]attr.Value{
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
		addProviderBug(&diags, fmt.Sprintf("The provider was asked to read %s from a null or unknown value.", what))
	}
	return diags
}

// addProviderBug reports resource data the provider cannot have been given, had its own
// mapping matched the schema: never the user's doing.
func addProviderBug(diags *diag.Diagnostics, what string) {
	diags.AddError("Unexpected resource data", what+" This is a bug in the provider; please report it.")
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
		addProviderBug(&r.diags, fmt.Sprintf("The attribute %q holds %T where the provider expects %T.", name, r.attrs[name], want))
	}
	return v
}
