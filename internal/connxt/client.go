// Package connxt is the client of the Connxt V2 API. It owns everything that depends on the
// wire: paths, JSON field names, the token header, envelope decoding, error mapping and
// retries. Nothing outside this package knows a path or a field name.
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
	"github.com/hashicorp/go-retryablehttp"
)

// Defaults used when a Config leaves a field at its zero value.
const (
	DefaultMaxRetries     = 5
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultRequestTimeout = 60 * time.Second

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
	// Transport replaces the pooled default transport (tests use it to inject failures).
	Transport http.RoundTripper
}

// Client calls the Connxt V2 API. It is safe for concurrent use and keeps connections alive
// between calls.
type Client struct {
	base      *url.URL
	token     string
	userAgent string
	http      *retryablehttp.Client
	// maxRetries is each call's budget; see callOptions.
	maxRetries int
	// ledger tells a create's look-up which PSPs it must not adopt.
	ledger createLedger
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
	transport := cfg.Transport
	if transport == nil {
		pooled := cleanhttp.DefaultPooledTransport()
		// Terraform runs 10 operations at once by default; keep a connection for each.
		pooled.MaxIdleConnsPerHost = 32
		transport = pooled
	}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Transport: &loggingTransport{next: transport, token: cfg.Token},
		Timeout:   cfg.RequestTimeout,
		// The API never redirects, and Go would forward X-SECRET-TOKEN (and re-send a
		// credential body on 307/308) to whatever host a redirect names: answer with the
		// redirect itself, which becomes an error.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	rc.Logger = nil // the logging transport reports every attempt through tflog
	// checkRetry enforces each call's budget; this only bounds the library's loop.
	rc.RetryMax = cfg.MaxRetries * (1 + ThrottleBudgetFactor)
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = checkRetry
	rc.Backoff = jitteredBackoff
	rc.PrepareRetry = prepareRetry
	// Hand back the last answer when retries run out, so that its envelope can be decoded.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler

	return &Client{base: base, token: cfg.Token, userAgent: cfg.UserAgent, http: rc, maxRetries: cfg.MaxRetries}, nil
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
	// uncertain, when set, learns whether an attempt failed without proving that the
	// request was not processed (a connection error or a 5xx).
	uncertain *bool
	// detached runs the attempts on a context that the caller's cancellation does not
	// reach: a cancelled caller stops further retries, but an attempt under way is
	// finished and its answer read.
	detached bool
}

// do performs c and decodes the answer into c.out.
func (c *Client) do(ctx context.Context, cl call) error {
	var body []byte
	if cl.body != nil {
		var err error
		if body, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("encoding the %s %s request: %w", cl.method, cl.path, err)
		}
	}
	u := *c.base
	u.Path = APIPrefix + cl.path
	u.RawQuery = cl.query.Encode()

	opts := &callOptions{mode: cl.mode, beforeRetry: cl.beforeRetry, secrets: cl.secrets, maxRetries: c.maxRetries}
	if cl.detached {
		opts.stop = ctx
		ctx = context.WithoutCancel(ctx)
	}
	ctx = withCallOptions(ctx, opts)
	var reqBody any
	if body != nil {
		reqBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u.String(), reqBody)
	if err != nil {
		return fmt.Errorf("building the %s %s request: %w", cl.method, cl.path, err)
	}
	req.Header.Set(TokenHeader, c.token)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if cl.uncertain != nil {
		*cl.uncertain = opts.uncertain
	}
	if err != nil {
		return c.redactErr(fmt.Errorf("%s %s: %w", cl.method, APIPrefix+cl.path, err), cl.secrets)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", cl.method, APIPrefix+cl.path, err)
	}
	if err := decodeResponse(cl.method, APIPrefix+cl.path, resp.StatusCode, resp.Header.Get("Content-Type"), raw, cl.out); err != nil {
		return c.redactErr(err, cl.secrets)
	}
	return nil
}

// decodeResponse turns a status and body into either c.out or an *APIError.
func decodeResponse(method, path string, status int, contentType string, raw []byte, out any) error {
	var env Envelope
	envErr := json.Unmarshal(raw, &env)
	if status < 200 || status > 299 {
		apiErr := &APIError{Method: method, Path: path, StatusCode: status}
		if envErr == nil && env.Code != "" {
			apiErr.Code, apiErr.Message, apiErr.FieldErrors = env.Code, env.Message, env.Errors
		} else {
			apiErr.Message = describeForeignBody(status, contentType, raw)
		}
		return apiErr
	}
	if out == nil {
		return nil
	}
	if envErr != nil {
		return &APIError{Method: method, Path: path, StatusCode: status,
			Message: "the answer is not a Connxt envelope: " + describeForeignBody(status, contentType, raw)}
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

// describeForeignBody summarises a body that a proxy or load balancer produced.
func describeForeignBody(status int, contentType string, raw []byte) string {
	text := strings.Join(strings.Fields(string(bytes.ToValidUTF8(raw, nil))), " ")
	const maxSnippet = 120
	if len(text) > maxSnippet {
		text = text[:maxSnippet] + "…"
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
