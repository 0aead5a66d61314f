package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// FaultRule describes how requests of one route (or of every route, under the key "*")
// go wrong, so that a client's retries and error handling can be tested. Rates are
// probabilities in [0, 1]. For each request the emulator first waits LatencyMS, then
// draws once: with probability DropRate the connection is closed without an answer,
// with ThrottleRate it answers 429, with ErrorRate one of Statuses; these three are
// exclusive, so their sum must not exceed 1. None of them runs the handler, so nothing
// is committed. Otherwise the request is handled; for POST, CommitDropRate is then the
// probability that the connection is closed instead of delivering the answer although
// the state has changed (a lost response to a committed create).
type FaultRule struct {
	// LatencyMS delays every matching request by this many milliseconds.
	LatencyMS int `json:"latency_ms,omitempty"`
	// DropRate closes the connection before any answer.
	DropRate float64 `json:"drop_rate,omitempty"`
	// ThrottleRate answers 429 with "Retry-After: RetryAfter".
	ThrottleRate float64 `json:"throttle_rate,omitempty"`
	// RetryAfter is the Retry-After of throttled answers, in seconds; 0 is allowed.
	RetryAfter int `json:"retry_after,omitempty"`
	// ErrorRate answers one of Statuses, picked at random.
	ErrorRate float64 `json:"error_rate,omitempty"`
	// Statuses are drawn from for ErrorRate: 500 (a JSON envelope with code 1000, as
	// the application would send), 502, 503 or 504 (an HTML page, as a gateway in front
	// of the application would send). Empty means 500, 502 and 503.
	Statuses []int `json:"statuses,omitempty"`
	// CommitDropRate, for POST only, runs the handler and then closes the connection
	// without sending its answer.
	CommitDropRate float64 `json:"commit_drop_rate,omitempty"`
}

// RateLimit limits requests per secret token with a token bucket: RPS tokens are
// added per second up to Burst, each request takes one, and a request finding none is
// answered 429 with a Retry-After of the seconds until a token is available. Requests
// with a token the emulator does not accept, or none, share a single bucket. A zero RPS
// disables the limit; a zero Burst means max(1, ceil(RPS)).
type RateLimit struct {
	RPS   float64 `json:"rps"`
	Burst int     `json:"burst,omitempty"`
}

// FaultSettings is the one description of the built-in fault injection: the rules by
// route key, the rate limit, and the seed of the generator that decides which requests
// fail. Options.Faults, SetFaults, GET and PUT /_emulator/faults and the command's
// --faults-file, --fault and --rate-limit all take this document, and checkFaults is
// its only validation. Setting it replaces rules and rate limit; a nil Seed keeps the
// generator as it is, and a snapshot always shows the seed last set.
type FaultSettings struct {
	Rules     map[string]FaultRule `json:"rules"`
	RateLimit RateLimit            `json:"rate_limit"`
	Seed      *uint64              `json:"seed,omitempty"`
}

// MaxLatencyMS is the largest LatencyMS a rule may have (ten minutes). A server in
// front of the emulator must let a handler run at least this long.
const MaxLatencyMS = 600000

// defaultFaultStatuses are used when a rule has an ErrorRate but no Statuses.
var defaultFaultStatuses = []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}

// ParseFaults reads a FaultSettings JSON document strictly (an unknown member or a
// second document is an error, so a typo cannot silently disable a fault) and checks
// it. The admin API and the command read fault settings through it alone.
func ParseFaults(rd io.Reader) (FaultSettings, error) {
	var fs FaultSettings
	if err := decodeStrict(rd, &fs); err != nil {
		return fs, fmt.Errorf("fault settings: %w", err)
	}
	return checkFaults(fs)
}

// checkFaults validates fault settings and returns them with defaults filled in.
func checkFaults(fs FaultSettings) (FaultSettings, error) {
	out := FaultSettings{Rules: map[string]FaultRule{}, Seed: fs.Seed}
	for k, r := range fs.Rules {
		if k != "*" && !slices.Contains(RouteKeys(), k) {
			return fs, fmt.Errorf("fault rule key %q is neither \"*\" nor a route key (%s)", k, quotedRouteKeys())
		}
		r, err := checkRule(k, r)
		if err != nil {
			return fs, err
		}
		out.Rules[k] = r
	}
	rl := fs.RateLimit
	if math.IsNaN(rl.RPS) || math.IsInf(rl.RPS, 0) || rl.RPS < 0 || rl.Burst < 0 {
		return fs, errors.New("rate limit: rps and burst must be finite and not negative")
	}
	if rl.RPS > 0 && rl.Burst == 0 {
		rl.Burst = int(math.Max(1, math.Ceil(rl.RPS)))
	}
	out.RateLimit = rl
	return out, nil
}

// checkRule validates one rule and fills in defaults; all its problems are reported.
func checkRule(key string, r FaultRule) (FaultRule, error) {
	var problems []string
	for name, v := range map[string]float64{"drop_rate": r.DropRate, "throttle_rate": r.ThrottleRate, "error_rate": r.ErrorRate, "commit_drop_rate": r.CommitDropRate} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			problems = append(problems, name+" must be between 0 and 1")
		}
	}
	if r.DropRate+r.ThrottleRate+r.ErrorRate > 1+1e-9 {
		problems = append(problems, "drop_rate + throttle_rate + error_rate must not exceed 1")
	}
	if r.LatencyMS < 0 || r.LatencyMS > MaxLatencyMS {
		problems = append(problems, fmt.Sprintf("latency_ms must be between 0 and %d", MaxLatencyMS))
	}
	if r.RetryAfter < 0 {
		problems = append(problems, "retry_after must not be negative")
	}
	for _, s := range r.Statuses {
		if s != 500 && s != 502 && s != 503 && s != 504 {
			problems = append(problems, fmt.Sprintf("status %d is not one of 500, 502, 503, 504", s))
		}
	}
	r.Statuses = append([]int(nil), r.Statuses...) // the caller's slice stays the caller's
	if len(r.Statuses) == 0 && r.ErrorRate > 0 {
		r.Statuses = append(r.Statuses, defaultFaultStatuses...)
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return r, fmt.Errorf("fault rule %q: %s", key, strings.Join(problems, "; "))
	}
	return r, nil
}

// quotedRouteKeys lists the route keys for error messages.
func quotedRouteKeys() string {
	var out []string
	for _, k := range RouteKeys() {
		out = append(out, strconv.Quote(k))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// faultInjector holds the fault settings and decides, per request, what goes wrong.
type faultInjector struct {
	mu      sync.Mutex
	rules   map[string]FaultRule
	limit   RateLimit
	buckets map[string]*bucket // by accepted token value; bounded by the tokens of Options
	others  *bucket            // shared by every other token header value; nil until used
	known   func(token string) bool
	seed    uint64
	rng     *rand.Rand
	now     func() time.Time // real time: rate limits and latency are about wall time
	fail    func(w http.ResponseWriter, status int, code, message string)
}

// bucket is one token's rate limit state.
type bucket struct {
	tokens float64
	last   time.Time
}

// newFaultInjector starts with no faults. A zero seed draws one from the OS. known tells
// the tokens that get a rate limit bucket of their own.
func newFaultInjector(seed uint64, known func(string) bool, fail func(http.ResponseWriter, int, string, string)) *faultInjector {
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &faultInjector{rules: map[string]FaultRule{}, buckets: map[string]*bucket{}, known: known,
		seed: seed, rng: newRand(seed), now: time.Now, fail: fail}
}

// set replaces rules and rate limit, gives every token a full bucket again, and
// reseeds when fs has a seed. It checks everything before changing anything.
func (f *faultInjector) set(fs FaultSettings) error {
	fs, err := checkFaults(fs)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = fs.Rules
	f.limit = fs.RateLimit
	f.buckets = map[string]*bucket{}
	f.others = nil
	if fs.Seed != nil {
		f.seed = *fs.Seed
		f.rng = newRand(f.seed)
	}
	return nil
}

// settings snapshots the configuration.
func (f *faultInjector) settings() FaultSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	rules := make(map[string]FaultRule, len(f.rules))
	for k, r := range f.rules {
		r.Statuses = append([]int(nil), r.Statuses...)
		rules[k] = r
	}
	seed := f.seed
	return FaultSettings{Rules: rules, RateLimit: f.limit, Seed: &seed}
}

// throttle takes a token from the request's bucket. It returns 0 when the request may
// pass, or the whole seconds until a token is available.
//
// Only accepted tokens have a bucket each. Every other value of the token header,
// including none, shares one bucket: they all end in 401, and a bucket per value
// would let a client that makes up a token per request grow memory without bound.
func (f *faultInjector) throttle(token string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limit.RPS <= 0 {
		return 0
	}
	now := f.now()
	full := func() *bucket { return &bucket{tokens: float64(f.limit.Burst), last: now} }
	var b *bucket
	switch {
	case token != "" && f.known(token):
		if b = f.buckets[token]; b == nil {
			b = full()
			f.buckets[token] = b
		}
	default:
		if f.others == nil {
			f.others = full()
		}
		b = f.others
	}
	b.tokens = math.Min(float64(f.limit.Burst), b.tokens+now.Sub(b.last).Seconds()*f.limit.RPS)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return int(math.Max(1, math.Ceil((1-b.tokens)/f.limit.RPS)))
}

// verdict is what happens to one request.
type verdict int

const (
	passThrough verdict = iota
	dropConnection
	answerThrottled
	answerError
)

// decide draws the fate of a request under rule r, and for POST whether to drop the
// committed answer.
func (f *faultInjector) decide(r FaultRule, isPost bool) (v verdict, status int, commitDrop bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.rng.Float64()
	switch {
	case u < r.DropRate:
		v = dropConnection
	case u < r.DropRate+r.ThrottleRate:
		v = answerThrottled
	case u < r.DropRate+r.ThrottleRate+r.ErrorRate:
		v = answerError
		status = r.Statuses[f.rng.IntN(len(r.Statuses))]
	}
	if v == passThrough && isPost && r.CommitDropRate > 0 {
		commitDrop = f.rng.Float64() < r.CommitDropRate
	}
	return v, status, commitDrop
}

// rule finds the rule for a route key: its own, else "*".
func (f *faultInjector) rule(key string) (FaultRule, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.rules[key]; ok && key != "" {
		return r, true
	}
	r, ok := f.rules["*"]
	return r, ok
}

// middleware applies the rate limit and the fault rules to /connxt/v2 requests, ahead
// of authentication: they model trouble in front of, or around, the application.
func (f *faultInjector) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait := f.throttle(r.Header.Get(connxt.TokenHeader)); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			f.fail(w, http.StatusTooManyRequests, codeTooManyRequests, msgTooManyRequests)
			return
		}
		rule, ok := f.rule(RouteKey(r))
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if rule.LatencyMS > 0 {
			// Read the body before waiting: a server's ReadTimeout counts from the
			// start of the request, and a body left unread until after a long delay
			// would fail to read. Handlers read at most maxBody anyway. A body that
			// cannot be read (a stalled client) is for the handler to refuse at once:
			// the server has already given up on the connection.
			if r.Body != nil && r.Body != http.NoBody {
				body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
				if err != nil {
					r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
					next.ServeHTTP(w, r)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			t := time.NewTimer(time.Duration(rule.LatencyMS) * time.Millisecond)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return // the client gave up; nobody is listening
			}
		}
		v, status, commitDrop := f.decide(rule, r.Method == http.MethodPost)
		switch v {
		case dropConnection:
			dropConn(w)
			return
		case answerThrottled:
			w.Header().Set("Retry-After", strconv.Itoa(rule.RetryAfter))
			f.fail(w, http.StatusTooManyRequests, codeTooManyRequests, msgTooManyRequests)
			return
		case answerError:
			if status == http.StatusInternalServerError {
				f.fail(w, status, connxt.CodeServerError, msgServerError)
			} else {
				gatewayError(w, status)
			}
			return
		}
		if commitDrop {
			next.ServeHTTP(&discardWriter{header: http.Header{}}, r)
			dropConn(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errReader fails every read with err.
type errReader struct{ err error }

// Read implements io.Reader.
func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// gatewayError answers like a reverse proxy in front of the API: an HTML page, not a
// Connxt envelope, which clients must cope with.
func gatewayError(w http.ResponseWriter, status int) {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "<html>\r\n<head><title>"+text+"</title></head>\r\n<body>\r\n<center><h1>"+text+"</h1></center>\r\n</body>\r\n</html>\r\n")
}

// dropConn closes the client connection without an answer. Over HTTP/1 it hijacks
// the connection; where that is impossible (HTTP/2) it aborts the handler, which makes
// the server reset the stream.
func dropConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// discardWriter swallows the answer of a request whose response is to be lost.
type discardWriter struct {
	header http.Header
}

// Header implements http.ResponseWriter.
func (d *discardWriter) Header() http.Header { return d.header }

// Write implements http.ResponseWriter.
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteHeader implements http.ResponseWriter.
func (d *discardWriter) WriteHeader(int) {}

// SetFaults replaces the fault settings, as PUT /_emulator/faults does. Rule keys are
// route keys as in Counts (e.g. RouteCreatePSP) or "*" for every /connxt/v2 request
// without a rule of its own; the zero FaultSettings removes every fault and the rate
// limit. Invalid settings change nothing.
func (s *Server) SetFaults(fs FaultSettings) error { return s.faults.set(fs) }
