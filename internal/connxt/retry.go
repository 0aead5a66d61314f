package connxt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
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
	// retryAfterLookup: a create. A failure that proves the request was not processed is
	// retried at once; after one whose outcome is unknown, its beforeRetry hook looks for
	// the object before the request is sent again.
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
	// lastUnknown says that the previous attempt's outcome is unknown (see outcomeUnknown).
	lastUnknown bool
	// unknownOutcome records that some attempt's outcome was unknown: the server may have
	// processed it, so a later 409 may be our own create.
	unknownOutcome bool
	// gaveUp, when set, says why retrying stopped early (a Retry-After beyond the deadline).
	gaveUp string
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
// 502, 503, 504) within the call's budget and deadline; never 4xx answers, which would
// fail the same way again.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	o := callOptionsFrom(ctx)
	o.lastUnknown = outcomeUnknown(resp, err)
	if o.lastUnknown {
		o.unknownOutcome = true
	}
	if o.mode == retryNever {
		return false, nil
	}
	retry, err := o.retryable(ctx, resp, err)
	if retry && o.stop != nil && o.stop.Err() != nil {
		// The caller is gone: start no new attempt. (An answer that needs no retry, such
		// as the 201 of a create, is still returned and decoded.)
		return false, o.stop.Err()
	}
	if retry && resp != nil {
		if wait, asked := retryAfter(resp); asked {
			if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
				o.gaveUp = "Connxt asked to retry after " + wait.String() + ", later than the call may take (call_timeout)"
				return false, nil
			}
		}
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
		o.failures++
		return o.failures <= o.maxRetries, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		o.throttles++
		return o.throttles <= ThrottleBudgetFactor*o.maxRetries, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		o.failures++
		return o.failures <= o.maxRetries, nil
	}
	return false, nil
}

// outcomeUnknown reports an attempt that failed without proving that the server did not
// process it: the connection was lost or timed out after the request may have been
// written, a gateway answered 502 or 504 (or another 5xx than 503), or a 500 came without
// a Connxt envelope (so not from the application). A Connxt 500 envelope, a 503 or a 429 is the server saying
// that it did not do the work, and a 4xx refuses it.
func outcomeUnknown(resp *http.Response, err error) bool {
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Op == "dial" {
			return false // no connection, so nothing was sent
		}
		var dnsErr *net.DNSError
		return !errors.As(err, &dnsErr)
	}
	switch resp.StatusCode {
	case http.StatusServiceUnavailable:
		return false
	case http.StatusInternalServerError:
		return !hasEnvelope(resp)
	}
	// 502, 504, and any other 5xx (a proxy's 520 or 524 may come after the work was done).
	return resp.StatusCode >= 500
}

// hasEnvelope reports whether resp's body is a Connxt envelope with a code, and leaves the
// body readable for the caller.
func hasEnvelope(resp *http.Response) bool {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	if err != nil {
		return false
	}
	var env Envelope
	return json.Unmarshal(raw, &env) == nil && env.Code != ""
}

// retryAfter is the wait a 429, 502, 503 or 504 asks for in Retry-After (seconds or an
// HTTP date), if any.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" || resp.StatusCode == http.StatusInternalServerError {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}

// jitteredBackoff honours Retry-After on 429, 502, 503 and 504 (plus a little jitter, so that
// parallel operations told "0" do not come back in lockstep) and otherwise waits an
// exponentially growing time with jitter.
func jitteredBackoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, asked := retryAfter(resp); asked {
			// The wait is capped at maxWait: a server asking for an hour would otherwise
			// hold an apply (and its Ctrl-C) for that long; the call's deadline bounds the sum.
			return min(wait, maxWait) + rand.N(minWait/2+1)
		}
	}
	ceiling := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, nil)
	half := ceiling / 2
	return half + rand.N(half+1)
}

// prepareRetry runs the call's hook before a retry (a create's look-up), but only after an
// attempt whose outcome is unknown: any other failure proves the request was not processed.
func prepareRetry(req *http.Request) error {
	o := callOptionsFrom(req.Context())
	if o.stop != nil && o.stop.Err() != nil {
		return o.stop.Err()
	}
	if o.beforeRetry != nil && o.lastUnknown {
		return o.beforeRetry(req.Context())
	}
	return nil
}
