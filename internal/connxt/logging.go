package connxt

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxLoggedBody keeps TRACE logs readable when a catalog carries data: URI logos.
const maxLoggedBody = 8 << 10

// loggingTransport reports every attempt through tflog: method, path, status and duration
// at DEBUG, redacted bodies at TRACE. The token header is never logged, credential fields
// are replaced, and the token and credential values are masked in anything else as a
// second line of defence.
type loggingTransport struct {
	next  http.RoundTripper
	token string
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// Secrets are already filtered to a length worth masking (see CredentialSecrets).
	masked := append([]string{t.token}, callOptionsFrom(ctx).secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, masked...)
	ctx = tflog.MaskMessageStrings(ctx, masked...)

	fields := map[string]any{
		"connxt_method": req.Method,
		"connxt_path":   req.URL.Path,
	}
	if req.URL.RawQuery != "" {
		fields["connxt_query"] = req.URL.RawQuery
	}
	tflog.Debug(ctx, "Connxt API request", fields)
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			raw, _ := io.ReadAll(body)
			_ = body.Close()
			if len(raw) > 0 {
				tflog.Trace(ctx, "Connxt API request body", map[string]any{
					"connxt_path":         req.URL.Path,
					"connxt_request_body": truncate(redactJSONBody(raw, masked...)),
				})
			}
		}
	}

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields["connxt_duration_ms"] = time.Since(start).Milliseconds()
	if err != nil {
		fields["connxt_error"] = err.Error()
		tflog.Debug(ctx, "Connxt API request failed", fields)
		return nil, err
	}
	fields["connxt_status"] = resp.StatusCode
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		fields["connxt_retry_after"] = ra
	}
	// Read the body for the TRACE line (as much as the client would read) and hand the
	// caller a fresh reader over the same bytes.
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_ = resp.Body.Close()
	if readErr != nil {
		fields["connxt_error"] = readErr.Error()
		tflog.Debug(ctx, "Connxt API response could not be read", fields)
		return nil, readErr
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	tflog.Debug(ctx, "Connxt API response", fields)
	tflog.Trace(ctx, "Connxt API response body", map[string]any{
		"connxt_path":          req.URL.Path,
		"connxt_response_body": truncate(redactJSONBody(raw, masked...)),
	})
	return resp, nil
}

func truncate(s string) string {
	if len(s) > maxLoggedBody {
		return s[:maxLoggedBody] + "…(truncated)"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
