package connxt

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// The retry policy of one call, read top to bottom:
//   - what is sent again: connection errors (except a certificate the client refuses),
//     and the answers 429, 500, 502, 503 and 504; never another answer, which would come
//     back the same;
//   - how often: maxRetries failures, and ThrottleBudgetFactor × maxRetries rate-limit
//     answers (429), because waiting out a rate limit is expected rather than a failure;
//   - how long between attempts: what Retry-After asks (429, 502, 503, 504), else an
//     exponential backoff with jitter, each wait at most waitMax;
//   - and never past the call's deadline (call_timeout): a wait (Retry-After's or the
//     backoff's) that would end after it stops the call at once, with the reason.
// A call that may do its work twice is never sent again (retryNever); a create is sent
// again only after a look-up when an attempt's outcome is unknown (see create.go).

// retryMode says how a call may be repeated after a failure.
type retryMode int

const (
	// retryIdempotent: GET, PUT and DELETE give the same result when repeated.
	retryIdempotent retryMode = iota
	// retryNever: a repeat could do the work twice (a transaction could charge twice).
	retryNever
	// retryAfterLookup: a create. A failure that proves the request was not processed is
	// sent again; after one whose outcome is unknown, the call's beforeRetry looks for the
	// object first.
	retryAfterLookup
)

// ThrottleBudgetFactor multiplies max_retries for rate-limit answers (429): a
// rate-limited apply of many PSPs sees many of them per call, and each one is waited out
// as the server asks rather than counted as a failure.
const ThrottleBudgetFactor = 10

// retryConfig is the client's budget and backoff, the same for every call.
type retryConfig struct {
	maxRetries       int
	waitMin, waitMax time.Duration
}

// retryPolicy is one call's retry state.
type retryPolicy struct {
	retryConfig
	mode                retryMode
	failures, throttles int
}

// attempt is what one attempt of a call gave: an answer, or a transport error.
type attempt struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// next says whether to send the call again after a, after how long, and, when it stops
// early for its deadline, why.
func (p *retryPolicy) next(a attempt, ctx context.Context) (again bool, wait time.Duration, gaveUp string) {
	if p.mode == retryNever || !p.countAgainstBudget(a) {
		return false, 0, ""
	}
	wait = p.backoff(a)
	if deadline, has := ctx.Deadline(); has && time.Now().Add(wait).After(deadline) {
		if asked, ok := retryAfter(a); ok {
			return false, 0, "Connxt asked to retry after " + asked.String() + ", later than the call may take (call_timeout)"
		}
		return false, 0, "the next attempt would start after the call's deadline (call_timeout)"
	}
	return true, wait, ""
}

// countAgainstBudget counts a failed attempt and reports whether its budget allows
// another.
func (p *retryPolicy) countAgainstBudget(a attempt) bool {
	if a.err != nil {
		if permanentTransportError(a.err) {
			return false
		}
		p.failures++
		return p.failures <= p.maxRetries
	}
	switch a.status {
	case http.StatusTooManyRequests:
		p.throttles++
		return p.throttles <= ThrottleBudgetFactor*p.maxRetries
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		p.failures++
		return p.failures <= p.maxRetries
	}
	return false
}

// backoff is the wait before the next attempt: what Retry-After asks (plus a little
// jitter, so that parallel operations told "0" do not come back in lockstep; the call's
// deadline bounds it, see next), else an exponentially growing wait of at most waitMax,
// half of it random.
func (p *retryPolicy) backoff(a attempt) time.Duration {
	if asked, ok := retryAfter(a); ok {
		return asked + rand.N(p.waitMin/2+1)
	}
	n := p.failures + p.throttles - 1 // attempts already retried
	ceiling := p.waitMax
	if n < 30 {
		ceiling = min(p.waitMin<<n, p.waitMax)
	}
	half := ceiling / 2
	return half + rand.N(half+1)
}

// permanentTransportError reports a transport error that another attempt would meet
// again: a certificate the client does not trust.
func permanentTransportError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// outcomeUnknown reports an attempt that failed without proving that the server did not
// process it: the connection was lost or timed out after the request may have been
// written, a gateway answered 502 or 504 (or another 5xx than 503), or a 500 came without
// a Connxt envelope (so not from the application). A Connxt 500 envelope, a 503 or a 429
// is the server saying that it did not do the work, and a 4xx refuses it.
func outcomeUnknown(a attempt) bool {
	if a.err != nil {
		var opErr *net.OpError
		if errors.As(a.err, &opErr) && opErr.Op == "dial" {
			return false // no connection, so nothing was sent
		}
		var dnsErr *net.DNSError
		return !errors.As(a.err, &dnsErr)
	}
	switch a.status {
	case http.StatusServiceUnavailable:
		return false
	case http.StatusInternalServerError:
		return !hasEnvelope(a.body)
	}
	// 502, 504, and any other 5xx (a proxy's 520 or 524 may come after the work was done).
	return a.status >= 500
}

// hasEnvelope reports whether body is a Connxt envelope with a code.
func hasEnvelope(body []byte) bool {
	var env Envelope
	return json.Unmarshal(body, &env) == nil && env.Code != ""
}

// maxRetryAfterSeconds keeps a huge Retry-After from overflowing a time.Duration; any
// such wait is far beyond every call's deadline anyway.
const maxRetryAfterSeconds = 366 * 24 * 3600

// retryAfter is the wait that a retried answer (429, 502, 503, 504) asks for in
// Retry-After (seconds or an HTTP date), if any.
func retryAfter(a attempt) (time.Duration, bool) {
	switch a.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return 0, false
	}
	v := a.header.Get("Retry-After")
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(min(secs, maxRetryAfterSeconds)) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}
