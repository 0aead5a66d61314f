package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	emu "github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

type machineInfo struct {
	date, goVersion, tfVersion, nproc, cpu, memory string
}

func collectMachineInfo(ctx context.Context) machineInfo {
	m := machineInfo{date: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
	if out, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(string(out))
	}
	if out, err := exec.CommandContext(ctx, "terraform", "version").Output(); err == nil {
		lines := strings.SplitN(strings.TrimSpace(string(out)), "\n", 3)
		m.tfVersion = strings.Join(lines[:min(2, len(lines))], " ")
	}
	if out, err := exec.CommandContext(ctx, "nproc").Output(); err == nil {
		m.nproc = strings.TrimSpace(string(out))
	} else {
		m.nproc = fmt.Sprint(runtime.NumCPU())
	}
	m.cpu = procField("/proc/cpuinfo", "model name")
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		var n float64
		if _, err := fmt.Sscan(strings.TrimSuffix(kb, " kB"), &n); err == nil {
			m.memory = fmt.Sprintf("%.1f GiB (%s)", n/1024/1024, kb)
		}
	}
	return m
}

func procField(file, key string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// select returns the runs matching the filter.
func (h *harness) selectRuns(n int, variant, phase string) []runResult {
	var out []runResult
	for _, r := range h.runs {
		if r.n == n && r.variant == variant && r.phase == phase {
			out = append(out, r)
		}
	}
	return out
}

func seconds(rs []runResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, r.seconds)
	}
	return out
}

func fmtS(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.2f", x)
}

func fmtRatio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// expectation is the target API calls of one connxt phase.
type expectation struct {
	perPSP     map[string]int // route -> calls per PSP (routes not listed: 0)
	perRun     map[string]int // route -> calls per command, whatever N
	catalogMax int            // catalog reads: at most one per provider process that plans
}

// expected: create 1 POST per PSP and no read-after-write, plus one LIST per provider
// process that plans creates: `apply` starts one for its plan (which reports names that
// are already taken) and one for the apply (whose creates note the PSPs that exist before
// the first one, so that a lost answer never adopts one of them); a no-change plan 1 GET per PSP; an update 1 PUT per PSP (plus the refresh GET of the plan inside `apply`); a
// destroy 1 DELETE per PSP (plus its refresh GET). The catalog is read once per
// provider process that plans: `apply` starts one for the plan and one for the apply,
// `plan` one, and `destroy` one for its refresh (its destroy plan does not check).
var expected = map[string]expectation{
	phaseApply:   {perPSP: map[string]int{emu.RouteCreatePSP: 1}, perRun: map[string]int{emu.RouteListPSPs: 2}, catalogMax: 2},
	phasePlan:    {perPSP: map[string]int{emu.RouteGetPSP: 1}, catalogMax: 1},
	phaseUpdate:  {perPSP: map[string]int{emu.RouteUpdatePSP: 1, emu.RouteGetPSP: 1}, catalogMax: 2},
	phaseDestroy: {perPSP: map[string]int{emu.RouteDeletePSP: 1, emu.RouteGetPSP: 1}, catalogMax: 1},
	phaseLatency: {perPSP: map[string]int{emu.RouteCreatePSP: 1}, perRun: map[string]int{emu.RouteListPSPs: 2}, catalogMax: 2},
}

// checkCalls returns what is off target in one run's counts, or nil.
func checkCalls(r runResult) []string {
	var problems []string
	if r.variant != "connxt" {
		if total := sumCounts(r.counts); total != 0 {
			problems = append(problems, fmt.Sprintf("%s of %d %s made %d API calls, want 0", r.phase, r.n, r.variant, total))
		}
		return problems
	}
	exp, ok := expected[r.phase]
	if !ok {
		return nil // the rate-limit run retries by design; it is reported, not checked
	}
	for _, route := range []string{emu.RouteCreatePSP, emu.RouteGetPSP, emu.RouteUpdatePSP, emu.RouteDeletePSP, emu.RouteListPSPs} {
		want := exp.perPSP[route]*r.n + exp.perRun[route]
		if got := r.counts[route]; got != want {
			problems = append(problems, fmt.Sprintf("%s of %d PSPs (rep %d): %d × %s, want %d", r.phase, r.n, r.rep, got, route, want))
		}
	}
	if got := r.counts[emu.RouteFlowTypeDefinitions]; got > exp.catalogMax {
		problems = append(problems, fmt.Sprintf("%s of %d PSPs (rep %d): %d catalog reads, want at most %d (one per provider process that plans)", r.phase, r.n, r.rep, got, exp.catalogMax))
	}
	known := map[string]bool{emu.RouteCreatePSP: true, emu.RouteGetPSP: true, emu.RouteUpdatePSP: true, emu.RouteDeletePSP: true, emu.RouteListPSPs: true, emu.RouteFlowTypeDefinitions: true}
	for k, v := range r.counts {
		if !known[k] && v > 0 {
			problems = append(problems, fmt.Sprintf("%s of %d PSPs (rep %d): %d × %s, want 0", r.phase, r.n, r.rep, v, k))
		}
	}
	return problems
}

func sumCounts(c map[string]int) int {
	t := 0
	for _, v := range c {
		t += v
	}
	return t
}

type report struct {
	markdown      string
	callProblems  []string
	timingSummary string
}

func (h *harness) report(elapsed time.Duration) report {
	o := h.o
	var b strings.Builder
	var rep report
	for _, r := range h.runs {
		rep.callProblems = append(rep.callProblems, checkCalls(r)...)
	}
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	title := "Benchmark results"
	if o.smoke {
		title = "Benchmark smoke run (not a measurement)"
	}
	w("# %s\n\n", title)
	w("Written by the harness `bench/cmd/bench`; do not edit by hand.\n\n")
	w("- command: `%s`\n", o.command)
	w("- date: %s; the run took %s\n", h.machine.date, elapsed.Round(time.Second))
	w("- `go version`: %s\n", h.machine.goVersion)
	w("- `terraform version`: %s\n", h.machine.tfVersion)
	w("- `nproc`: %s; CPU: %s; memory: %s\n", h.machine.nproc, h.machine.cpu, h.machine.memory)
	w("- other load: processes outside the harness used %.0f CPU-s during the measurements, %.0f%% of the machine's %.0f CPU-s (load average %s at the start, %s at the end)",
		h.cpu.foreign, 100*h.cpu.foreignShare, h.cpu.capacity, h.cpu.loadStart, h.cpu.loadEnd)
	if h.cpu.foreignShare > 0.05 {
		w(": **the machine was shared, so the timings are inflated and noisier than on an idle machine**")
	}
	w("\n")
	w("- repetitions: %d per (N, phase, variant), the four variants alternating phase by phase and rotating their order every repetition; figures are medians; Terraform's default parallelism (%d)\n", o.reps, o.parallelism)
	w("- variants: `connxt` = N `connxt_psp` against the emulator (separate process, loopback); `noop` = N `noop_psp` of the no-op baseline provider `bench/noop`, connxt_psp's twin (its schema, validators, plan modifiers, `ValidateConfig` and `ModifyPlan`; no API); `bare` = N `noop_bare` of the same provider (connxt_psp's schema shape with none of that plan-time logic; no API); the provider is served by `provider.Serve`, which switches the SDK's loggers off when no TF_LOG* variable is set (none is, here), while `noop` and `bare` keep the framework's default, as a plain framework provider does; `terraform_data` = N `terraform_data` (Terraform alone)\n")
	w("- configuration: `count = N`, literal Paymaxis target/action/definition ids (no data source), `credential_wo = jsonencode({ apiKey = \"bench\" })` with `credential_wo_version = 1`, one `operation` block; the update phase adds a `description` to every resource\n\n")

	// Wall time.
	w("## Wall time (seconds, median of %d)\n\n", o.reps)
	w("connxt/bare = what the provider adds to the framework's floor for this schema shape (plan-time logic and API), less what it saves by not formatting unread logs; connxt/noop = connxt against its twin, which runs the same plan-time logic without the API but, like bare, still formats the SDK's TRACE logs, so this is the API's cost less that saving; noop/bare = what the plan-time logic costs without the API (both format the logs, so this ratio alone isolates the plan-time logic and is the one to watch for a regression in it).\n\n")
	w("| phase | N | connxt | noop | bare | terraform_data | connxt/bare | connxt/noop | noop/bare | connxt/terraform_data | noop/terraform_data | bare/terraform_data |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	type key struct {
		phase string
		n     int
	}
	med := map[key]map[string]float64{}
	for _, phase := range []string{phaseApply, phasePlan, phaseDestroy} {
		for _, n := range o.ns {
			m := map[string]float64{}
			for _, v := range variants {
				m[v.name] = median(seconds(h.selectRuns(n, v.name, phase)))
			}
			med[key{phase, n}] = m
			w("| %s | %d | %s | %s |\n", phase, n, timeCells(m), ratioCells(m))
		}
	}
	w("\n")
	w("Targets (issue \"Performance\"), for N ≥ %d: connxt/bare ≤ %.2f and connxt/noop ≤ %.2f. ", targetMinN, targetBare, targetTwin)
	w("Two estimates of each ratio: the ratio of the medians above, and the median over the repetitions of the ratio within each repetition (paired: the variants run one after the other within a repetition, so a slow spell of the machine hits both sides of a pair). The verdict (also in the Targets section below) uses the paired one.\n\n")
	if slices.Max(o.ns) < targetMinN {
		w("(No N ≥ %d in this run: nothing to check.)\n\n", targetMinN)
	}
	w("| phase | N | connxt/bare, of medians | paired | per repetition | ≤ %.2f | connxt/noop, of medians | paired | per repetition | ≤ %.2f |\n", targetBare, targetTwin)
	w("|---|---:|---:|---:|---|---|---:|---:|---|---|\n")
	for _, phase := range []string{phaseApply, phasePlan, phaseDestroy} {
		for _, n := range o.ns {
			if n < targetMinN {
				continue
			}
			m := med[key{phase, n}]
			pb, eachB := h.pairedRatio(n, phase, "connxt", "bare")
			pt, eachT := h.pairedRatio(n, phase, "connxt", "noop")
			w("| %s | %d | %s | %.2f | %s | %s | %s | %.2f | %s | %s |\n", phase, n,
				fmtRatio(m["connxt"], m["bare"]), pb, eachB, metWord(pb, targetBare),
				fmtRatio(m["connxt"], m["noop"]), pt, eachT, metWord(pt, targetTwin))
		}
	}
	w("\n")

	// Update, once.
	w("## Update of every resource (description added; measured once, in repetition 1, for N ≤ %d)\n\n", o.updateMaxN)
	w("| N | connxt | noop | bare | terraform_data | connxt/bare | connxt/noop | noop/bare | connxt/terraform_data | noop/terraform_data | bare/terraform_data |\n")
	w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range o.ns {
		if n > o.updateMaxN {
			continue
		}
		m := map[string]float64{}
		for _, v := range variants {
			m[v.name] = median(seconds(h.selectRuns(n, v.name, phaseUpdate)))
		}
		w("| %d | %s | %s |\n", n, timeCells(m), ratioCells(m))
	}
	w("\n")

	// API calls.
	w("## API calls per PSP (connxt; emulator counters reset before and read after each command)\n\n")
	w("POST = create, GET = read one PSP, PUT = update, DELETE = delete, LIST = list all PSPs, per command (once before the first create of an apply, and a create's look-up before a retry); ")
	w("catalog = reads of the flow type definitions, counted per command, not per PSP (the provider reads the catalog once per provider process to validate plans); ")
	w("processes = provider processes Terraform started during the command (seen by the /proc poller). ")
	w("`terraform apply` (update) and `terraform destroy` refresh first, which is the GET per PSP in those rows. ")
	w("Counts were identical in every repetition unless the check column says otherwise; noop, bare and terraform_data made no API calls.\n\n")
	w("| phase | N | POST/PSP | GET/PSP | PUT/PSP | DELETE/PSP | LIST | catalog | processes | target | check |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	targets := map[string]string{
		phaseApply:   "1 POST/PSP, no read-after-write (+ 1 LIST per apply)",
		phasePlan:    "1 GET/PSP + 1 catalog read per provider process",
		phaseUpdate:  "1 PUT/PSP (+ refresh GET)",
		phaseDestroy: "1 DELETE/PSP (+ refresh GET)",
	}
	for _, phase := range []string{phaseApply, phasePlan, phaseUpdate, phaseDestroy} {
		for _, n := range o.ns {
			rs := h.selectRuns(n, "connxt", phase)
			if len(rs) == 0 {
				continue
			}
			r := rs[0]
			var problems []string
			same := true
			for _, x := range rs {
				problems = append(problems, checkCalls(x)...)
				if !sameCounts(x.counts, r.counts) {
					same = false
				}
			}
			check := "ok"
			if len(problems) > 0 {
				check = "**OFF**: " + strings.Join(problems, "; ")
			} else if !same {
				check = "ok (counts varied between repetitions)"
			}
			per := func(route string) string { return fmt.Sprintf("%.2f", float64(r.counts[route])/float64(n)) }
			w("| %s | %d | %s | %s | %s | %s | %d | %d | %d | %s | %s |\n", phase, n, per(emu.RouteCreatePSP), per(emu.RouteGetPSP), per(emu.RouteUpdatePSP), per(emu.RouteDeletePSP),
				r.counts[emu.RouteListPSPs], r.counts[emu.RouteFlowTypeDefinitions], r.procs, targets[phase], check)
		}
	}
	w("\n")

	// Latency and rate limit.
	latRatio, latAddedRatio, rateRatio := math.NaN(), math.NaN(), math.NaN()
	var rateErrors int
	if o.specialN > 0 {
		n := o.specialN
		base := median(seconds(h.selectRuns(n, "connxt", phaseApply)))
		noopBase := median(seconds(h.selectRuns(n, "noop", phaseApply)))
		lat := h.selectRuns(n, "connxt", phaseLatency)
		if len(lat) > 0 {
			calls := float64(lat[0].counts[emu.RouteCreatePSP]) / float64(n)
			floor := float64(n) * calls * float64(o.latencyMS) / 1000 / float64(o.parallelism)
			m := median(seconds(lat))
			latRatio = m / floor
			latAddedRatio = (m - base) / floor
			w("## Apply of %d PSPs with %d ms emulator latency on every API route\n\n", n, o.latencyMS)
			w("floor = N × calls per PSP × latency / parallelism = %d × %.0f × %d ms / %d = **%.2f s**. ", n, calls, o.latencyMS, o.parallelism, floor)
			w("The same apply without latency (median above) takes %s s, and the no-op baseline's %s s: that is Terraform's own work, which the floor leaves out; ", fmtS(base), fmtS(noopBase))
			w("so the table also gives the time the latency added (measured − no-latency median) against the floor. ")
			w("The floor also leaves out round trips that cannot overlap: the catalog reads (last column) and the one listing of existing PSPs that precedes the first create.\n\n")
			w("| runs (s) | median (s) | floor (s) | median/floor | no-latency median (s) | added by latency (s) | added/floor | catalog reads (%d ms each, serial) |\n", o.latencyMS)
			w("|---|---:|---:|---:|---:|---:|---:|---:|\n")
			w("| %s | %s | %.2f | **%.2f** | %s | %.2f | %.2f | %d |\n\n", joinSeconds(lat), fmtS(m), floor, latRatio, fmtS(base), m-base, (m-base)/floor, lat[0].counts[emu.RouteFlowTypeDefinitions])
		}
		rl := h.selectRuns(n, "connxt", phaseRateLimit)
		if len(rl) > 0 {
			burst := 0.0
			if rl[0].extra != nil {
				burst = rl[0].extra["burst"]
			}
			var needed, total, posts, lists []float64
			for _, r := range rl {
				nd := float64(n + r.counts[emu.RouteFlowTypeDefinitions] + expected[phaseApply].perRun[emu.RouteListPSPs])
				needed = append(needed, nd)
				total = append(total, float64(sumCounts(r.counts)))
				posts = append(posts, float64(r.counts[emu.RouteCreatePSP]))
				lists = append(lists, float64(r.counts[emu.RouteListPSPs]))
				rateErrors += r.errors
			}
			m := median(seconds(rl))
			floorNeeded := median(needed) / o.rateRPS
			floorTotal := median(total) / o.rateRPS
			rateRatio = m / floorNeeded
			w("## Apply of %d PSPs with an emulator rate limit of %.0f requests/s per token (burst %.0f)\n\n", n, o.rateRPS, burst)
			w("floor = requests / rate. With the requests the work needs (%d creates, the listing before the first create and the catalog reads) the floor is **%.2f s**; ", n, floorNeeded)
			w("with every request the emulator saw (including those answered 429 and the retries' look-ups) it is %.2f s. ", floorTotal)
			w("Both ignore the initial burst of %.0f free requests, which lowers the true floor by %.2f s. ", burst, burst/o.rateRPS)
			w("Errors are the `Error:` diagnostics in Terraform's output (the command must also exit 0, and the emulator must store exactly %d PSPs afterwards: no duplicates).\n\n", n)
			w("| runs (s) | median (s) | floor, needed requests (s) | median/floor | requests seen (median) | floor, all requests (s) | median/that floor | POST (median) | LIST (median; 1 is the listing before the first create) | errors |\n")
			w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
			w("| %s | %s | %.2f | **%.2f** | %.0f | %.2f | %.2f | %.0f | %.0f | %d |\n\n", joinSeconds(rl), fmtS(m), floorNeeded, rateRatio,
				median(total), floorTotal, m/floorTotal, median(posts), median(lists), rateErrors)
		}
	}

	// Peak RSS.
	nMax := o.ns[len(o.ns)-1]
	w("## Provider processes: peak RSS and CPU time\n\n")
	w("Method: the harness polls /proc every %s while each command runs, follows every process whose executable is the provider binary Terraform started (through the dev_overrides CLI configuration, unwrapped), and keeps the largest VmHWM (the kernel's peak resident set of the process) of any of them; CPU is utime+stime summed over those processes. Peak RSS: the maximum over the repetitions; CPU: the median. The emulator column is the CPU of the emulator process (from /proc) during the connxt commands: what serving the API took from the same two cores.\n\n", o.pollEvery)
	w("| phase | N | connxt peak RSS | noop peak RSS | bare peak RSS | connxt CPU (s) | noop CPU (s) | bare CPU (s) | emulator CPU (s), connxt runs | connxt processes |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var peakMax int64
	for _, phase := range []string{phaseApply, phasePlan, phaseUpdate, phaseDestroy} {
		for _, n := range o.ns {
			c, nr, br := h.selectRuns(n, "connxt", phase), h.selectRuns(n, "noop", phase), h.selectRuns(n, "bare", phase)
			if len(c) == 0 {
				continue
			}
			cp, np := maxPeak(c), maxPeak(nr)
			if n == nMax {
				peakMax = max(peakMax, cp)
			}
			w("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |\n", phase, n, fmtMB(cp), fmtMB(np), fmtMB(maxPeak(br)),
				fmtS(median(cpus(c))), fmtS(median(cpus(nr))), fmtS(median(cpus(br))), fmtS(median(emuCPUs(c))), c[0].procs)
		}
	}
	w("\n")

	// Targets.
	w("## Targets\n\n")
	w("| target | measured | met |\n|---|---|---|\n")
	var missed []string
	verdict := func(name, measured string, ok bool) {
		mark := "yes"
		if !ok {
			mark = "**no**"
			missed = append(missed, name)
		}
		w("| %s | %s | %s |\n", name, measured, mark)
	}
	verdict("API calls per PSP as listed above, every phase and N", fmt.Sprintf("%d problem(s)", len(rep.callProblems)), len(rep.callProblems) == 0)
	if o.smoke {
		w("\nA smoke run checks that every command succeeds and the API calls; its timings and RSS at N = %d are not evaluated against the targets.\n\n", nMax)
		rep.timingSummary = "not evaluated (smoke run)"
		rep.markdown = b.String()
		return rep
	}
	for _, phase := range []string{phaseApply, phasePlan, phaseDestroy} {
		for _, n := range o.ns {
			if n < targetMinN {
				continue
			}
			pb, _ := h.pairedRatio(n, phase, "connxt", "bare")
			verdict(fmt.Sprintf("%s of %d: connxt/bare ≤ %.2f (paired)", phase, n, targetBare), fmt.Sprintf("%.2f", pb), within(pb, targetBare))
			pt, _ := h.pairedRatio(n, phase, "connxt", "noop")
			verdict(fmt.Sprintf("%s of %d: connxt/noop ≤ %.2f (paired)", phase, n, targetTwin), fmt.Sprintf("%.2f", pt), within(pt, targetTwin))
		}
	}
	if !math.IsNaN(latRatio) {
		verdict(fmt.Sprintf("apply of %d with %d ms latency within 1.3 × floor", o.specialN, o.latencyMS), fmt.Sprintf("%.2f × (see the decomposition above)", latRatio), latRatio <= 1.3)
		// The floor leaves out Terraform's own work; what the provider controls is how much
		// time the latency adds, which the floor bounds when calls overlap fully.
		verdict(fmt.Sprintf("time added by %d ms latency within 1.3 × floor", o.latencyMS), fmt.Sprintf("%.2f ×", latAddedRatio), latAddedRatio <= 1.3)
	}
	if !math.IsNaN(rateRatio) {
		verdict(fmt.Sprintf("apply of %d at %.0f rps within 1.2 × floor, 0 errors", o.specialN, o.rateRPS), fmt.Sprintf("%.2f ×, %d errors", rateRatio, rateErrors), rateRatio <= 1.2 && rateErrors == 0)
	}
	verdict(fmt.Sprintf("provider peak RSS < 64 MB at %d PSPs", nMax), fmtMB(peakMax), peakMax > 0 && peakMax < 64*1024)
	w("\n")
	if len(missed) == 0 {
		rep.timingSummary = "all met"
	} else {
		rep.timingSummary = "missed: " + strings.Join(missed, "; ")
	}

	// Every run.
	w("## Every run (seconds)\n\n")
	w("| phase | N | variant | repetitions |\n|---|---:|---|---|\n")
	for _, phase := range []string{phaseApply, phasePlan, phaseUpdate, phaseDestroy} {
		for _, n := range o.ns {
			for _, v := range variants {
				if rs := h.selectRuns(n, v.name, phase); len(rs) > 0 {
					w("| %s | %d | %s | %s |\n", phase, n, v.name, joinSeconds(rs))
				}
			}
		}
	}
	rep.markdown = b.String()
	return rep
}

// The performance targets: connxt_psp within 15 % of a bare framework resource of the
// same schema, and no slower than its no-op twin, at N = 300 and 1000.
const (
	targetMinN = 300
	targetBare = 1.15
	targetTwin = 1.00
)

// within says whether ratio meets limit as the ratio is shown (two decimals).
func within(ratio, limit float64) bool {
	return !math.IsNaN(ratio) && math.Round(100*ratio) <= math.Round(100*limit)
}

// metWord is within for the targets table.
func metWord(ratio, limit float64) string {
	switch {
	case math.IsNaN(ratio):
		return "n/a"
	case within(ratio, limit):
		return "met"
	}
	return "**not met**"
}

// pairedRatio is the median over the repetitions of a's time over b's in the same
// repetition, with those per-repetition ratios listed.
func (h *harness) pairedRatio(n int, phase, a, b string) (float64, string) {
	byRep := map[int]float64{}
	for _, r := range h.selectRuns(n, b, phase) {
		byRep[r.rep] = r.seconds
	}
	var ratios []float64
	var each []string
	for _, r := range h.selectRuns(n, a, phase) {
		if d, ok := byRep[r.rep]; ok && d > 0 {
			ratios = append(ratios, r.seconds/d)
			each = append(each, fmt.Sprintf("%.2f", r.seconds/d))
		}
	}
	return median(ratios), strings.Join(each, ", ")
}

// timeCells are the wall-time cells of one row: connxt, noop, bare, terraform_data.
func timeCells(m map[string]float64) string {
	return strings.Join([]string{fmtS(m["connxt"]), fmtS(m["noop"]), fmtS(m["bare"]), fmtS(m["terraform_data"])}, " | ")
}

// ratioCells are the ratio cells of one row, in the order of the tables' headers.
func ratioCells(m map[string]float64) string {
	return strings.Join([]string{
		fmtRatio(m["connxt"], m["bare"]), fmtRatio(m["connxt"], m["noop"]), fmtRatio(m["noop"], m["bare"]),
		fmtRatio(m["connxt"], m["terraform_data"]), fmtRatio(m["noop"], m["terraform_data"]), fmtRatio(m["bare"], m["terraform_data"]),
	}, " | ")
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func joinSeconds(rs []runResult) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%.2f", r.seconds))
	}
	return strings.Join(parts, ", ")
}

func maxPeak(rs []runResult) int64 {
	var m int64
	for _, r := range rs {
		m = max(m, r.peakKB)
	}
	return m
}

func emuCPUs(rs []runResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, r.emuCPU)
	}
	return out
}

func cpus(rs []runResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, r.cpuSec)
	}
	return out
}
