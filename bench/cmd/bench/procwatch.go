package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procWatch measures the provider processes Terraform starts during one command.
//
// Method: every interval it lists /proc and resolves /proc/PID/exe; processes whose
// executable is one of the watched provider binaries are followed, and for each of them
// it reads VmHWM from /proc/PID/status (the kernel's own high-water mark of the resident
// set, so a peak between two polls is not missed: only growth in the last interval before
// the process exits could be) and utime+stime from /proc/PID/stat. Terraform starts the
// provider binary directly (go-plugin), so the process measured is the provider itself,
// with nothing wrapped around it.
type procWatch struct {
	exes     map[string]bool // resolved paths of the binaries to follow
	forkOf   string          // resolved path of terraform: a child may still show it before exec
	interval time.Duration

	mu      sync.Mutex
	procs   map[int]*procStat
	ignored map[int]bool

	stop chan struct{}
	done chan struct{}
}

type procStat struct {
	hwmKB    int64
	cpuTicks int64 // utime+stime, in clock ticks
}

// clockTicks is USER_HZ, 100 on every Linux platform Go supports.
const clockTicks = 100

func newProcWatch(interval time.Duration, terraformPath string, exes ...string) *procWatch {
	w := &procWatch{exes: map[string]bool{}, interval: interval, procs: map[int]*procStat{}, ignored: map[int]bool{},
		stop: make(chan struct{}), done: make(chan struct{})}
	for _, e := range exes {
		w.exes[resolve(e)] = true
	}
	w.forkOf = resolve(terraformPath)
	return w
}

func resolve(p string) string {
	if r, err := evalSymlinks(p); err == nil {
		return r
	}
	return p
}

func (w *procWatch) start() {
	go func() {
		defer close(w.done)
		t := time.NewTicker(w.interval)
		defer t.Stop()
		for {
			w.poll()
			select {
			case <-w.stop:
				w.poll()
				return
			case <-t.C:
			}
		}
	}()
}

// finish stops polling and returns the peak VmHWM (kB) of any watched process, the
// number of watched processes seen and their total CPU time in seconds.
func (w *procWatch) finish() (peakKB int64, processes int, cpuSeconds float64) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	var ticks int64
	for _, p := range w.procs {
		peakKB = max(peakKB, p.hwmKB)
		ticks += p.cpuTicks
	}
	return peakKB, len(w.procs), float64(ticks) / clockTicks
}

func (w *procWatch) poll() {
	d, err := os.Open("/proc")
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	_ = d.Close()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || w.ignored[pid] {
			continue
		}
		p := w.procs[pid]
		if p == nil {
			exe, err := os.Readlink("/proc/" + name + "/exe")
			if err != nil {
				continue // gone, or not ours to read
			}
			if !w.exes[exe] {
				// A process that still runs terraform's binary may be a child between
				// fork and exec: look again next time. Anything else never becomes a
				// provider.
				if exe != w.forkOf {
					w.ignored[pid] = true
				}
				continue
			}
			p = &procStat{}
			w.procs[pid] = p
		}
		if hwm, ok := readHWM(pid); ok {
			p.hwmKB = max(p.hwmKB, hwm)
		}
		if ticks, ok := readCPUTicks(pid); ok {
			p.cpuTicks = max(p.cpuTicks, ticks)
		}
	}
}

func readHWM(pid int) (int64, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				n, err := strconv.ParseInt(fields[0], 10, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}

func readCPUTicks(pid int) (int64, bool) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may contain spaces: count fields
	// after the last ')'. utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(raw[i+1:]))
	if len(fields) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(fields[11], 10, 64)
	st, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return ut + st, true
}
