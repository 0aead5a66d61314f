// Command bench is the benchmark harness of terraform-provider-connxt (issue 5).
//
// It builds the provider, the no-op baseline provider (bench/noop) and the Connxt
// emulator, starts the emulator, and times `terraform apply`, a no-change `terraform plan`
// and `terraform destroy` of N connxt_psp, N noop_psp (connxt_psp's schema and plan-time
// logic, no API), N noop_bare (the same schema shape without that logic, no API) and N
// terraform_data resources, alternating the four variants within each repetition. It
// reads the emulator's request counters around every command (API calls per resource),
// measures the provider processes' peak RSS, reruns the 200-PSP apply with emulator
// latency and with a rate limit, and writes a Markdown report (bench/RESULTS.md by
// default) that it also prints.
//
// Run it from bench/, its own module:
//
//	go run ./cmd/bench                 # what `make bench` runs
//	go run ./cmd/bench -smoke          # N=10, 1 repetition, strict checks (make bench-smoke)
//	go run ./cmd/bench -profile DIR    # CPU/heap profiles of the provider at the largest N
//
// It exits non-zero when a terraform command fails, a no-change plan is not empty, or the
// API calls per resource are off target. Timing targets are reported, not enforced.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	ns          []int
	reps        int
	out         string
	command     string
	smoke       bool
	specialN    int
	updateMaxN  int
	latencyMS   int
	rateRPS     float64
	parallelism int
	keep        bool
	profileDir  string
	pollEvery   time.Duration
}

func main() {
	os.Exit(run())
}

func parseFlags() (*options, error) {
	o := &options{}
	var ns string
	flag.StringVar(&ns, "n", "50,300,1000", "comma-separated numbers of resources")
	flag.IntVar(&o.reps, "reps", 3, "repetitions of every (N, phase, variant) measurement")
	flag.StringVar(&o.out, "out", "RESULTS.md", "where to write the Markdown report (\"-\": stdout only)")
	flag.StringVar(&o.command, "command", "", "the command to record in the report (default: this program's arguments)")
	flag.BoolVar(&o.smoke, "smoke", false, "smoke run: N=10, 1 repetition, no latency or rate-limit runs, report to a temp file")
	flag.IntVar(&o.specialN, "special-n", 300, "number of PSPs of the latency and rate-limit runs, one of -n so that they have baselines (0: skip them)")
	flag.IntVar(&o.updateMaxN, "update-max-n", 300, "measure the update phase (once, in the first repetition) for every N up to this")
	flag.IntVar(&o.latencyMS, "latency-ms", 50, "emulator latency of the latency run, on every API route")
	flag.Float64Var(&o.rateRPS, "rate-rps", 50, "per-token emulator rate limit of the rate-limit run")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (configurations, logs, state)")
	flag.StringVar(&o.profileDir, "profile", "", "instead of timing, profile the provider (CPU and allocations) for apply, plan and destroy at the largest N, into this directory")
	flag.DurationVar(&o.pollEvery, "poll", 25*time.Millisecond, "interval of the /proc polling that measures the provider's RSS")
	flag.Parse()
	if flag.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", flag.Arg(0))
	}
	o.parallelism = 10 // Terraform's default; the harness never passes -parallelism
	if o.smoke {
		ns, o.reps, o.specialN = "10", 1, 0
		if !isFlagSet("out") {
			o.out = ""
		}
	}
	for _, f := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n: %q is not a positive number", f)
		}
		o.ns = append(o.ns, n)
	}
	slices.Sort(o.ns)
	if o.reps < 1 {
		return nil, errors.New("-reps must be at least 1")
	}
	if o.command == "" {
		o.command = "go run ./cmd/bench " + strings.Join(os.Args[1:], " ")
		o.command = strings.TrimSpace(o.command)
	}
	return o, nil
}

func isFlagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

func run() int {
	start := time.Now()
	o, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	h, err := setup(ctx, o)
	if h != nil {
		defer h.cleanup()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: FAILED:", err)
		return 1
	}
	if o.profileDir != "" {
		if err := h.profile(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: FAILED:", err)
			return 1
		}
		fmt.Printf("bench: profiles written to %s (%s)\n", o.profileDir, time.Since(start).Round(time.Second))
		return 0
	}

	runErr := h.measure()
	if runErr != nil {
		fmt.Fprintln(os.Stderr, "bench: FAILED:", runErr)
		fmt.Printf("bench: FAILED after %s: %v\n", time.Since(start).Round(time.Second), runErr)
		return 1
	}
	rep := h.report(time.Since(start))
	fmt.Print(rep.markdown)
	out := o.out
	if out == "" {
		f, err := os.CreateTemp("", "bench-smoke-*.md")
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
		out = f.Name()
		_ = f.Close()
	}
	if out != "-" {
		if err := os.WriteFile(out, []byte(rep.markdown), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
	}
	elapsed := time.Since(start).Round(time.Second)
	if len(rep.callProblems) > 0 {
		fmt.Printf("\nbench: FAILED after %s: API calls off target:\n  %s\n(report: %s)\n", elapsed, strings.Join(rep.callProblems, "\n  "), out)
		return 1
	}
	fmt.Printf("\nbench: OK in %s: every terraform command succeeded, every no-change plan was empty, API calls on target; timing targets %s (report: %s)\n",
		elapsed, rep.timingSummary, out)
	return 0
}

// harness holds what setup built.
type harness struct {
	ctx       context.Context
	o         *options
	work      string
	bin       string // dir of terraform-provider-connxt and terraform-provider-noop
	connxtBin string
	noopBin   string
	terraform string
	env       []string
	emu       *emulator
	machine   machineInfo
	runs      []runResult
	seq       int
	cpu       cpuAccount
}

func setup(ctx context.Context, o *options) (*harness, error) {
	for _, tool := range []string{"go", "terraform"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is not on the PATH", tool)
		}
	}
	tf, _ := exec.LookPath("terraform")
	tf, _ = filepath.Abs(tf)
	work, err := os.MkdirTemp("", "connxt-bench-")
	if err != nil {
		return nil, err
	}
	h := &harness{ctx: ctx, o: o, work: work, bin: filepath.Join(work, "bin"), terraform: tf}
	h.connxtBin = filepath.Join(h.bin, "terraform-provider-connxt")
	h.noopBin = filepath.Join(h.bin, "terraform-provider-noop")

	benchRoot, providerRoot, err := moduleRoots()
	if err != nil {
		return h, err
	}
	logf("building the provider, the no-op baseline and the emulator into %s", h.bin)
	// Each binary is built in the module it belongs to: the provider and the emulator with
	// the provider's own go.mod, exactly as shipped; the baseline with bench's.
	builds := [][3]string{
		{h.connxtBin, providerRoot, "."},
		{h.noopBin, benchRoot, "./noop"},
		{filepath.Join(h.bin, "connxt-emulator"), providerRoot, "./cmd/connxt-emulator"},
	}
	if o.profileDir != "" {
		// The profiling build replaces the provider: same code, plus a pprof hook.
		builds[0][1], builds[0][2] = benchRoot, "./profprovider"
	}
	// noop_bare must keep connxt_psp's schema shape, or the comparison means nothing.
	shape := exec.CommandContext(ctx, "go", "test", "-count=1", "-run", "^TestBareHasTheShapeOfConnxtPSP$", "./noop")
	shape.Dir = benchRoot
	if out, err := shape.CombinedOutput(); err != nil {
		return h, fmt.Errorf("noop_bare no longer has connxt_psp's schema shape (go test ./noop in %s): %w\n%s", benchRoot, err, out)
	}
	for _, b := range builds {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", b[0], b[2])
		cmd.Dir = b[1]
		if out, err := cmd.CombinedOutput(); err != nil {
			return h, fmt.Errorf("go build %s in %s: %w\n%s", b[2], b[1], err, out)
		}
	}

	rc := filepath.Join(work, "terraformrc")
	err = os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "fynxt/connxt" = %q
    "fynxt/noop"   = %q
  }
  direct {}
}
`, h.bin, h.bin)), 0o644)
	if err != nil {
		return h, err
	}

	h.emu, err = startEmulator(filepath.Join(h.bin, "connxt-emulator"), work)
	if err != nil {
		return h, err
	}
	logf("emulator at %s", h.emu.url)

	// A clean environment: nothing from the caller's TF_* or CONNXT_* settings leaks in.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "CONNXT_") || strings.HasPrefix(kv, "CHECKPOINT_") {
			continue
		}
		h.env = append(h.env, kv)
	}
	h.env = append(h.env,
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"CONNXT_BASE_URL="+h.emu.url,
		"CONNXT_SECRET_TOKEN="+emulatorToken,
	)
	if o.profileDir != "" {
		abs, err := filepath.Abs(o.profileDir)
		if err != nil {
			return h, err
		}
		o.profileDir = abs
	}
	h.machine = collectMachineInfo(ctx)
	return h, nil
}

func (h *harness) cleanup() {
	h.emu.stop()
	if h.o.keep {
		logf("work directory kept: %s", h.work)
		return
	}
	_ = os.RemoveAll(h.work)
}

// moduleRoots returns the directories of the bench module and of the provider module
// that bench's go.mod replaces with a local path, so that the harness always builds the
// provider from the same tree as the baseline.
func moduleRoots() (bench, provider string, err error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if err != nil {
		return "", "", fmt.Errorf("run the harness from inside bench/: go list -m: %w", err)
	}
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if path != benchModule {
		return "", "", fmt.Errorf("run the harness from inside bench/ (module %s), not from %s", benchModule, path)
	}
	out, err = exec.Command("go", "list", "-m", "-f", "{{.Dir}}", providerModule).Output()
	if err != nil {
		return "", "", fmt.Errorf("go list -m %s: %w", providerModule, err)
	}
	return dir, strings.TrimSpace(string(out)), nil
}

const (
	benchModule    = "github.com/fynxt/terraform-provider-connxt/bench"
	providerModule = "github.com/fynxt/terraform-provider-connxt"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func evalSymlinks(p string) (string, error) { return filepath.EvalSymlinks(p) }
