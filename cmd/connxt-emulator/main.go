// Command connxt-emulator serves the in-memory Connxt V2 API emulator over HTTP, for
// running the Terraform provider (or curl) against a fake Connxt without an account.
//
// On start it prints exactly one line, "connxt-emulator listening on http://HOST:PORT",
// so that scripts can discover the port chosen for --listen 127.0.0.1:0. Requests are
// logged to stderr without bodies, query strings or tokens. SIGINT or SIGTERM shut it
// down gracefully with exit status 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
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
		catalogPath       = fs.String("catalog", "", "catalog JSON `file` (default: the built-in catalog of contract §7)")
		deleteUnsupported = fs.Bool("delete-unsupported", false, "answer DELETE /connxt/v2/psps/{id} with 405, like a server without PSP deletion")
		urlFile           = fs.String("url-file", "", "also write the base URL to this `file` once listening")
		quiet             = fs.Bool("quiet", false, "do not log requests to stderr")
		tokens            stringList
	)
	fs.Var(&tokens, "token", "accepted secret `token` (sec_ + 26 [0-9A-Za-z]); repeat for more environments; each gets\n"+
		"its own brand and environment, derived from the token (default: "+emulator.DefaultToken+")")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: connxt-emulator [flags]\n\nServes a fake Connxt V2 API (and an admin API under /_emulator/) over HTTP.\n\nFlags:\n")
		fs.PrintDefaults()
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

	opts := emulator.Options{DeleteUnsupported: *deleteUnsupported}
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

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "connxt-emulator: %v\n", err)
		return 1
	}
	url := "http://" + ln.Addr().String()
	srv := &http.Server{
		Handler:           emulator.New(opts),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(stderr, nil).WithAttrs([]slog.Attr{slog.String("component", "http")}), slog.LevelWarn),
	}
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

// writeFileAtomic writes via a temporary file and a rename, so that a script polling
// for the file never reads half a URL.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".url-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
