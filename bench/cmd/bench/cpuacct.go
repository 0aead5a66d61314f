package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuAccount tells how much CPU other processes used while the harness measured: the
// machine's busy time (/proc/stat) minus what the harness, its terraform commands (with
// the providers they reaped) and the emulator used. A large figure means the timings were
// taken on a shared, busy machine.
type cpuAccount struct {
	start        time.Time
	busyStart    float64 // seconds of busy CPU of the whole machine
	emuStart     float64
	selfStart    float64
	commands     float64 // CPU of the terraform commands, including their children
	loadStart    string
	foreign      float64
	capacity     float64 // CPU-seconds the machine had during the measurement
	loadEnd      string
	foreignShare float64
}

func machineBusySeconds() float64 {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	var busy float64
	for i, v := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i > 7 { // guest times are already counted in user
			break
		}
		n, _ := strconv.ParseFloat(v, 64)
		busy += n
	}
	return busy / clockTicks
}

func selfSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return tv(ru.Utime) + tv(ru.Stime)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

func pidSeconds(pid int) float64 {
	t, _ := readCPUTicks(pid)
	return float64(t) / clockTicks
}

func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func (a *cpuAccount) begin(emuPID int) {
	a.start = time.Now()
	a.busyStart = machineBusySeconds()
	a.emuStart = pidSeconds(emuPID)
	a.selfStart = selfSeconds()
	a.loadStart = loadAvg()
}

func (a *cpuAccount) end(emuPID, ncpu int) {
	busy := machineBusySeconds() - a.busyStart
	ours := a.commands + (pidSeconds(emuPID) - a.emuStart) + (selfSeconds() - a.selfStart)
	a.foreign = max(0, busy-ours)
	a.capacity = time.Since(a.start).Seconds() * float64(ncpu)
	if a.capacity > 0 {
		a.foreignShare = a.foreign / a.capacity
	}
	a.loadEnd = loadAvg()
}
