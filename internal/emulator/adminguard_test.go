package emulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// raw sends a request with a chosen Host header and extra headers, as a browser or a
// DNS-rebinding page would, and returns the status and body.
func (e *env) raw(method, path, host string, header map[string]string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestAdminRefusesBrowsersOfOtherSites: a page on another site, or one that rebinds
// its own name to 127.0.0.1, must not be able to drive the admin API; the clients
// tests use (no Origin, a loopback Host) keep working.
func TestAdminRefusesBrowsersOfOtherSites(t *testing.T) {
	e := start(t, emulator.Options{})
	own := e.srv.URL // http://127.0.0.1:PORT
	port := own[strings.LastIndex(own, ":")+1:]

	tests := []struct {
		name   string
		host   string
		header map[string]string
		want   int
	}{
		{"plain client", "", nil, 200},
		{"own origin", "", map[string]string{"Origin": own}, 200},
		{"same-origin fetch", "", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		{"localhost", "localhost:" + port, nil, 200},
		{"localhost in capitals, with the root dot", "LOCALHOST.:" + port, nil, 200},
		{"another loopback address", "127.9.8.7:" + port, nil, 200},
		{"IPv6 loopback", "[::1]:" + port, nil, 200},
		{"origin of another site", "", map[string]string{"Origin": "http://evil.example"}, 403},
		{"origin of another port", "", map[string]string{"Origin": "http://127.0.0.1:1"}, 403},
		{"null origin", "", map[string]string{"Origin": "null"}, 403},
		{"cross-site fetch metadata", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"rebound host name", "evil.example:" + port, nil, 403},
		{"rebound name with its own origin", "evil.example:" + port, map[string]string{"Origin": "http://evil.example:" + port}, 403},
		{"loopback-looking name", "127.0.0.1.evil.example:" + port, nil, 403},
		{"localhost subdomain of another site", "localhost.evil.example:" + port, nil, 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.raw(http.MethodGet, "/_emulator/requests", tc.host, tc.header)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, body)
			}
			if tc.want == 403 {
				var msg map[string]string
				if err := json.Unmarshal([]byte(body), &msg); err != nil || !strings.Contains(msg["error"], "admin API") {
					t.Fatalf("403 body does not say why: %q", body)
				}
			}
		})
	}

	// A refused state change changes nothing.
	p := e.createPSP(emulator.DefaultToken, validSticpay("kept"))
	if status, _ := e.raw(http.MethodPost, "/_emulator/reset", "", map[string]string{"Origin": "http://evil.example"}); status != 403 {
		t.Fatalf("cross-site reset: %d", status)
	}
	if status, _ := e.raw(http.MethodDelete, "/_emulator/psps/"+p.ID, "evil.example:"+port, nil); status != 403 {
		t.Fatalf("rebound delete: %d", status)
	}
	if len(e.emu.PSPs()) != 1 {
		t.Fatal("a refused admin request changed the state")
	}

	// The API itself needs a token and is reached under other names behind proxies.
	if status, body := e.raw(http.MethodGet, pspPath, "emulator.ci.internal", map[string]string{connxt.TokenHeader: emulator.DefaultToken}); status != 200 {
		t.Fatalf("API under another host name: %d %s", status, body)
	}
	// Browsers follow DEPOSIT redirects to the payment page from anywhere.
	if status, _ := e.raw(http.MethodGet, "/_emulator/pay/ord_1", "emulator.ci.internal", map[string]string{"Sec-Fetch-Site": "cross-site"}); status != 200 {
		t.Fatalf("payment page refused: %d", status)
	}
}

// TestAdminHostsOption: a name given in Options.AdminHosts (e.g. the address the
// command listens on) is accepted like a loopback one; others still are not.
func TestAdminHostsOption(t *testing.T) {
	e := start(t, emulator.Options{AdminHosts: []string{"Emulator.CI.internal:8080", "10.1.2.3"}})
	for host, want := range map[string]int{
		"emulator.ci.internal":      200,
		"emulator.ci.internal:9999": 200,
		"10.1.2.3:8080":             200,
		"10.1.2.4:8080":             403,
		"other.ci.internal":         403,
	} {
		if status, body := e.raw(http.MethodGet, "/_emulator/config", host, nil); status != want {
			t.Errorf("Host %s: %d, want %d: %s", host, status, want, body)
		}
	}
}
