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

// callOptions travel with one call's context, so that the shared retry hooks know how
// this call may be repeated and how much of its budget is used.
type callOptions struct {
	mode        retryMode
	beforeRetry func(context.Context) error
	secrets     []string

	// maxRetries bounds retries after failures; throttled answers (429) have a budget of
	// ThrottleBudgetFactor × maxRetries, because waiting out a rate limit is expected.
	maxRetries int
	failures   int
	throttles  int
	// lastStatus is the status of the previous attempt (0 for a connection error).
	lastStatus int
	// uncertain records that an attempt failed in a way that does not prove the request
	// was not processed (a connection error or a 5xx): a later 409 may be our own create.
	uncertain bool
	// stop, when set, is the caller's context of a call whose attempts run detached from
	// it: once it is done, no further attempt starts, but one under way is finished.
	stop context.Context
}

// ThrottleBudgetFactor multiplies max_retries for rate-limit answers (429): a
// rate-limited apply of many PSPs sees many of them per call, and each one is waited out
// as the server asks rather than counted as a failure.
const ThrottleBudgetFactor = 10

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
// 502, 503, 504) within the call's budget; never 4xx answers, which would fail the same
// way again.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	o := callOptionsFrom(ctx)
	if o.mode == retryNever {
		return false, nil
	}
	retry, err := o.retryable(ctx, resp, err)
	if retry && o.stop != nil && o.stop.Err() != nil {
		// The caller is gone: start no new attempt. (An answer that needs no retry, such
		// as the 201 of a create, is still returned and decoded.)
		return false, o.stop.Err()
	}
	return retry, err
}

// retryable counts the attempt against the call's budgets and says whether to retry.
func (o *callOptions) retryable(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err != nil {
		// The library's policy knows which transport errors are permanent (bad TLS
		// certificate, invalid URL, too many redirects).
		retry, policyErr := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		if !retry || policyErr != nil {
			return false, policyErr
		}
		o.lastStatus = 0
		o.uncertain = true
		o.failures++
		return o.failures <= o.maxRetries, nil
	}
	o.lastStatus = resp.StatusCode
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		o.throttles++
		return o.throttles <= ThrottleBudgetFactor*o.maxRetries, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		o.uncertain = true
		o.failures++
		return o.failures <= o.maxRetries, nil
	}
	return false, nil
}

// jitteredBackoff honours Retry-After on 429, 502, 503 and 504 (plus a little jitter, so that
// parallel operations told "0" do not come back in lockstep) and otherwise waits an
// exponentially growing time with jitter.
func jitteredBackoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.Header.Get("Retry-After") != "" && resp.StatusCode != http.StatusInternalServerError {
		// DefaultBackoff parses both the seconds and the HTTP-date forms, but only for 429
		// and 503; present 502 and 504 as 503 so that their Retry-After counts too. The wait
		// is capped at maxWait: a server asking for an hour would otherwise hold an apply
		// (and its Ctrl-C) for that long.
		asked := *resp
		asked.StatusCode = http.StatusServiceUnavailable
		wait := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, &asked)
		return min(wait, maxWait) + rand.N(minWait/2+1)
	}
	ceiling := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, nil)
	half := ceiling / 2
	return half + rand.N(half+1)
}

// prepareRetry runs the call's hook before a retry (a create's look-up), except after a
// 429: a throttled request was refused before it was processed.
func prepareRetry(req *http.Request) error {
	o := callOptionsFrom(req.Context())
	if o.stop != nil && o.stop.Err() != nil {
		return o.stop.Err()
	}
	if o.beforeRetry != nil && o.lastStatus != http.StatusTooManyRequests {
		return o.beforeRetry(req.Context())
	}
	return nil
}
