package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// serveInProcess runs the command in this process until the test ends and returns
// its base URL.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
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

// closedWithin reports whether the server closes conn within d, reading (and
// discarding) whatever it sends first.
func closedWithin(t *testing.T, conn net.Conn, d time.Duration) bool {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	return err == nil || !errors.As(err, &ne) || !ne.Timeout()
}

// TestRunTimeouts: a client that sends nothing, stalls its body, or keeps an idle
// connection is disconnected after the configured timeout, not held forever.
func TestRunTimeouts(t *testing.T) {
	url := serveInProcess(t, "--read-header-timeout", "200ms", "--read-timeout", "300ms", "--idle-timeout", "200ms")
	addr := strings.TrimPrefix(url, "http://")
	dial := func() net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		return conn
	}

	if !closedWithin(t, dial(), 3*time.Second) {
		t.Error("a silent client was not disconnected")
	}

	stalled := dial()
	_, _ = io.WriteString(stalled, "PUT /_emulator/config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
	if !closedWithin(t, stalled, 3*time.Second) {
		t.Error("a client that never finished its body was not disconnected")
	}

	idle := dial()
	_, _ = io.WriteString(idle, "GET /_emulator/config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 || resp.Close {
		t.Fatalf("first request on a kept-alive connection: %v %v", resp, err)
	}
	resp.Body.Close()
	if !closedWithin(t, idle, 3*time.Second) {
		t.Error("an idle kept-alive connection was not closed")
	}
}

// TestRunLatencyOutlastsReadTimeout: an injected delay longer than --read-timeout
// still ends in the handler's answer, also for a body too large to sit in the
// server's read buffer while the request waits.
func TestRunLatencyOutlastsReadTimeout(t *testing.T) {
	url := serveInProcess(t, "--read-timeout", "200ms", "--fault", "POST /connxt/v2/psps/external:latency_ms=700")
	body := `{"name":"slow","credential":"{\"apiKey\":\"k\"}","flowTargetId":"ftg_01jwra8pvkfey9h1f71gsw1qsw",` +
		`"operations":[{"flowActionId":"fat_01jt2cetrheh48mkp2m8z680xz","flowDefinitionId":"fld_01jwraa3kffey9h1f83mjfj0sv"}]}` +
		strings.Repeat(" ", 256<<10)
	req, _ := http.NewRequest(http.MethodPost, url+connxt.APIPrefix+connxt.PathPSPsExternal, strings.NewReader(body))
	req.Header.Set(connxt.TokenHeader, emulator.DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || time.Since(start) < 700*time.Millisecond {
		t.Fatalf("after %v: %d %s", time.Since(start), resp.StatusCode, answer)
	}

	// A client that stalls its body on a delayed route gets the refusal the handler
	// gives any unreadable body, not an empty answer.
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_, _ = io.WriteString(conn, "POST "+connxt.APIPrefix+connxt.PathPSPsExternal+" HTTP/1.1\r\nHost: 127.0.0.1\r\n"+
		connxt.TokenHeader+": "+emulator.DefaultToken+"\r\nContent-Length: 100\r\n\r\n{")
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	stalled, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || stalled.StatusCode != http.StatusBadRequest {
		t.Fatalf("stalled body on a delayed route: %v %v", stalled, err)
	}
	stalled.Body.Close()
}

func TestWriteTimeoutOutlastsFaultLatency(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), defaultTimeouts, io.Discard)
	if maxDelay := time.Duration(emulator.MaxLatencyMS) * time.Millisecond; srv.WriteTimeout <= maxDelay {
		t.Fatalf("WriteTimeout %v would cut an injected latency of %v", srv.WriteTimeout, maxDelay)
	}
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("a timeout is unset: %+v", srv)
	}
}
