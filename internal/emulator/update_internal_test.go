package emulator

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// TestUpdateKeepsStoredCredential looks at the stored credential directly: the API
// never shows it, so only an internal test can check that PUT without credential
// keeps it and PUT with one replaces it.
func TestUpdateKeepsStoredCredential(t *testing.T) {
	s := New(Options{})
	send := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set(connxt.TokenHeader, DefaultToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	const ops = `"operations":[{"flowActionId":"fat_01jt2cetrheh48mkp2m8z680xz","flowDefinitionId":"fld_01jwraa3kffey9h1f83mjfj0sv"}]`
	rec := send(http.MethodPost, "/connxt/v2/psps/external",
		`{"name":"k","credential":"{\"apiKey\":\"first\"}","flowTargetId":"ftg_01jwra8pvkfey9h1f71gsw1qsw",`+ops+`}`)
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	id := s.PSPs()[0].ID
	stored := func() string {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.psps[id].credential
	}
	if stored() != `{"apiKey":"first"}` {
		t.Fatalf("stored %q", stored())
	}
	base := `"name":"k","flowTargetId":"ftg_01jwra8pvkfey9h1f71gsw1qsw","status":"ENABLED",` + ops
	if rec := send(http.MethodPut, "/connxt/v2/psps/"+id, `{`+base+`}`); rec.Code != 200 || stored() != `{"apiKey":"first"}` {
		t.Fatalf("PUT without credential: %d, stored %q", rec.Code, stored())
	}
	if rec := send(http.MethodPut, "/connxt/v2/psps/"+id, `{`+base+`,"credential":null}`); rec.Code != 200 || stored() != `{"apiKey":"first"}` {
		t.Fatalf("PUT with null credential: %d, stored %q", rec.Code, stored())
	}
	if rec := send(http.MethodPut, "/connxt/v2/psps/"+id, `{`+base+`,"credential":"{\"apiKey\":\"second\"}"}`); rec.Code != 200 || stored() != `{"apiKey":"second"}` {
		t.Fatalf("PUT with credential: %d, stored %q", rec.Code, stored())
	}
	// Moving to Sticpay without a credential: the stored one lacks merchantEmail.
	rec = send(http.MethodPut, "/connxt/v2/psps/"+id, `{"name":"k","flowTargetId":"ftg_01jt2ctt8veh48mkpcx2bdeatz","status":"ENABLED"}`)
	if rec.Code != 400 || !bytes.Contains(rec.Body.Bytes(), []byte(`"field":"credential"`)) || bytes.Contains(rec.Body.Bytes(), []byte("second")) {
		t.Fatalf("move with an unfit stored credential: %d %s", rec.Code, rec.Body)
	}
}
