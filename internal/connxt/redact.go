package connxt

import (
	"encoding/json"
	"errors"
	"strings"
)

// Redacted replaces a secret wherever one could otherwise be shown.
const Redacted = "[REDACTED]"

// minSecretLen keeps short, common strings (such as "1") from being masked everywhere.
const minSecretLen = 4

// CredentialSecrets returns the values that a credential document carries: the whole
// document and every string or number in it. Errors and logs mask all of them.
func CredentialSecrets(credential string) []string {
	secrets := []string{credential}
	var doc any
	if json.Unmarshal([]byte(credential), &doc) != nil {
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
			secrets = append(secrets, t)
		case float64:
			b, _ := json.Marshal(t)
			secrets = append(secrets, string(b))
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

// redactJSONBody masks the credential field of a JSON body (at any depth) for logging.
func redactJSONBody(body []byte) string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
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
		}
		return v
	}
	out, _ := json.Marshal(walk(doc))
	return string(out)
}
