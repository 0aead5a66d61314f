package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveInProcess runs the command in this process until the test ends and returns
// its base URL.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"--listen", "127.0.0.1:0", "--quiet"}, args...), pw, io.Discard)
		_ = pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("run did not return after cancel")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	m := listening.FindStringSubmatch(strings.TrimSpace(line))
	if err != nil || m == nil {
		t.Fatalf("line %q: %v", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return m[1]
}

// statusWithHost sends GET url+path with the given Host header.
func statusWithHost(t *testing.T, url, path, host string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+path, nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestRunAdminHosts: --admin-host names are accepted by the admin API like loopback
// ones, and no others are.
func TestRunAdminHosts(t *testing.T) {
	url := serveInProcess(t, "--admin-host", "emulator.test")
	for host, want := range map[string]int{"emulator.test:1234": 200, "localhost": 200, "attacker.test": 403} {
		if got := statusWithHost(t, url, "/_emulator/config", host); got != want {
			t.Errorf("Host %s: %d, want %d", host, got, want)
		}
	}
}

func TestListenHost(t *testing.T) {
	for listen, want := range map[string]string{
		"127.0.0.1:8080":     "127.0.0.1",
		"emulator:8080":      "emulator",
		"[fd00::1]:8080":     "fd00::1",
		":8080":              "",
		"0.0.0.0:8080":       "",
		"[::]:8080":          "",
		"not an address":     "",
		"emulator.test:http": "emulator.test",
	} {
		if got := listenHost(listen); got != want {
			t.Errorf("listenHost(%q) = %q, want %q", listen, got, want)
		}
	}
}
