package connxt

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecodeResponse feeds arbitrary statuses and bodies to the decoder: it must never
// panic, a non-2xx answer must always be a typed *APIError carrying its status, and a 2xx
// answer is either decoded or a typed error.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{200, `{"timestamp":"2025-12-12T10:43:18Z","code":"200","message":"ok","data":{"id":"psp_x"}}`},
		{201, `{"code":"201","data":{"id":"psp_x","operations":[{"flowActionId":"fat_1"}]}}`},
		{400, `{"code":"4001","message":"Validation failed","errors":[{"field":"operations[0].flowDefinitionId","message":"bad"}]}`},
		{404, `{"code":"4004"}`},
		{502, `<html>Bad Gateway</html>`},
		{200, `{"data":null}`},
		{200, `{"code":200,"data":[]}`},
		{500, ``},
		{200, "\xff\xfe"},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var out PSP
		err := decodeResponse("GET", "/connxt/v2/psps/x", status, "application/json", body, &out, nil)
		if status >= 200 && status <= 299 {
			if err != nil {
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("2xx decode error is %T, want *APIError", err)
				}
			}
			return
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("status %d: error %v is %T, want *APIError", status, err, err)
		}
		if apiErr.StatusCode != status {
			t.Fatalf("APIError.StatusCode = %d, want %d", apiErr.StatusCode, status)
		}
		_ = apiErr.Error()
	})
}

// TestJSONTextAcceptsBothForms: credentialSchema is a JSON string per the contract, but
// an object there must not make a PSP answer undecodable.
func TestJSONTextAcceptsBothForms(t *testing.T) {
	for body, want := range map[string]string{
		`{"flowTarget":{"credentialSchema":"{\"type\":\"object\"}"}}`: `{"type":"object"}`,
		`{"flowTarget":{"credentialSchema":{"type":"object"}}}`:       `{"type":"object"}`,
	} {
		var p PSP
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if string(p.FlowTarget.CredentialSchema) != want {
			t.Errorf("%s: got %s", body, p.FlowTarget.CredentialSchema)
		}
	}
}
