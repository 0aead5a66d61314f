package connxt

import (
	"slices"
	"strings"
	"testing"
)

func TestCredentialSecrets(t *testing.T) {
	got := CredentialSecrets(`{"apiKey":"k<ey>&1234","pin":"12","big":12345678901234567891,"note":""}`)
	for _, want := range []string{"k<ey>&1234", "12345678901234567891"} {
		if !slices.Contains(got, want) {
			t.Errorf("CredentialSecrets misses %q: %q", want, got)
		}
	}
	for _, s := range got {
		if len(s) < minSecretLen {
			t.Errorf("a value too short to mask (%q) would garble every log line", s)
		}
	}
}

// TestRedactJSONBodyMasksEchoedSecrets: a server that echoes a credential value in a
// message must not get it into a TRACE line, whatever JSON escaping would make of it.
func TestRedactJSONBodyMasksEchoedSecrets(t *testing.T) {
	secret := `k<ey>&"1234`
	body := `{"code":"4001","credential":"{\"apiKey\":\"k<ey>&\\\"1234\"}",` +
		`"errors":[{"field":"credential","message":"apiKey k<ey>&\"1234 is not valid"}]}`
	got := redactJSONBody([]byte(body), CredentialSecrets(`{"apiKey":"k<ey>&\"1234"}`)...)
	for _, form := range []string{secret, `k\u003cey\u003e\u0026`, "k<ey>"} {
		if strings.Contains(got, form) {
			t.Fatalf("the logged body still shows the secret (as %q): %s", form, got)
		}
	}
	if !strings.Contains(got, `"credential":"`+Redacted+`"`) || !strings.Contains(got, "apiKey "+Redacted+" is not valid") {
		t.Fatalf("want the credential field replaced and the echo masked, got %s", got)
	}
}
