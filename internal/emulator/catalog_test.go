package emulator_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

func TestDefaultCatalogIsContractSection7(t *testing.T) {
	e := start(t, emulator.Options{})
	var defs connxt.FlowTypeDefinitions
	e.do(http.MethodGet, connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=PSP", emulator.DefaultToken, nil).
		expectOK(t, http.StatusOK, &defs)
	if defs.Name != "PSP" || len(defs.Targets) != 2 {
		t.Fatalf("want flow type PSP with 2 targets, got %q with %d", defs.Name, len(defs.Targets))
	}
	want := map[string]struct {
		name     string
		defs     map[string]string // action id -> definition id ("" = null)
		required []string
		closed   bool
	}{
		tgtPaymaxis: {"Paymaxis", map[string]string{actDeposit: defPmxDep, actWithdraw: defPmxWd, actRefund: ""}, []string{"apiKey"}, false},
		tgtSticpay:  {"Sticpay", map[string]string{actDeposit: defStcDep, actWithdraw: defStcWd, actRefund: ""}, []string{"merchantEmail", "apiKey"}, true},
	}
	names := map[string]string{actDeposit: "DEPOSIT", actWithdraw: "WITHDRAW", actRefund: "REFUND"}
	for _, tg := range defs.Targets {
		w, ok := want[tg.ID]
		if !ok {
			t.Fatalf("unexpected target %s", tg.ID)
		}
		if tg.Name != w.name || tg.Status != connxt.StatusEnabled || !strings.HasPrefix(tg.Logo, "https://") {
			t.Errorf("%s: name %q status %q logo %q", tg.ID, tg.Name, tg.Status, tg.Logo)
		}
		if len(tg.Actions) != 3 {
			t.Fatalf("%s: %d actions", tg.Name, len(tg.Actions))
		}
		for _, a := range tg.Actions {
			if names[a.ID] != a.Name {
				t.Errorf("%s: action %s named %q", tg.Name, a.ID, a.Name)
			}
			wantDef := w.defs[a.ID]
			switch {
			case wantDef == "" && a.Definition != nil:
				t.Errorf("%s %s: definition should be null", tg.Name, a.Name)
			case wantDef != "" && (a.Definition == nil || a.Definition.ID != wantDef):
				t.Errorf("%s %s: definition %+v, want %s", tg.Name, a.Name, a.Definition, wantDef)
			case a.Definition != nil && (a.Definition.Description == "" || !isObject(a.Definition.InputSchema)):
				t.Errorf("%s %s: definition lacks description or inputSchema", tg.Name, a.Name)
			}
		}
		var schema struct {
			Type                 string         `json:"type"`
			Required             []string       `json:"required"`
			Properties           map[string]any `json:"properties"`
			AdditionalProperties *bool          `json:"additionalProperties"`
		}
		if err := json.Unmarshal(tg.CredentialSchema, &schema); err != nil {
			t.Fatalf("%s: credentialSchema is not an object: %v", tg.Name, err)
		}
		if schema.Type != "object" || strings.Join(schema.Required, ",") != strings.Join(w.required, ",") {
			t.Errorf("%s: schema type %q required %v", tg.Name, schema.Type, schema.Required)
		}
		if closed := schema.AdditionalProperties != nil && !*schema.AdditionalProperties; closed != w.closed {
			t.Errorf("%s: additionalProperties false = %v, want %v", tg.Name, closed, w.closed)
		}
		if !isObject(tg.InputSchema) {
			t.Errorf("%s: inputSchema is not an object", tg.Name)
		}
	}

	c, err := emulator.LoadCatalog("default_catalog.json") // the file New embeds
	if err != nil {
		t.Fatal(err)
	}
	ft := c.FlowTypes[0]
	if ft.Name != "PSP" || ft.ID != flowTypePSP {
		t.Fatalf("flow type id %v", ft)
	}
	for _, tg := range ft.Targets {
		if tg.Name == "Sticpay" {
			if strings.Join(tg.Currencies, ",") != "USD" || len(tg.Countries) != 0 || tg.Countries == nil || strings.Join(tg.PaymentMethods, ",") != "Bank" {
				t.Errorf("Sticpay lists: %v %v %v", tg.Currencies, tg.Countries, tg.PaymentMethods)
			}
		} else if len(tg.Currencies) == 0 || len(tg.PaymentMethods) == 0 {
			t.Errorf("Paymaxis should have plausible lists")
		}
	}
}

func isObject(raw json.RawMessage) bool {
	var m map[string]any
	return json.Unmarshal(raw, &m) == nil && m != nil
}

func TestDefinitionsErrors(t *testing.T) {
	e := start(t, emulator.Options{})
	path := connxt.APIPrefix + connxt.PathFlowTypeDefinitions
	e.do(http.MethodGet, path, emulator.DefaultToken, nil).expectError(t, 400, connxt.CodeValidation, "type")
	e.do(http.MethodGet, path+"?type=", emulator.DefaultToken, nil).expectError(t, 400, connxt.CodeValidation, "type")
	e.do(http.MethodGet, path+"?type=NOPE", emulator.DefaultToken, nil).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodGet, path+"?type=PSP", "", nil).expectError(t, 401, connxt.CodeUnauthorized)
	e.do(http.MethodGet, path+"?type=PSP", "sec_NotAKnownTokenAtAll0000000", nil).expectError(t, 401, connxt.CodeUnauthorized)
}

func TestAlternativeCatalog(t *testing.T) {
	cat, err := emulator.LoadCatalog("testdata/catalog_alt.json")
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, emulator.Options{Catalog: cat})
	var defs connxt.FlowTypeDefinitions
	e.do(http.MethodGet, connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=PSP", emulator.DefaultToken, nil).expectOK(t, 200, &defs)
	status := map[string]string{}
	for _, tg := range defs.Targets {
		status[tg.Name] = tg.Status
	}
	if len(status) != 3 || status["AlphaPay"] != "ENABLED" || status["BetaWallet"] != "ENABLED" || status["GammaBank"] != "DISABLED" {
		t.Fatalf("targets: %v", status)
	}
	var kyc connxt.FlowTypeDefinitions
	e.do(http.MethodGet, connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=KYC", emulator.DefaultToken, nil).expectOK(t, 200, &kyc)
	if kyc.Name != "KYC" || len(kyc.Targets) != 1 {
		t.Fatalf("KYC: %+v", kyc)
	}
	// The default catalog's targets do not exist here.
	e.do(http.MethodPost, connxt.APIPrefix+connxt.PathPSPsExternal, emulator.DefaultToken, validSticpay("x")).
		expectError(t, 404, connxt.CodeNotFound, "flowTargetId")

	alpha := pspBody{
		"name":         "alpha",
		"credential":   `{"merchantId":"m1","secret":"s"}`,
		"flowTargetId": "ftg_01ke28jt97kb6cq643dzvmxxqk",
		"operations": []any{
			map[string]any{"flowActionId": "fat_01kbgj09tqm83xssss6ys3c4dw", "flowDefinitionId": "fld_01kyk596ngya1dq91k5gqapene"},
		},
	}
	p := e.createPSP(emulator.DefaultToken, alpha)
	if p.FlowTarget.FlowTypeID != "ftp_01km9s346q3d25vt4f5v37e3s3" || len(p.FlowTarget.SupportedActions) != 2 {
		t.Errorf("flowTarget: %+v", p.FlowTarget)
	}
	// A DISABLED target takes no PSPs.
	gamma := alpha.with("flowTargetId", "ftg_01kx45hy43kwjrp1xpa7z3dj8f").with("credential", `{"iban":"DE00"}`).
		with("operations", []any{map[string]any{"flowActionId": "fat_01kbgj09tqm83xssss6ys3c4dw", "flowDefinitionId": "fld_01kndy0yp57rcybvn5sxs5aa81"}})
	e.do(http.MethodPost, connxt.APIPrefix+connxt.PathPSPsExternal, emulator.DefaultToken, gamma).
		expectError(t, 400, connxt.CodeValidation, "flowTargetId")
	// A target of another flow type is not a PSP target.
	kycBody := alpha.with("flowTargetId", "ftg_01k26w14wmchwyfgcw8t7swm4f")
	e.do(http.MethodPost, connxt.APIPrefix+connxt.PathPSPsExternal, emulator.DefaultToken, kycBody).
		expectError(t, 404, connxt.CodeNotFound, "flowTargetId")
}

func TestParseCatalogRejectsBrokenFiles(t *testing.T) {
	defaultJSON, err := os.ReadFile("default_catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	base := func(mutate func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(defaultJSON, &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		raw, _ := json.Marshal(m)
		return raw
	}
	ft := func(m map[string]any) map[string]any { return m["flowTypes"].([]any)[0].(map[string]any) }
	target := func(m map[string]any, i int) map[string]any { return ft(m)["targets"].([]any)[i].(map[string]any) }
	action := func(m map[string]any, i, j int) map[string]any {
		return target(m, i)["actions"].([]any)[j].(map[string]any)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not json", []byte("{"), "invalid JSON"},
		{"trailing data", append(defaultJSON, []byte("{}")...), "after the top-level object"},
		{"unknown key", base(func(m map[string]any) { m["flowTypez"] = 1 }), "unknown field"},
		{"no flow types", []byte(`{"flowTypes":[]}`), "at least one flow type"},
		{"flow type prefix", base(func(m map[string]any) { ft(m)["id"] = "ftg_01jt2ccyw4eh48mknzvb48erpk" }), `flowTypes[0]: id "ftg_01jt2ccyw4eh48mknzvb48erpk" must be "ftp_"`},
		{"not crockford", base(func(m map[string]any) { ft(m)["id"] = "ftp_01jt2ccyw4eh48mknzvb48erpu" }), `must be "ftp_"`},
		{"target prefix", base(func(m map[string]any) { target(m, 1)["id"] = "fat_01jt2ctt8veh48mkpcx2bdeatz" }), `flowTypes[0].targets[1]: id`},
		{"action prefix", base(func(m map[string]any) { action(m, 0, 0)["id"] = "fld_01jt2cetrheh48mkp2m8z680xz" }), `targets[0].actions[0]: id`},
		{"definition prefix", base(func(m map[string]any) {
			action(m, 0, 0)["definition"].(map[string]any)["id"] = "fat_01jwraa3kffey9h1f83mjfj0sv"
		}), `actions[0].definition: id`},
		{"duplicate target name", base(func(m map[string]any) { target(m, 1)["name"] = "Paymaxis" }), `duplicate target name "Paymaxis"`},
		{"duplicate target id", base(func(m map[string]any) { target(m, 1)["id"] = tgtPaymaxis }), "duplicate target id"},
		{"bad status", base(func(m map[string]any) { target(m, 0)["status"] = "ON" }), "status must be"},
		{"schema does not compile", base(func(m map[string]any) { target(m, 0)["credentialSchema"] = map[string]any{"type": 5} }), "credentialSchema does not compile"},
		{"schema not an object", base(func(m map[string]any) { target(m, 0)["credentialSchema"] = "x" }), "credentialSchema must be a JSON object"},
		{"external ref refused", base(func(m map[string]any) {
			target(m, 0)["credentialSchema"] = map[string]any{"$ref": "file:///etc/hostname"}
		}), "credentialSchema does not compile"},
		{"action renamed", base(func(m map[string]any) { action(m, 1, 0)["name"] = "PAYIN" }), `is called "PAYIN" here but "DEPOSIT" elsewhere`},
		{"shared definition", base(func(m map[string]any) {
			action(m, 1, 0)["definition"].(map[string]any)["id"] = defPmxDep
		}), "already used"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "catalog.json")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := emulator.LoadCatalog(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}

	// LoadCatalog names the file in its errors.
	path := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(path, []byte(`{"flowTypes":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.LoadCatalog(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("LoadCatalog error %v should name the file", err)
	}
	if _, err := emulator.LoadCatalog(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Fatal("LoadCatalog of a missing file succeeded")
	}
}
