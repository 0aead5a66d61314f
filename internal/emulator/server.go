// Package emulator is an in-memory fake of the Connxt V2 API contract, for tests and
// local runs of the Terraform provider.
//
// It follows the contract (internal/connxt/CONTRACT.md) closely, including its error
// envelopes, so that the provider can be tested against realistic failures without a
// Connxt account. It is an http.Handler: use it in-process with
// httptest.NewServer(emulator.New(opts)), or run the connxt-emulator command.
//
// Everything under /_emulator/ is an unauthenticated admin API for test tooling, meant
// for loopback use only; its requests are not counted and never faulted. It answers
// 403 to requests addressed to a Host that is neither a loopback name or address nor
// one of Options.AdminHosts (DNS rebinding), and to browser requests from another site
// (an Origin other than the emulator's own, or "Sec-Fetch-Site: cross-site"); only
// the payment page is open to all (see guardAdmin):
//
//	GET    /_emulator/requests      {"counts": {"<route key>": n, ...}, "total": n}
//	POST   /_emulator/reset         forget PSPs, transactions and counters (204);
//	                                ?what=counters forgets the counters only
//	GET    /_emulator/psps          every PSP of every environment (credential masked)
//	PUT    /_emulator/psps/{id}     overwrite the members sent (PSP details JSON), as
//	                                a back-office change would (drift); moves updatedAt
//	DELETE /_emulator/psps/{id}     remove a PSP out of band (204)
//	GET    /_emulator/transactions  the transactions created so far
//	GET    /_emulator/config        {"delete_unsupported": false}
//	PUT    /_emulator/config        change delete_unsupported
//	GET    /_emulator/faults        fault rules, rate limit and seed (FaultSettings)
//	PUT    /_emulator/faults        replace them
//	GET    /_emulator/pay/{order}   the fake payment page DEPOSIT redirects point at
//
// A PUT answered 400 changes nothing. The operations that tests in other packages
// need in-process are also methods of Server (Counts, PSPs, SetFaults, ...); the rest
// are reached over HTTP. docs/guides/emulator-admin-api.md documents them all, for
// users.
package emulator

import (
	"context"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// Token is a secret token and the brand and environment it stands for.
type Token struct {
	Token         string
	BrandID       string
	EnvironmentID string
}

// Middleware wraps the handling of every /connxt/v2 request. It runs after the request
// has been counted and matched to a route (see RouteKey) but before authentication, so
// it can short-circuit a request (answer or drop it without running the handler) or act
// after the handler (inspect, delay or discard the answer). Fault injection is built on it.
type Middleware func(next http.Handler) http.Handler

// Options configures a Server. The zero value is a working emulator with the default
// catalog and the tokens DefaultToken and SecondToken.
type Options struct {
	// Tokens lists the accepted secret tokens. Entries with an empty BrandID or
	// EnvironmentID get ids derived from the token (TokenFor). Empty means
	// DefaultToken and SecondToken.
	Tokens []Token

	// Catalog is served by the definitions endpoint and validates PSPs; nil means
	// the built-in example catalog (default_catalog.json).
	Catalog *Catalog

	// DeleteUnsupported makes DELETE /psps/{id} answer 405, like a server without PSP
	// deletion.
	DeleteUnsupported bool

	// Logger receives one line per request (method, path, status, duration). Bodies,
	// query strings, tokens and credentials are never logged. Nil disables logging.
	Logger *slog.Logger

	// Middleware is applied to /connxt/v2 requests, outermost first, inside the
	// built-in fault injection and rate limiting.
	Middleware []Middleware

	// Seed makes generated ids and fault decisions reproducible when non-zero;
	// Faults.Seed, when set, seeds the fault decisions instead.
	Seed uint64

	// Faults are the initial fault settings, in the form SetFaults and the admin API
	// take. New panics if they are invalid, as SetFaults would report.
	Faults FaultSettings

	// AdminHosts are host names or addresses, besides loopback ones, under which the
	// admin API may be addressed (the Host header; ports are ignored), e.g. the
	// address the command was told to listen on. See guardAdmin.
	AdminHosts []string
}

// Server is the emulator. It is an http.Handler and safe for concurrent use.
type Server struct {
	catalog    *Catalog
	tokens     map[string]Token
	now        func() time.Time
	logger     *slog.Logger
	api        http.Handler   // middleware chain around dispatch
	mux        *http.ServeMux // the API's routes; see match
	methods    []string       // the methods of the routes, sorted, for Allow headers
	admin      http.Handler
	adminHosts map[string]bool // extra Host names of the admin API, as hostOnly leaves them

	mu                sync.Mutex // guards everything below
	deleteUnsupported bool
	rng               *rand.Rand
	psps              map[string]*pspRecord
	seq               int64
	txns              []TransactionRecord
	counts            map[string]int

	faults *faultInjector
}

// New builds a Server from opts. It panics on invalid Options.Faults, which are a
// programming error in the calling test.
func New(opts Options) *Server {
	s := &Server{
		catalog:           opts.Catalog,
		tokens:            map[string]Token{},
		now:               time.Now, // tests set a fake clock (export_test.go)
		logger:            opts.Logger,
		deleteUnsupported: opts.DeleteUnsupported,
		rng:               newRand(opts.Seed),
		psps:              map[string]*pspRecord{},
		counts:            map[string]int{},
		adminHosts:        map[string]bool{},
	}
	for _, h := range opts.AdminHosts {
		if h = hostOnly(h); h != "" {
			s.adminHosts[h] = true
		}
	}
	if s.catalog == nil {
		s.catalog = defaultCatalog()
	}
	tokens := opts.Tokens
	if len(tokens) == 0 {
		tokens = []Token{TokenFor(DefaultToken), TokenFor(SecondToken)}
	}
	for _, t := range tokens {
		derived := TokenFor(t.Token)
		if t.BrandID == "" {
			t.BrandID = derived.BrandID
		}
		if t.EnvironmentID == "" {
			t.EnvironmentID = derived.EnvironmentID
		}
		s.tokens[t.Token] = t
	}

	s.mux = s.newAPIMux()
	// s.tokens is complete here and never changes, so the injector may read it unlocked.
	known := func(token string) bool { _, ok := s.tokens[token]; return ok }
	s.faults = newFaultInjector(opts.Seed, known, func(w http.ResponseWriter, status int, code, message string) {
		s.fail(w, status, code, message)
	})
	// Options come from test code: an invalid fault setup is a bug in the test, and
	// failing loudly beats a test that silently runs without its faults.
	if err := s.faults.set(opts.Faults); err != nil {
		panic("emulator: invalid Options.Faults: " + err.Error())
	}

	var h http.Handler = http.HandlerFunc(s.dispatch)
	for i := len(opts.Middleware) - 1; i >= 0; i-- {
		h = opts.Middleware[i](h)
	}
	s.api = s.faults.middleware(h)
	s.admin = s.guardAdmin(s.adminHandler())
	return s
}

// route is one endpoint of the API: its key, which is also its ServeMux pattern, and
// its handler.
type route struct {
	key     string
	handler func(w http.ResponseWriter, r *http.Request, c *call)
}

// call carries what the dispatcher learnt about a request.
type call struct {
	token Token
	id    string // the {id} segment, if any
}

// Route keys: a method, a space and the path pattern, in the syntax of http.ServeMux,
// which routes by them. Counts and fault rules name routes by them; tests and the bench
// harness use these rather than spelling paths out.
const (
	RouteFlowTypeDefinitions = http.MethodGet + " " + connxt.APIPrefix + connxt.PathFlowTypeDefinitions
	RouteCreatePSP           = http.MethodPost + " " + connxt.APIPrefix + connxt.PathPSPsExternal
	RouteListPSPs            = http.MethodGet + " " + connxt.APIPrefix + connxt.PathPSPs
	RouteGetPSP              = http.MethodGet + " " + connxt.APIPrefix + connxt.PathPSPs + "/{id}"
	RouteUpdatePSP           = http.MethodPut + " " + connxt.APIPrefix + connxt.PathPSPs + "/{id}"
	RouteDeletePSP           = http.MethodDelete + " " + connxt.APIPrefix + connxt.PathPSPs + "/{id}"
	RouteCreateTransaction   = http.MethodPost + " " + connxt.APIPrefix + connxt.PathTransactions
)

// routes lists the API; paths come from package connxt so that a change of the
// real API is made in one place.
func (s *Server) routes() []route {
	return []route{
		{RouteFlowTypeDefinitions, s.handleDefinitions},
		{RouteCreatePSP, s.handleCreatePSP},
		{RouteListPSPs, s.handleListPSPs},
		{RouteGetPSP, s.handleGetPSP},
		{RouteUpdatePSP, s.handleUpdatePSP},
		{RouteDeletePSP, s.handleDeletePSP},
		{RouteCreateTransaction, s.handleCreateTransaction},
	}
}

// RouteKeys lists the keys of the API's routes, as used by Counts and fault rules,
// e.g. "POST /connxt/v2/psps/external".
func RouteKeys() []string {
	var keys []string
	for _, rt := range (&Server{}).routes() {
		keys = append(keys, rt.key)
	}
	return keys
}

// newAPIMux registers the routes on a ServeMux. It is used only after match has
// found a route, so that the mux's own plain-text 404 and 405 answers never show.
func (s *Server) newAPIMux() *http.ServeMux {
	mux := http.NewServeMux()
	methods := map[string]bool{}
	for _, rt := range s.routes() {
		handler := rt.handler
		mux.HandleFunc(rt.key, func(w http.ResponseWriter, r *http.Request) {
			handler(w, r, &call{token: s.tokens[r.Header.Get(connxt.TokenHeader)], id: r.PathValue("id")})
		})
		method, _, _ := strings.Cut(rt.key, " ")
		methods[method] = true
	}
	s.methods = slices.Sorted(maps.Keys(methods))
	return mux
}

// routeInfo is what matching found out about a request; it travels in the context.
type routeInfo struct {
	key     string   // route key, or "" when no route matches
	allowed []string // methods allowed on the path when only the method is wrong
}

type routeInfoKey struct{}

// RouteKey returns the route key of an API request seen by a Middleware, e.g.
// "POST /connxt/v2/psps/external", or "" when the request matches no route.
func RouteKey(r *http.Request) string {
	info, _ := r.Context().Value(routeInfoKey{}).(routeInfo)
	return info.key
}

// match finds the route of a request with the API's mux. Two mux habits do not suit
// an API that is strict like the real one: it serves HEAD with the GET route, and it
// redirects a path with "//", "." or ".." segments to its clean form. Both count as
// unmatched here, so that they get the API's own 405 or 404; so does a trailing slash.
func (s *Server) match(r *http.Request) routeInfo {
	if p := r.URL.EscapedPath(); path.Clean(p) != p {
		return routeInfo{}
	}
	if key := s.routeFor(r, r.Method); key != "" {
		return routeInfo{key: key}
	}
	var info routeInfo
	for _, m := range s.methods {
		if s.routeFor(r, m) != "" {
			info.allowed = append(info.allowed, m)
		}
	}
	return info
}

// routeFor is the key of the route that r would take with the given method, or "".
func (s *Server) routeFor(r *http.Request, method string) string {
	probe := *r // a shallow copy, only to ask the mux: it is never served
	probe.Method = method
	if _, key := s.mux.Handler(&probe); strings.HasPrefix(key, method+" ") {
		return key
	}
	return ""
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		if s.logger != nil {
			// Only the path: the query could carry anything, and bodies and headers
			// (the token) must never reach a log.
			s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Duration("duration", time.Since(start)))
		}
	}()

	if r.URL.Path == adminPrefix || strings.HasPrefix(r.URL.Path, adminPrefix+"/") {
		s.admin.ServeHTTP(rec, r)
		return
	}

	info := s.match(r)
	countKey := info.key
	if countKey == "" {
		countKey = r.Method + " " + unmatchedKey
	}
	s.mu.Lock()
	s.counts[countKey]++
	s.mu.Unlock()

	if r.URL.Path != connxt.APIPrefix && !strings.HasPrefix(r.URL.Path, connxt.APIPrefix+"/") {
		s.fail(rec, http.StatusNotFound, connxt.CodeNotFound, msgNoRoute)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), routeInfoKey{}, info))
	s.api.ServeHTTP(rec, r)
}

// unmatchedKey names requests that match no route in the counters.
const unmatchedKey = "(unmatched)"

// dispatch authenticates an API request and hands it to its route's handler.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	info, ok := r.Context().Value(routeInfoKey{}).(routeInfo)
	if !ok {
		info = s.match(r)
	}
	if _, ok := s.tokens[r.Header.Get(connxt.TokenHeader)]; !ok || r.Header.Get(connxt.TokenHeader) == "" {
		s.fail(w, http.StatusUnauthorized, connxt.CodeUnauthorized, msgUnauthorized)
		return
	}
	switch {
	case info.key != "":
		s.mux.ServeHTTP(w, r) // sets the path values the handler reads
	case len(info.allowed) > 0:
		s.methodNotAllowed(w, info.allowed)
	default:
		s.fail(w, http.StatusNotFound, connxt.CodeNotFound, msgNoRoute)
	}
}

// methodNotAllowed answers 405 with the Allow header the HTTP spec requires.
func (s *Server) methodNotAllowed(w http.ResponseWriter, allowed []string) {
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	s.fail(w, http.StatusMethodNotAllowed, codeMethodNotAllowed, msgMethodNotAllowed)
}

// statusRecorder remembers the status for the request log. It forwards Unwrap so that
// http.ResponseController can still reach the connection (fault injection hijacks it).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
