// Package connxt is the client of the Connxt V2 API. It owns everything that depends on the
// wire: paths, JSON field names, the token header, envelope decoding, error mapping and
// retries. Nothing outside this package knows a path or a field name.
//
// The V2 API that this package implements is written down in CONTRACT.md, beside this
// file; a comment anywhere in the repository citing "contract §N" means CONTRACT.md §N.
package connxt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Defaults used when a Config leaves a field at its zero value.
const (
	DefaultMaxRetries     = 5
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultRequestTimeout = 60 * time.Second
	// DefaultCallTimeout bounds one call as a whole: every attempt, backoff and
	// Retry-After wait. A hanging or throttling server fails a plan after this long
	// instead of holding it (and its Ctrl-C) for many minutes.
	DefaultCallTimeout = 3 * time.Minute

	// maxResponseBytes bounds what we read of one answer; catalogs with data: URI logos
	// can be large, but nothing legitimate comes close to this.
	maxResponseBytes = 64 << 20
)

// Config describes how to reach one Connxt environment.
type Config struct {
	// BaseURL is a scheme and host (see ParseBaseURL); empty means ProductionBaseURL.
	BaseURL string
	// Token is the environment's secret token, sent as X-SECRET-TOKEN. It is never logged.
	Token string
	// UserAgent is sent on every request; see UserAgent.
	UserAgent string
	// MaxRetries bounds the retries of one call (0 = no retries; negative = DefaultMaxRetries).
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff (zero = defaults).
	RetryWaitMin, RetryWaitMax time.Duration
	// RequestTimeout bounds one attempt (zero = DefaultRequestTimeout).
	RequestTimeout time.Duration
	// CallTimeout bounds one call, its retries and waits included (zero = DefaultCallTimeout).
	CallTimeout time.Duration
	// AdoptLostCreates lets a create whose answer was lost take over the PSP of that name
	// that appeared meanwhile, when nothing rules out that the lost request made it. Off,
	// such a create fails and names the PSP to import: Connxt cannot prove which request
	// made a PSP, and another apply creating the same name at that moment would otherwise
	// share it (see CreatePSP).
	AdoptLostCreates bool
	// EnvironmentID, when set, is the environment (env_…) the token must belong to: an
	// answer with a PSP of another environment is an EnvironmentMismatchError, and a PSP
	// created there is removed again (see CreatePSP).
	EnvironmentID string
	// QuietLogs skips the request logs, for a process whose logs nobody reads: redacting
	// and formatting bodies that the logger then drops would be work for nothing.
	QuietLogs bool
	// Transport replaces the pooled default transport (tests use it to inject failures).
	Transport http.RoundTripper
}

// Client calls the Connxt V2 API. It is safe for concurrent use and keeps connections alive
// between calls.
type Client struct {
	base      *url.URL
	token     string
	userAgent string
	http      *http.Client
	// retry is every call's retry budget and backoff; see retryPolicy.
	retry retryConfig
	// callTimeout bounds each call as a whole.
	callTimeout time.Duration
	// adoptLostCreates: see Config.AdoptLostCreates.
	adoptLostCreates bool
	// ledger tells a create's look-up which PSPs it must not adopt.
	ledger createLedger
	// env remembers the environment of the token, learnt from the PSPs the API returns.
	env environmentMemo
	// expectedEnv: see Config.EnvironmentID.
	expectedEnv string
	// quietLogs: see Config.QuietLogs.
	quietLogs bool
}

// UserAgent builds the User-Agent value from the provider version and, when known, the
// Terraform version.
func UserAgent(providerVersion, terraformVersion string) string {
	ua := "terraform-provider-connxt/" + providerVersion
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = ProductionBaseURL
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, errors.New("no secret token was given")
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = UserAgent("dev", "")
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	transport := cfg.Transport
	if transport == nil {
		pooled := cleanhttp.DefaultPooledTransport()
		// Terraform runs 10 operations at once by default; keep a connection for each.
		pooled.MaxIdleConnsPerHost = 32
		transport = pooled
	}

	httpClient := &http.Client{
		Transport: transport,
		Timeout:   cfg.RequestTimeout,
		// The API never redirects, and Go would forward X-SECRET-TOKEN (and re-send a
		// credential body on 307/308) to whatever host a redirect names: answer with the
		// redirect itself, which becomes an error.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{base: base, token: cfg.Token, userAgent: cfg.UserAgent, http: httpClient,
		retry:       retryConfig{maxRetries: cfg.MaxRetries, waitMin: cfg.RetryWaitMin, waitMax: cfg.RetryWaitMax},
		callTimeout: cfg.CallTimeout, adoptLostCreates: cfg.AdoptLostCreates, expectedEnv: cfg.EnvironmentID, quietLogs: cfg.QuietLogs}, nil
}

// BaseURL is the scheme and host the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// call describes one API call.
type call struct {
	method string
	path   string
	query  url.Values
	body   any
	// out receives the envelope's data; nil when the caller wants none.
	out  any
	mode retryMode
	// beforeRetry runs before each retry; returning an error stops the call with it.
	beforeRetry func(context.Context) error
	// secrets are values of this request that must never reach an error message or a log.
	secrets []string
	// unknownOutcome, when set, learns whether an attempt failed in a way that leaves open
	// whether the server processed it (see outcomeUnknown): a later 409 may be our own create.
	unknownOutcome *bool
	// detached runs the attempts on a context that the caller's cancellation does not
	// reach: a cancelled caller stops further retries, but an attempt under way is
	// finished and its answer read.
	detached bool
}

// do performs cl, sending it again as its retry policy allows (see retry.go), and decodes
// the last answer into cl.out. One call, every attempt and wait included, ends at
// callTimeout.
func (c *Client) do(ctx context.Context, cl call) error {
	var body []byte
	if cl.body != nil {
		var err error
		if body, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("encoding the %s %s request: %w", cl.method, cl.path, err)
		}
	}
	caller := ctx
	if cl.detached {
		// A create's attempt is finished even when its caller is gone: the server may
		// commit it, and only its answer tells the new PSP's id.
		ctx = context.WithoutCancel(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, c.callTimeout)
	defer cancel()
	secrets := append([]string{c.token}, cl.secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.MaskMessageStrings(ctx, secrets...)

	policy := retryPolicy{retryConfig: c.retry, mode: cl.mode}
	var last attempt
	gaveUp := ""
	for {
		last = c.send(ctx, cl, body, secrets)
		unknown := outcomeUnknown(last)
		if unknown && cl.unknownOutcome != nil {
			*cl.unknownOutcome = true
		}
		if ctx.Err() != nil {
			break // the call's deadline, or a caller that is not detached is gone
		}
		var wait time.Duration
		var again bool
		again, wait, gaveUp = policy.next(last, ctx)
		if !again || !sleep(ctx, caller, wait) {
			break
		}
		if unknown && cl.beforeRetry != nil {
			if err := cl.beforeRetry(ctx); err != nil {
				return err
			}
			if caller.Err() != nil {
				break // the caller left during the look-up: start no new attempt
			}
		}
	}

	if last.err != nil {
		err := last.err
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && caller.Err() == nil {
			err = fmt.Errorf("gave up after %s, the longest one call may take with its retries (the provider's call_timeout): %w", c.callTimeout, err)
		}
		return c.redactErr(fmt.Errorf("%s %s: %w", cl.method, APIPrefix+cl.path, err), cl.secrets)
	}
	if err := decodeResponse(cl.method, APIPrefix+cl.path, last.status, last.header.Get("Content-Type"), last.body, cl.out, secrets); err != nil {
		if gaveUp != "" {
			err = &gaveUpError{reason: gaveUp, err: err}
		}
		return c.redactErr(err, cl.secrets)
	}
	return nil
}

// sleep waits d, and reports false when the call's context ends first, or a detached
// call's caller does: then no further attempt starts.
func sleep(ctx, caller context.Context, d time.Duration) bool {
	if caller.Err() != nil {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-caller.Done():
		return false
	}
}

// send makes one attempt of cl and reads its answer (bounded), logging both.
func (c *Client) send(ctx context.Context, cl call, body []byte, secrets []string) attempt {
	u := *c.base
	u.Path = APIPrefix + cl.path
	u.RawQuery = cl.query.Encode()
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), reader)
	if err != nil {
		return attempt{err: fmt.Errorf("building the request: %w", err)}
	}
	req.Header.Set(TokenHeader, c.token)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	log := c.logRequest(ctx, req, body, secrets)
	resp, err := c.http.Do(req)
	if err != nil {
		log.failed(err)
		return attempt{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		log.failed(err)
		return attempt{err: fmt.Errorf("reading the answer: %w", err)}
	}
	log.answered(resp, raw)
	return attempt{status: resp.StatusCode, header: resp.Header, body: raw}
}

// gaveUpError explains why a call stopped retrying before its budget was spent.
type gaveUpError struct {
	reason string
	err    error
}

func (e *gaveUpError) Error() string { return e.err.Error() + " (" + e.reason + ")" }
func (e *gaveUpError) Unwrap() error { return e.err }

// decodeResponse turns a status and body into either out or an *APIError. A success
// status is not enough: the body must be a Connxt envelope whose code says success too,
// so that an error envelope or a proxy's page served with 200 is never taken for one (a
// DELETE "answered" so would otherwise drop a live PSP from state). secrets are masked in
// any text taken from a body that is not an envelope, before it is shortened.
func decodeResponse(method, path string, status int, contentType string, raw []byte, out any, secrets []string) error {
	var env Envelope
	envErr := json.Unmarshal(raw, &env)
	if status < 200 || status > 299 {
		apiErr := &APIError{Method: method, Path: path, StatusCode: status}
		if envErr == nil && env.Code != "" {
			apiErr.Code, apiErr.Message, apiErr.FieldErrors = env.Code, env.Message, env.Errors
		} else {
			apiErr.Message = describeForeignBody(status, contentType, raw, secrets)
		}
		return apiErr
	}
	if envErr != nil {
		return &APIError{Method: method, Path: path, StatusCode: status,
			Message: "the answer is not a Connxt envelope: " + describeForeignBody(status, contentType, raw, secrets)}
	}
	if !IsSuccessCode(env.Code) {
		return &APIError{Method: method, Path: path, StatusCode: status, Code: env.Code, FieldErrors: env.Errors,
			Message: fmt.Sprintf("HTTP %d carried an envelope without a success code (code %q: %s), so the call is treated as failed", status, env.Code, env.Message)}
	}
	if out == nil {
		return nil
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return &APIError{Method: method, Path: path, StatusCode: status, Code: env.Code,
			Message: "the answer has no data"}
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return &APIError{Method: method, Path: path, StatusCode: status, Code: env.Code,
			Message: fmt.Sprintf("the answer's data has an unexpected shape: %v", err)}
	}
	return nil
}

// maxSnippet bounds the part of a foreign body that an error message quotes.
const maxSnippet = 120

// describeForeignBody summarises a body that a proxy or load balancer produced. Secrets
// are masked first, then whitespace is folded and the text cut, so that neither can split
// a secret into a part that no mask matches; a secret that the body itself holds only in
// part (a proxy that echoes the first bytes of a request) is masked where the cut ends.
func describeForeignBody(status int, contentType string, raw []byte, secrets []string) string {
	text := redactString(string(bytes.ToValidUTF8(raw, nil)), secrets...)
	text = strings.Join(strings.Fields(text), " ")
	text = redactString(text, secrets...)
	cut := false
	if len(text) > maxSnippet {
		text = strings.ToValidUTF8(text[:maxSnippet], "")
		cut = true
	}
	text = maskSecretPrefixAtEnd(text, secrets)
	if cut {
		text += "…"
	}
	msg := http.StatusText(status)
	if msg == "" {
		msg = "unexpected status"
	}
	if contentType == "" {
		contentType = "no content type"
	}
	if text == "" {
		return fmt.Sprintf("%s (empty body, %s)", msg, contentType)
	}
	return fmt.Sprintf("%s (%s): %s", msg, contentType, text)
}
