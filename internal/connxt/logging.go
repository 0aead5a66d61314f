package connxt

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Every attempt is reported through tflog: method, path, status and duration at DEBUG,
// redacted bodies at TRACE. The token header is never logged, credential fields are
// replaced, and the token and credential values are masked in anything else (the call's
// context carries the masks) as a second line of defence.

// maxLoggedBody keeps TRACE logs readable when a catalog carries data: URI logos.
const maxLoggedBody = 8 << 10

// attemptLog reports one attempt. A nil *attemptLog (Config.QuietLogs) reports nothing.
type attemptLog struct {
	ctx     context.Context
	fields  map[string]any
	start   time.Time
	secrets []string
}

// logRequest reports an attempt about to be sent and starts its clock.
func (c *Client) logRequest(ctx context.Context, req *http.Request, body []byte, secrets []string) *attemptLog {
	if c.quietLogs {
		return nil
	}
	fields := map[string]any{
		"connxt_method": req.Method,
		"connxt_path":   req.URL.Path,
	}
	if req.URL.RawQuery != "" {
		fields["connxt_query"] = req.URL.RawQuery
	}
	tflog.Debug(ctx, "Connxt API request", fields)
	if len(body) > 0 {
		tflog.Trace(ctx, "Connxt API request body", map[string]any{
			"connxt_path":         req.URL.Path,
			"connxt_request_body": truncate(redactJSONBody(body, secrets...)),
		})
	}
	return &attemptLog{ctx: ctx, fields: fields, start: time.Now(), secrets: secrets}
}

// failed reports an attempt that got no (complete) answer.
func (l *attemptLog) failed(err error) {
	if l == nil {
		return
	}
	l.fields["connxt_duration_ms"] = time.Since(l.start).Milliseconds()
	l.fields["connxt_error"] = err.Error()
	tflog.Debug(l.ctx, "Connxt API request failed", l.fields)
}

// answered reports an answer.
func (l *attemptLog) answered(resp *http.Response, raw []byte) {
	if l == nil {
		return
	}
	l.fields["connxt_duration_ms"] = time.Since(l.start).Milliseconds()
	l.fields["connxt_status"] = resp.StatusCode
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		l.fields["connxt_retry_after"] = ra
	}
	tflog.Debug(l.ctx, "Connxt API response", l.fields)
	tflog.Trace(l.ctx, "Connxt API response body", map[string]any{
		"connxt_path":          resp.Request.URL.Path,
		"connxt_response_body": truncate(redactJSONBody(raw, l.secrets...)),
	})
}

func truncate(s string) string {
	if len(s) > maxLoggedBody {
		return s[:maxLoggedBody] + "…(truncated)"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
