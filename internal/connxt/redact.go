package connxt

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// Redacted replaces a secret wherever one could otherwise be shown.
const Redacted = "[REDACTED]"

// minSecretLen keeps short, common strings (such as "1") from being masked everywhere.
const minSecretLen = 4

// CredentialSecrets returns the values that a credential document carries: the whole
// document and every string or number in it (numbers as written, not as float64).
// Errors and logs mask all of them; values shorter than minSecretLen are left out, since
// masking "1" or "" everywhere would garble every message.
func CredentialSecrets(credential string) []string {
	var secrets []string
	add := func(v string) {
		if len(v) >= minSecretLen {
			secrets = append(secrets, v)
		}
	}
	add(credential)
	dec := json.NewDecoder(strings.NewReader(credential))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return secrets
	}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		case string:
			add(t)
		case json.Number:
			add(t.String())
		}
	}
	walk(doc)
	return secrets
}

// redactString masks every secret (long enough to be one) in s.
func redactString(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) >= minSecretLen {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
	}
	return s
}

// maskSecretPrefixAtEnd masks the start of a secret that text ends with: what remains of a
// secret that a cut (ours or an echoing proxy's) split.
func maskSecretPrefixAtEnd(text string, secrets []string) string {
	for _, secret := range secrets {
		for n := min(len(secret)-1, len(text)); n >= minSecretLen; n-- {
			if strings.HasSuffix(text, secret[:n]) {
				return text[:len(text)-n] + Redacted
			}
		}
	}
	return text
}

// redactedError keeps the error chain (errors.Is/As still work) but masks its text.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

func (c *Client) redactErr(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	all := append([]string{c.token}, secrets...)
	text := redactString(err.Error(), all...)
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		// Server messages may echo what they were sent; mask them in place too.
		apiErr.Message = redactString(apiErr.Message, all...)
		for i := range apiErr.FieldErrors {
			apiErr.FieldErrors[i].Message = redactString(apiErr.FieldErrors[i].Message, all...)
		}
	}
	if text == err.Error() {
		return err
	}
	return &redactedError{text: text, err: err}
}

// redactJSONBody renders a JSON body for logging: the credential field (at any depth) is
// replaced, and the secrets are masked in every other string, before encoding, so that
// JSON escaping cannot hide an echoed secret from the masks.
func redactJSONBody(body []byte, secrets ...string) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return "(non-JSON body, " + itoa(len(body)) + " bytes)"
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			for k, e := range t {
				if strings.EqualFold(k, "credential") {
					if s, ok := e.(string); ok && s == CredentialMask {
						continue
					}
					t[k] = Redacted
					continue
				}
				t[k] = walk(e)
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		case string:
			return redactString(t, secrets...)
		}
		return v
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(walk(doc))
	return strings.TrimSuffix(out.String(), "\n")
}
