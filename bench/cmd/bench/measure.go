package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	emu "github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// Phases of the main runs, and of the two special runs.
const (
	phaseApply     = "apply"
	phasePlan      = "plan"
	phaseUpdate    = "update"
	phaseDestroy   = "destroy"
	phaseLatency   = "apply, latency"
	phaseRateLimit = "apply, rate limit"
)

// runResult is one timed terraform command.
type runResult struct {
	rep     int
	n       int
	variant string
	phase   string
	seconds float64
	counts  map[string]int // emulator request counts during the command
	peakKB  int64          // provider processes' peak VmHWM
	procs   int            // provider processes seen
	cpuSec  float64        // provider processes' CPU time
	emuCPU  float64        // the emulator's CPU time during the command (the API's cost on this machine)
	errors  int            // "Error:" diagnostics in the output (rate-limit run)
	stored  int            // PSPs stored by the emulator after the command (rate-limit run)
	extra   map[string]float64
}

// tfRun runs one terraform command in dir, timing it and watching the provider
// processes. okCodes are the exit codes that count as success.
func (h *harness) tfRun(dir, logName string, okCodes []int, args ...string) (res runResult, err error) {
	logPath := filepath.Join(dir, logName+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(h.ctx, h.terraform, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = h.env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// On Ctrl-C, let terraform stop its providers itself.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second

	watch := newProcWatch(h.o.pollEvery, h.terraform, h.connxtBin, h.noopBin)
	watch.start()
	emuBefore := pidSeconds(h.emu.cmd.Process.Pid)
	start := time.Now()
	runErr := cmd.Run()
	res.seconds = time.Since(start).Seconds()
	res.emuCPU = pidSeconds(h.emu.cmd.Process.Pid) - emuBefore
	res.peakKB, res.procs, res.cpuSec = watch.finish()
	if cmd.ProcessState != nil {
		h.cpu.commands += (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}

	code := 0
	if runErr != nil {
		var exitErr *exec.ExitError
		if !errors.As(runErr, &exitErr) {
			return res, fmt.Errorf("terraform %s in %s: %w", args[0], dir, runErr)
		}
		code = exitErr.ExitCode()
	}
	_ = logFile.Sync()
	raw, _ := os.ReadFile(logPath)
	res.errors = bytes.Count(raw, []byte("Error: "))
	for _, ok := range okCodes {
		if code == ok {
			return res, nil
		}
	}
	return res, fmt.Errorf("terraform %s in %s exited %d (want %v); the end of its output:\n%s",
		strings.Join(args, " "), dir, code, okCodes, tail(raw, 40))
}

func tail(raw []byte, lines int) string {
	all := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// phaseArgs are the terraform arguments of each phase; the harness never passes
// -parallelism, so Terraform's default (10) applies.
func phaseArgs(phase string) ([]string, []int) {
	switch phase {
	case phasePlan:
		// -detailed-exitcode: 0 = no changes, 2 = changes; only 0 is a success here.
		return []string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, []int{0}
	case phaseDestroy:
		return []string{"destroy", "-auto-approve", "-input=false", "-no-color"}, []int{0}
	default: // apply, update and the special applies
		return []string{"apply", "-auto-approve", "-input=false", "-no-color"}, []int{0}
	}
}

// measureOne runs one phase of one variant, with the emulator's counters reset before
// and read after.
func (h *harness) measureOne(rep, n int, v variant, phase, dir string) (runResult, error) {
	if err := h.emu.resetCounters(); err != nil {
		return runResult{}, err
	}
	args, ok := phaseArgs(phase)
	h.seq++
	res, err := h.tfRun(dir, fmt.Sprintf("%02d-%s", h.seq, strings.NewReplacer(" ", "", ",", "-").Replace(phase)), ok, args...)
	res.rep, res.n, res.variant, res.phase = rep, n, v.name, phase
	if err != nil {
		return res, err
	}
	if res.counts, err = h.emu.counts(); err != nil {
		return res, err
	}
	h.runs = append(h.runs, res)
	logf("rep %d  N=%-5d %-17s %-15s %7.2fs  calls %s  provider peak %s, %d proc, %.1fs CPU",
		rep, n, phase, v.name, res.seconds, describeCounts(res.counts), fmtMB(res.peakKB), res.procs, res.cpuSec)
	return res, nil
}

func describeCounts(c map[string]int) string {
	if len(c) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range []string{emu.RouteCreatePSP, emu.RouteGetPSP, emu.RouteUpdatePSP, emu.RouteDeletePSP, emu.RouteListPSPs, emu.RouteFlowTypeDefinitions} {
		if c[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", shortRoute(k), c[k]))
		}
	}
	for k, v := range c {
		if shortRoute(k) == k && v > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, v))
		}
	}
	return strings.Join(parts, ", ")
}

func shortRoute(k string) string {
	switch k {
	case emu.RouteCreatePSP:
		return "POST"
	case emu.RouteGetPSP:
		return "GET"
	case emu.RouteUpdatePSP:
		return "PUT"
	case emu.RouteDeletePSP:
		return "DELETE"
	case emu.RouteListPSPs:
		return "LIST"
	case emu.RouteFlowTypeDefinitions:
		return "catalog"
	}
	return k
}

func fmtMB(kb int64) string {
	if kb == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}

// newDir creates a fresh configuration directory.
func (h *harness) newDir(name, content string) (string, error) {
	dir := filepath.Join(h.work, "runs", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o644)
}

// measure runs everything the report needs.
func (h *harness) measure() error {
	o := h.o
	logf("%d repetition(s) of N=%v, variants alternating; latency/rate-limit runs at N=%d: %v",
		o.reps, o.ns, o.specialN, o.specialN > 0)
	h.cpu.begin(h.emu.cmd.Process.Pid)
	defer h.cpu.end(h.emu.cmd.Process.Pid, runtime.NumCPU())
	for rep := 1; rep <= o.reps; rep++ {
		// Rotate the order of the variants so that none is always first or last.
		order := append(append([]variant{}, variants[(rep-1)%len(variants):]...), variants[:(rep-1)%len(variants)]...)
		for _, n := range o.ns {
			if err := h.measureN(rep, n, order); err != nil {
				return err
			}
		}
		if o.specialN > 0 {
			if err := h.measureSpecial(rep); err != nil {
				return err
			}
		}
	}
	return nil
}

// measureN times apply, plan, (update in the first repetition) and destroy of n
// resources, the variants interleaved phase by phase.
func (h *harness) measureN(rep, n int, order []variant) error {
	dirs := map[string]string{}
	tags := map[string]string{}
	for _, v := range order {
		tag := fmt.Sprintf("r%dn%d", rep, n)
		tags[v.name] = tag
		dir, err := h.newDir(fmt.Sprintf("%s-%s", tag, v.name), configuration(v, n, tag, false))
		if err != nil {
			return err
		}
		dirs[v.name] = dir
	}
	phases := []string{phaseApply, phasePlan}
	if rep == 1 && n <= h.o.updateMaxN {
		phases = append(phases, phaseUpdate)
	}
	phases = append(phases, phaseDestroy)
	for _, phase := range phases {
		for _, v := range order {
			if phase == phaseUpdate {
				if err := os.WriteFile(filepath.Join(dirs[v.name], "main.tf"), []byte(configuration(v, n, tags[v.name], true)), 0o644); err != nil {
					return err
				}
			}
			if _, err := h.measureOne(rep, n, v, phase, dirs[v.name]); err != nil {
				return err
			}
		}
	}
	if left, err := h.emu.pspCount(); err != nil {
		return err
	} else if left != 0 {
		return fmt.Errorf("after destroying N=%d the emulator still stores %d PSPs", n, left)
	}
	if !h.o.keep {
		for _, d := range dirs {
			_ = os.RemoveAll(d)
		}
	}
	return nil
}

// measureSpecial reruns the connxt apply at specialN with latency on every API route,
// and with a per-token rate limit.
func (h *harness) measureSpecial(rep int) error {
	n := h.o.specialN
	connxt := variants[0]
	// With no N=specialN in the main runs, time a plain apply for the comparison.
	if !containsInt(h.o.ns, n) {
		if err := h.specialRun(rep, n, connxt, phaseApply, faultSettings{}); err != nil {
			return err
		}
	}
	lat := faultSettings{Rules: map[string]emu.FaultRule{"*": {LatencyMS: h.o.latencyMS}}}
	if err := h.specialRun(rep, n, connxt, phaseLatency, lat); err != nil {
		return err
	}
	rate := faultSettings{RateLimit: emu.RateLimit{RPS: h.o.rateRPS}}
	return h.specialRun(rep, n, connxt, phaseRateLimit, rate)
}

func containsInt(s []int, n int) bool {
	for _, v := range s {
		if v == n {
			return true
		}
	}
	return false
}

func (h *harness) specialRun(rep, n int, v variant, phase string, fs faultSettings) error {
	tag := fmt.Sprintf("r%dn%d%s", rep, n, strings.NewReplacer(" ", "", ",", "").Replace(phase))
	dir, err := h.newDir(tag, configuration(v, n, tag, false))
	if err != nil {
		return err
	}
	applied, err := h.emu.setFaults(fs)
	if err != nil {
		return err
	}
	res, runErr := h.measureOne(rep, n, v, phase, dir)
	if clearErr := h.emu.clearFaults(); clearErr != nil && runErr == nil {
		runErr = clearErr
	}
	if runErr != nil {
		return runErr
	}
	last := &h.runs[len(h.runs)-1]
	last.extra = map[string]float64{"burst": float64(applied.RateLimit.Burst)}
	stored, err := h.emu.pspCount()
	if err != nil {
		return err
	}
	last.stored = stored
	if stored != n {
		return fmt.Errorf("%s of N=%d: the emulator stores %d PSPs afterwards, want %d", phase, n, stored, n)
	}
	_ = res
	// Destroy without faults; not part of the measurement.
	args, ok := phaseArgs(phaseDestroy)
	if _, err := h.tfRun(dir, "destroy", ok, args...); err != nil {
		return err
	}
	if !h.o.keep {
		_ = os.RemoveAll(dir)
	}
	return nil
}

// profile runs apply, plan and destroy of the largest N for connxt (the profiling build
// bench/profprovider), noop and bare (bench/noop has the same hook), keeping each phase's
// profiles in DIR/VARIANT/PHASE, and writes `go tool pprof -top` summaries next to them:
// CPU, allocations (alloc_space) and the heap at its sampled peak (inuse_space).
func (h *harness) profile() error {
	n := h.o.ns[len(h.o.ns)-1]
	for _, v := range variants[:3] { // connxt, noop, bare
		tag := fmt.Sprintf("prof%d%s", n, v.name)
		dir, err := h.newDir(tag, configuration(v, n, tag, false))
		if err != nil {
			return err
		}
		bin := h.connxtBin
		if v.providerName == "noop" {
			bin = h.noopBin
		}
		for _, phase := range []string{phaseApply, phasePlan, phaseDestroy} {
			pdir := filepath.Join(h.o.profileDir, v.name, phase)
			if err := os.MkdirAll(pdir, 0o755); err != nil {
				return err
			}
			saved := h.env
			h.env = append(append([]string{}, h.env...), "BENCH_PROFILE_DIR="+pdir)
			_, err := h.measureOne(1, n, v, phase, dir)
			h.env = saved
			if err != nil {
				return err
			}
			for _, kind := range []struct{ glob, index string }{{"cpu", ""}, {"allocs", "alloc_space"}, {"heappeak", "inuse_space"}} {
				files, _ := filepath.Glob(filepath.Join(pdir, kind.glob+"-*.pprof"))
				if len(files) == 0 {
					continue
				}
				args := []string{"tool", "pprof", "-top", "-nodecount=40"}
				if kind.index != "" {
					args = append(args, "-sample_index="+kind.index)
				}
				out, err := exec.Command("go", append(append(args, bin), files...)...).CombinedOutput()
				if err != nil {
					return fmt.Errorf("go tool pprof: %w\n%s", err, out)
				}
				top := filepath.Join(h.o.profileDir, v.name, phase+"-"+kind.glob+"-top.txt")
				if err := os.WriteFile(top, out, 0o644); err != nil {
					return err
				}
				logf("%s", top)
			}
		}
	}
	return nil
}
