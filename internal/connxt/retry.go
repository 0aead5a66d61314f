package connxt

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryMode says how a call may be repeated after a failure.
type retryMode int

const (
	// retryIdempotent: GET, PUT and DELETE give the same result when repeated.
	retryIdempotent retryMode = iota
	// retryNever: a repeat could do the work twice (a transaction could charge twice).
	retryNever
	// retryAfterLookup: a create that may have reached the server; its beforeRetry hook
	// looks for the object before the request is sent again.
	retryAfterLookup
)

type callOptions struct {
	mode        retryMode
	beforeRetry func(context.Context) error
	secrets     []string
}

type callOptionsKey struct{}

func withCallOptions(ctx context.Context, o *callOptions) context.Context {
	return context.WithValue(ctx, callOptionsKey{}, o)
}

func callOptionsFrom(ctx context.Context) *callOptions {
	if o, ok := ctx.Value(callOptionsKey{}).(*callOptions); ok {
		return o
	}
	return &callOptions{}
}

// checkRetry retries connection errors and the statuses that mean "not now" (429, 500,
// 502, 503, 504); never 4xx answers, which would fail the same way again.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if callOptionsFrom(ctx).mode == retryNever {
		return false, nil
	}
	if err != nil {
		// The library's policy knows which transport errors are permanent (bad TLS
		// certificate, invalid URL, too many redirects).
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// jitteredBackoff honours Retry-After on 429 and 503 and otherwise waits an exponentially
// growing time with jitter, so that ten parallel operations do not retry in lockstep.
func jitteredBackoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.Header.Get("Retry-After") != "" &&
		(resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		// DefaultBackoff parses both the seconds and the HTTP-date forms.
		return retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp)
	}
	ceiling := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, nil)
	half := ceiling / 2
	return half + rand.N(half+1)
}

// prepareRetry runs the call's hook before a retry (a create's look-up).
func prepareRetry(req *http.Request) error {
	if hook := callOptionsFrom(req.Context()).beforeRetry; hook != nil {
		return hook(req.Context())
	}
	return nil
}
