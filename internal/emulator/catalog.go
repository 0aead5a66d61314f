package emulator

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/credschema"
)

// The catalog file format
//
// A catalog is one JSON object with a single key, "flowTypes":
//
//	{
//	  "flowTypes": [
//	    {
//	      "id":   "ftp_<26 lowercase Crockford base32>",
//	      "name": "PSP",                      // unique in the file; GET ...?type=<name>
//	      "targets": [
//	        {
//	          "id":   "ftg_<26>",             // unique in the file
//	          "name": "Paymaxis",             // unique within its flow type
//	          "logo": "https://...",          // URL or data: URI, may be empty
//	          "status": "ENABLED",            // or "DISABLED"
//	          "credentialSchema": {...},      // JSON Schema (draft-07 unless $schema says otherwise)
//	          "inputSchema": {...},           // any JSON object
//	          "actions": [
//	            {"id": "fat_<26>", "name": "DEPOSIT",
//	             "definition": {"id": "fld_<26>", "description": "...", "inputSchema": {...}}},
//	            {"id": "fat_<26>", "name": "REFUND", "definition": null}
//	          ],
//	          "currencies": ["USD"], "countries": [], "paymentMethods": ["Bank"]
//	        }
//	      ]
//	    }
//	  ]
//	}
//
// A target is exactly the wire type connxt.FlowTarget plus the three lists that only PSP
// details show, so the file cannot drift from what the API serves. Unknown keys are
// rejected, because a misspelt key in a hand-written catalog would otherwise be silently
// dropped. PSPs are created against the flow type named "PSP".

//go:embed default_catalog.json
var defaultCatalogJSON []byte

// pspFlowType is the flow type whose targets PSPs are configured for
// (internal/connxt/CONTRACT.md §4).
const pspFlowType = "PSP"

// Catalog is the set of flow types, targets, actions and definitions the emulator serves.
// It is immutable once parsed: parseCatalog compiles every credentialSchema up front so
// that a broken catalog fails at start-up rather than on the first PSP request.
type Catalog struct {
	FlowTypes []CatalogFlowType `json:"flowTypes"`

	// Indexes built by parseCatalog.
	schemas  map[string]*credschema.Schema // by target id
	byTarget map[string]*targetRef
}

// CatalogFlowType is one flow type of the catalog file.
type CatalogFlowType struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Targets []CatalogTarget `json:"targets"`
}

// CatalogTarget is a flow target as the definitions endpoint shows it (the embedded
// connxt.FlowTarget) plus the lists that appear only in PSP details.
type CatalogTarget struct {
	connxt.FlowTarget
	Currencies     []string `json:"currencies"`
	Countries      []string `json:"countries"`
	PaymentMethods []string `json:"paymentMethods"`
}

// targetRef locates a target and remembers its flow type, which PSP details need.
type targetRef struct {
	flowType *CatalogFlowType
	target   *CatalogTarget
}

// defaultCatalog returns the example catalog of internal/connxt/CONTRACT.md §7 (Paymaxis
// and Sticpay in flow type PSP). Each call parses a fresh copy, so callers cannot disturb
// one another.
func defaultCatalog() *Catalog {
	c, err := parseCatalog(defaultCatalogJSON)
	if err != nil {
		// The file is embedded and covered by tests; failing here is a build defect.
		panic("emulator: embedded default catalog is invalid: " + err.Error())
	}
	return c
}

// LoadCatalog reads and validates a catalog file (format described in catalog.go).
func LoadCatalog(path string) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	c, err := parseCatalog(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

var (
	flowIDPattern = map[string]*regexp.Regexp{}
	// Lowercase Crockford base32 omits i, l, o and u.
	crockford26 = `[0-9a-hjkmnp-tv-z]{26}`
)

func init() {
	for _, p := range []string{"ftp_", "ftg_", "fat_", "fld_"} {
		flowIDPattern[p] = regexp.MustCompile("^" + p + crockford26 + "$")
	}
}

// parseCatalog decodes and validates a catalog. All problems are reported together,
// each prefixed with its JSON location, so a hand-edited file can be fixed in one go.
func parseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("catalog: invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("catalog: invalid JSON: unexpected data after the top-level object")
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	return &c, nil
}

// index validates the decoded catalog and builds the lookup tables.
func (c *Catalog) index() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	checkID := func(where, prefix, id string) {
		if !flowIDPattern[prefix].MatchString(id) {
			bad("%s: id %q must be %q followed by 26 lowercase Crockford base32 characters", where, id, prefix)
		}
	}

	c.schemas = map[string]*credschema.Schema{}
	c.byTarget = map[string]*targetRef{}
	if len(c.FlowTypes) == 0 {
		bad("flowTypes: at least one flow type is required")
	}
	typeNames := map[string]bool{}
	typeIDs := map[string]bool{}
	definitionIDs := map[string]string{}
	for i := range c.FlowTypes {
		ft := &c.FlowTypes[i]
		where := fmt.Sprintf("flowTypes[%d]", i)
		checkID(where, "ftp_", ft.ID)
		if typeIDs[ft.ID] {
			bad("%s: duplicate flow type id %q", where, ft.ID)
		}
		typeIDs[ft.ID] = true
		if strings.TrimSpace(ft.Name) == "" {
			bad("%s: name is required", where)
		} else if typeNames[ft.Name] {
			bad("%s: duplicate flow type name %q", where, ft.Name)
		}
		typeNames[ft.Name] = true

		targetNames := map[string]bool{}
		actionNames := map[string]string{} // action id -> name, shared by the flow type's targets
		for j := range ft.Targets {
			t := &ft.Targets[j]
			tw := fmt.Sprintf("%s.targets[%d]", where, j)
			checkID(tw, "ftg_", t.ID)
			if _, dup := c.byTarget[t.ID]; dup {
				bad("%s: duplicate target id %q", tw, t.ID)
			}
			if strings.TrimSpace(t.Name) == "" {
				bad("%s: name is required", tw)
			} else if targetNames[t.Name] {
				bad("%s: duplicate target name %q in flow type %q", tw, t.Name, ft.Name)
			}
			targetNames[t.Name] = true
			if t.Status != connxt.StatusEnabled && t.Status != connxt.StatusDisabled {
				bad("%s: status must be %q or %q", tw, connxt.StatusEnabled, connxt.StatusDisabled)
			}
			if !isJSONObject(t.InputSchema) {
				bad("%s: inputSchema must be a JSON object", tw)
			}
			if !isJSONObject(t.CredentialSchema) {
				bad("%s: credentialSchema must be a JSON object", tw)
			} else if sch, err := credschema.Compile(t.ID, t.CredentialSchema); err != nil {
				bad("%s: credentialSchema does not compile: %v", tw, err)
			} else {
				c.schemas[t.ID] = sch
			}
			// The wire shows lists, never null.
			for _, l := range []*[]string{&t.Currencies, &t.Countries, &t.PaymentMethods} {
				if *l == nil {
					*l = []string{}
				}
			}
			if t.Actions == nil {
				t.Actions = []connxt.FlowAction{}
			}
			seen := map[string]bool{}
			for k, a := range t.Actions {
				aw := fmt.Sprintf("%s.actions[%d]", tw, k)
				checkID(aw, "fat_", a.ID)
				if seen[a.ID] {
					bad("%s: action %q listed twice", aw, a.ID)
				}
				seen[a.ID] = true
				if strings.TrimSpace(a.Name) == "" {
					bad("%s: name is required", aw)
				} else if prev, ok := actionNames[a.ID]; ok && prev != a.Name {
					bad("%s: action %q is called %q here but %q elsewhere in the flow type", aw, a.ID, a.Name, prev)
				} else {
					actionNames[a.ID] = a.Name
				}
				if a.Definition == nil {
					continue
				}
				dw := aw + ".definition"
				checkID(dw, "fld_", a.Definition.ID)
				if other, dup := definitionIDs[a.Definition.ID]; dup {
					bad("%s: definition id %q is already used at %s; a definition belongs to one (action, target) pair", dw, a.Definition.ID, other)
				}
				definitionIDs[a.Definition.ID] = dw
				if !isJSONObject(a.Definition.InputSchema) {
					bad("%s: inputSchema must be a JSON object", dw)
				}
			}
			c.byTarget[t.ID] = &targetRef{flowType: ft, target: t}
		}
		if ft.Targets == nil {
			ft.Targets = []CatalogTarget{}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("catalog is invalid:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// flowType finds a flow type by its name, as GET /flow-types/definitions?type= does.
func (c *Catalog) flowType(name string) (*CatalogFlowType, bool) {
	for i := range c.FlowTypes {
		if c.FlowTypes[i].Name == name {
			return &c.FlowTypes[i], true
		}
	}
	return nil, false
}

// pspTarget finds a target of the PSP flow type; targets of other flow types are
// "not found" for PSP purposes.
func (c *Catalog) pspTarget(id string) (*targetRef, bool) {
	ref, ok := c.byTarget[id]
	if !ok || ref.flowType.Name != pspFlowType {
		return nil, false
	}
	return ref, true
}

// action returns the target's action with the given id.
func (t *CatalogTarget) action(id string) (*connxt.FlowAction, bool) {
	for i := range t.Actions {
		if t.Actions[i].ID == id {
			return &t.Actions[i], true
		}
	}
	return nil, false
}

// pspFlowTarget builds the flowTarget summary embedded in PSP details.
func (r *targetRef) pspFlowTarget() *connxt.PSPFlowTarget {
	var schema bytes.Buffer
	if err := json.Compact(&schema, r.target.CredentialSchema); err != nil {
		schema.Reset()
		schema.Write(r.target.CredentialSchema)
	}
	supported := []connxt.SupportedAction{}
	for _, a := range r.target.Actions {
		if a.Definition != nil {
			supported = append(supported, connxt.SupportedAction{
				FlowActionID:     a.ID,
				FlowDefinitionID: a.Definition.ID,
				FlowActionName:   a.Name,
			})
		}
	}
	return &connxt.PSPFlowTarget{
		ID:               r.target.ID,
		CredentialSchema: connxt.JSONText(schema.String()),
		FlowTypeID:       r.flowType.ID,
		Currencies:       append([]string{}, r.target.Currencies...),
		Countries:        append([]string{}, r.target.Countries...),
		PaymentMethods:   append([]string{}, r.target.PaymentMethods...),
		SupportedActions: supported,
	}
}

// isJSONObject reports whether raw holds a JSON object (and not null or a scalar).
func isJSONObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{' && json.Valid(raw)
}
