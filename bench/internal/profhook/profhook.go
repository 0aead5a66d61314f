// Package profhook profiles a provider process of the benchmark (bench/profprovider and
// bench/noop) when BENCH_PROFILE_DIR is set: a CPU profile of the whole process, the
// allocation profile at exit, the heap profile at the largest heap seen (sampled every
// 200 ms), and the Go runtime's memory figures with the largest number of goroutines
// seen. Files are named after the pid.
package profhook

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// Start starts profiling if BENCH_PROFILE_DIR is set and returns the function that
// stops it and writes the profiles (a no-op otherwise).
func Start() (stop func()) {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	pid := os.Getpid()
	name := func(kind, ext string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.%s", kind, pid, ext)) }
	cpu, err := os.Create(name("cpu", "pprof"))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		_ = cpu.Close()
		return func() {}
	}

	var mu sync.Mutex
	var peakHeap uint64
	var peakGoroutines int
	done := make(chan struct{})
	watcher := make(chan struct{})
	go func() {
		defer close(watcher)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peakGoroutines = max(peakGoroutines, runtime.NumGoroutine())
			if ms.HeapAlloc > peakHeap+peakHeap/10 {
				peakHeap = ms.HeapAlloc
				if f, err := os.Create(name("heappeak", "pprof")); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					_ = f.Close()
				}
			}
			mu.Unlock()
		}
	}()

	return func() {
		close(done)
		<-watcher
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if f, err := os.Create(name("allocs", "pprof")); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			_ = f.Close()
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		_ = os.WriteFile(name("mem", "txt"), []byte(fmt.Sprintf(
			"PeakGoroutinesSampled %d\nPeakHeapAllocSampled %d\nTotalAlloc %d\nMallocs %d\nHeapSys %d\nHeapInuse %d\nSys %d\nNumGC %d\n",
			peakGoroutines, peakHeap, ms.TotalAlloc, ms.Mallocs, ms.HeapSys, ms.HeapInuse, ms.Sys, ms.NumGC)), 0o644)
	}
}
