// Command connxt-emulator serves the in-memory Connxt V2 API emulator over HTTP, for
// running the Terraform provider (or curl) against a fake Connxt without an account.
//
// On start it prints exactly one line, "connxt-emulator listening on http://HOST:PORT",
// so that scripts can discover the port chosen for --listen 127.0.0.1:0. Requests are
// logged to stderr without bodies, query strings or tokens. SIGINT or SIGTERM shut it
// down gracefully with exit status 0.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// stringList is a repeatable string flag.
type stringList []string

// String implements flag.Value.
func (l *stringList) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// shutdownTimeout bounds how long in-flight requests may delay exit after a signal.
const shutdownTimeout = 5 * time.Second

// run is main without the process: it serves until ctx ends and returns the exit
// status (0 ok, 1 runtime failure, 2 bad usage), which keeps it testable in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("connxt-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		listen            = fs.String("listen", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free port")
		catalogPath       = fs.String("catalog", "", "catalog JSON `file` (default: the built-in example catalog of internal/connxt/CONTRACT.md §7)")
		deleteUnsupported = fs.Bool("delete-unsupported", false, "answer DELETE /connxt/v2/psps/{id} with 405, like a server without PSP deletion")
		urlFile           = fs.String("url-file", "", "also write the base URL to this `file` once listening")
		quiet             = fs.Bool("quiet", false, "do not log requests to stderr")
		faultsFile        = fs.String("faults-file", "", "fault settings JSON `file`, the document of GET/PUT /_emulator/faults (see below)")
		rateLimit         = fs.String("rate-limit", "", "per-token request limit `RPS[,BURST]`, answered 429 with Retry-After (e.g. 5 or 5,10)")
		seed              = fs.Uint64("seed", 0, "`seed` for generated ids and fault decisions, for reproducible runs (0: random)")
		tokens            stringList
		faults            stringList
		adminHosts        stringList
		limits            = defaultTimeouts
	)
	fs.DurationVar(&limits.readHeader, "read-header-timeout", limits.readHeader, "close a connection whose request header takes longer than this `duration`")
	fs.DurationVar(&limits.read, "read-timeout", limits.read, "close a connection whose request (header and body) takes longer than this `duration`")
	fs.DurationVar(&limits.idle, "idle-timeout", limits.idle, "close a kept-alive connection idle for this `duration`")
	fs.Var(&tokens, "token", "accepted secret `token` (sec_ + 26 [0-9A-Za-z]); repeat for more environments; each gets\n"+
		"its own brand and environment, derived from the token (default: "+emulator.DefaultToken+")")
	fs.Var(&faults, "fault", "fault rule `'ROUTE:param=value,...'`; repeatable (see below)")
	fs.Var(&adminHosts, "admin-host", "also accept admin API requests addressed to this host `name` (besides loopback names and\n"+
		"the --listen host); repeatable, e.g. the service name of the emulator in a container network")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: connxt-emulator [flags]\n\nServes a fake Connxt V2 API over HTTP, and under /_emulator/ an unauthenticated admin API\nfor test tooling on the same machine (see docs/guides/emulator-admin-api.md).\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(stderr, faultHelp())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "connxt-emulator: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	if limits.readHeader <= 0 || limits.read <= 0 || limits.idle <= 0 {
		fmt.Fprintln(stderr, "connxt-emulator: --read-header-timeout, --read-timeout and --idle-timeout must be positive")
		return 2
	}

	opts := emulator.Options{DeleteUnsupported: *deleteUnsupported, Seed: *seed, AdminHosts: adminHosts}
	if host := listenHost(*listen); host != "" {
		opts.AdminHosts = append(opts.AdminHosts, host)
	}
	settings, err := faultSettings(*faultsFile, faults, *rateLimit)
	if err != nil {
		fmt.Fprintf(stderr, "connxt-emulator: %v\n", err)
		return 2
	}
	if len(tokens) == 0 {
		tokens = stringList{emulator.DefaultToken}
	}
	seen := map[string]bool{}
	for i, t := range tokens {
		// Never echo a token: it is a secret even here.
		if !emulator.ValidTokenFormat(t) {
			fmt.Fprintf(stderr, "connxt-emulator: --token #%d is not \"sec_\" followed by 26 characters [0-9A-Za-z]\n", i+1)
			return 2
		}
		if seen[t] {
			fmt.Fprintf(stderr, "connxt-emulator: --token #%d repeats an earlier token\n", i+1)
			return 2
		}
		seen[t] = true
		opts.Tokens = append(opts.Tokens, emulator.TokenFor(t))
	}
	if *catalogPath != "" {
		cat, err := emulator.LoadCatalog(*catalogPath)
		if err != nil {
			fmt.Fprintf(stderr, "connxt-emulator: %v\n", err)
			return 2
		}
		opts.Catalog = cat
	}
	if !*quiet {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}

	opts.Faults = settings
	emu := emulator.New(opts)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "connxt-emulator: %v\n", err)
		return 1
	}
	url := "http://" + ln.Addr().String()
	srv := newHTTPServer(emu, limits, stderr)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, url+"\n"); err != nil {
			fmt.Fprintf(stderr, "connxt-emulator: --url-file: %v\n", err)
			_ = srv.Close()
			return 1
		}
	}
	fmt.Fprintf(stdout, "connxt-emulator listening on %s\n", url)

	select {
	case err := <-served:
		fmt.Fprintf(stderr, "connxt-emulator: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "connxt-emulator: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// listenHost is the host of --listen when it names one address or name, which clients
// may then use to reach the admin API; "" for a wildcard (":8080", "0.0.0.0:8080"),
// which names no host.
func listenHost(listen string) string {
	host, _, err := net.SplitHostPort(listen)
	if err != nil || host == "" {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return ""
	}
	return host
}

// writeFileAtomic writes via a temporary file and a rename, so that a script polling
// for the file never reads half a URL.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".url-*")
	if err != nil {
		return err
	}
	// After the rename the temporary name is gone and Remove fails harmlessly.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close() // the write error is the one to report
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// faultHelp explains the fault flags; it lists the route keys from the emulator so
// that the help cannot go stale.
func faultHelp() string {
	var b strings.Builder
	b.WriteString(`
Fault injection (only /connxt/v2 requests; the admin API is never affected):
  The flags below all describe one document, the JSON of GET/PUT /_emulator/faults:
      {"rules": {"ROUTE": {"param": value, ...}, ...}, "rate_limit": {"rps": R, "burst": B}, "seed": N}
  --faults-file takes that document; --fault and --rate-limit are shorthands for one
  entry of it and override the file's:
  --fault 'ROUTE:param=value,...' is the rule {"param": value, ...} of ROUTE, which is
  "*" (every request without a rule of its own) or one of:
`)
	for _, k := range emulator.RouteKeys() {
		b.WriteString("      " + k + "\n")
	}
	b.WriteString(`  params (rates are probabilities in [0,1]; drop_rate + throttle_rate + error_rate <= 1):
      latency_ms=N          delay every request by N milliseconds
      drop_rate=R           close the connection without an answer (nothing committed)
      throttle_rate=R       answer 429 ...
      retry_after=S         ... with "Retry-After: S" (seconds, default 0)
      error_rate=R          answer one of status=... (nothing committed)
      status=500|502|503    "statuses" for error_rate (500, 502, 503, 504; default 500|502|503);
                            500 is a JSON envelope (code 1000), 502-504 a gateway HTML page
      commit_drop_rate=R    POST only: run the request, then close the connection unanswered
  e.g.  --fault 'POST /connxt/v2/psps/external:error_rate=0.2,status=500|502|503'
        --fault '*:latency_ms=50,throttle_rate=0.1,retry_after=1'
  --rate-limit RPS[,BURST] is {"rps": RPS, "burst": BURST} (default burst ceil(RPS)).
  e.g.  --faults-file with {"rules": {"*": {"error_rate": 0.1, "statuses": [503]}}, "seed": 1}
`)
	return b.String()
}

// faultSettings combines --faults-file, --fault and --rate-limit into one FaultSettings.
// The flags are shorthands: each is rewritten into a small document of the same JSON
// shape and read by emulator.ParseFaults, like the file, so that there is one format
// and one validation. A flag replaces the file's entry it names.
func faultSettings(file string, specs []string, rateLimit string) (emulator.FaultSettings, error) {
	settings := emulator.FaultSettings{Rules: map[string]emulator.FaultRule{}}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return settings, fmt.Errorf("--faults-file: %w", err)
		}
		defer func() { _ = f.Close() }() // read-only: a close error loses nothing
		if settings, err = emulator.ParseFaults(f); err != nil {
			return settings, fmt.Errorf("--faults-file %s: %w", file, err)
		}
	}
	for _, spec := range specs {
		key, rule, err := parseFault(spec)
		if err != nil {
			return settings, err
		}
		settings.Rules[key] = rule
	}
	if rateLimit != "" {
		rl, err := parseRateLimit(rateLimit)
		if err != nil {
			return settings, err
		}
		settings.RateLimit = rl
	}
	return settings, nil
}

// parseFault reads 'ROUTE:param=value,...' as the rule {"param": value, ...} of ROUTE;
// "status=500|502" stands for "statuses": [500, 502]. The route is split off at the
// last colon, as route keys contain none and parameter values contain none either.
func parseFault(spec string) (string, emulator.FaultRule, error) {
	i := strings.LastIndex(spec, ":")
	if i <= 0 {
		return "", emulator.FaultRule{}, fmt.Errorf("--fault %q: want 'ROUTE:param=value,...'", spec)
	}
	key, params := strings.TrimSpace(spec[:i]), spec[i+1:]
	bad := func(format string, args ...any) (string, emulator.FaultRule, error) {
		return "", emulator.FaultRule{}, fmt.Errorf("--fault %q: "+format, append([]any{spec}, args...)...)
	}
	rule := map[string]any{}
	for _, p := range strings.Split(params, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			return bad("%q is not param=value", p)
		}
		if name == "status" || name == "statuses" {
			var statuses []float64
			for _, v := range strings.Split(value, "|") {
				n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					return bad("%s: %q is not a number", name, value)
				}
				statuses = append(statuses, n)
			}
			rule["statuses"] = statuses
			continue
		}
		n, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return bad("%s: %q is not a number", name, value)
		}
		rule[name] = n
	}
	fs, err := parseShorthand(map[string]any{"rules": map[string]any{key: rule}})
	if err != nil {
		return bad("%v", err)
	}
	return key, fs.Rules[key], nil
}

// parseRateLimit reads 'RPS[,BURST]' as {"rps": RPS, "burst": BURST}.
func parseRateLimit(v string) (emulator.RateLimit, error) {
	rps, burst, hasBurst := strings.Cut(v, ",")
	limit := map[string]any{}
	for name, value := range map[string]string{"rps": rps, "burst": burst} {
		if name == "burst" && !hasBurst {
			continue
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return emulator.RateLimit{}, fmt.Errorf("--rate-limit %q: want RPS[,BURST]", v)
		}
		limit[name] = n
	}
	fs, err := parseShorthand(map[string]any{"rate_limit": limit})
	if err != nil {
		return emulator.RateLimit{}, fmt.Errorf("--rate-limit %q: %w", v, err)
	}
	return fs.RateLimit, nil
}

// parseShorthand reads what a flag stands for through the same parser as the file.
func parseShorthand(doc map[string]any) (emulator.FaultSettings, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return emulator.FaultSettings{}, err // only for a value JSON cannot hold, e.g. Inf
	}
	return emulator.ParseFaults(bytes.NewReader(raw))
}
