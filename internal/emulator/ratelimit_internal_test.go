package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// TestRateLimitBucketsAreBounded: a client sending a new made-up token with every
// request must not grow the rate limiter's memory; only accepted tokens get a bucket
// of their own.
func TestRateLimitBucketsAreBounded(t *testing.T) {
	s := New(Options{Faults: FaultSettings{RateLimit: RateLimit{RPS: 1000, Burst: 1000}}})
	for i := range 5000 {
		req := httptest.NewRequest(http.MethodGet, connxt.APIPrefix+connxt.PathPSPs, nil)
		req.Host = "127.0.0.1"
		req.Header.Set(connxt.TokenHeader, fmt.Sprintf("sec_made-up-%d", i))
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, tok := range []string{DefaultToken, SecondToken, DefaultToken} {
		req := httptest.NewRequest(http.MethodGet, connxt.APIPrefix+connxt.PathPSPs, nil)
		req.Header.Set(connxt.TokenHeader, tok)
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	s.faults.mu.Lock()
	n := len(s.faults.buckets)
	s.faults.mu.Unlock()
	if n > len(s.tokens) {
		t.Fatalf("%d rate limit buckets for %d accepted tokens", n, len(s.tokens))
	}
}
