package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

var listening = regexp.MustCompile(`^connxt-emulator listening on (http://127\.0\.0\.1:\d+)$`)

// lockedBuffer lets the test read stderr while the process writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// buildBinary compiles the command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "connxt-emulator")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary runs the binary and waits for its listening line.
func startBinary(t *testing.T, bin string, args ...string) (cmd *exec.Cmd, url string, stdout *bufio.Reader, stderr *lockedBuffer) {
	t.Helper()
	cmd = exec.Command(bin, args...)
	stderr = &lockedBuffer{}
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	stdout = bufio.NewReader(pipe)
	lineCh := make(chan string, 1)
	go func() {
		line, _ := stdout.ReadString('\n')
		lineCh <- line
	}()
	select {
	case line := <-lineCh:
		m := listening.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil {
			t.Fatalf("first stdout line %q; stderr:\n%s", line, stderr.String())
		}
		url = m[1]
	case <-time.After(20 * time.Second):
		t.Fatalf("no listening line; stderr:\n%s", stderr.String())
	}
	return cmd, url, stdout, stderr
}

func TestBinaryServesAndStopsOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	urlFile := filepath.Join(t.TempDir(), "url")
	second := "sec_AnotherTokenForTheTest0002"
	cmd, url, stdout, stderr := startBinary(t, bin, "--listen", "127.0.0.1:0", "--url-file", urlFile,
		"--token", emulator.DefaultToken, "--token", second)

	written, err := os.ReadFile(urlFile)
	if err != nil || strings.TrimSpace(string(written)) != url {
		t.Fatalf("url file %q (%v), want %q", written, err, url)
	}

	get := func(token string) (int, connxt.Envelope) {
		req, _ := http.NewRequest(http.MethodGet, url+connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=PSP", nil)
		if token != "" {
			req.Header.Set(connxt.TokenHeader, token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var env connxt.Envelope
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, env
	}
	if status, env := get(emulator.DefaultToken); status != 200 || env.Code != "200" || !strings.Contains(string(env.Data), "Sticpay") {
		t.Fatalf("with token: %d %+v", status, env)
	}
	if status, _ := get(second); status != 200 {
		t.Fatalf("with the second token: %d", status)
	}
	if status, env := get(""); status != 401 || env.Code != connxt.CodeUnauthorized {
		t.Fatalf("without token: %d %+v", status, env)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("did not exit after SIGTERM")
	}
	rest, _ := io.ReadAll(stdout)
	if len(rest) != 0 {
		t.Errorf("stdout has more than the one line: %q", rest)
	}
	log := stderr.String()
	if !strings.Contains(log, "status=200") || !strings.Contains(log, "status=401") {
		t.Errorf("requests not logged to stderr:\n%s", log)
	}
	for _, secret := range []string{emulator.DefaultToken, second} {
		if strings.Contains(log, secret) {
			t.Errorf("stderr reveals a token")
		}
	}
}

func TestBinaryOptions(t *testing.T) {
	bin := buildBinary(t)
	cmd, url, _, _ := startBinary(t, bin, "--listen", "127.0.0.1:0", "--delete-unsupported",
		"--catalog", "../../internal/emulator/testdata/catalog_alt.json", "--quiet")
	defer func() { _ = cmd.Process.Signal(syscall.SIGINT); _ = cmd.Wait() }()

	req, _ := http.NewRequest(http.MethodGet, url+"/_emulator/config", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]bool
	_ = json.NewDecoder(resp.Body).Decode(&cfg)
	resp.Body.Close()
	if !cfg["delete_unsupported"] {
		t.Errorf("--delete-unsupported not applied: %v", cfg)
	}
	req, _ = http.NewRequest(http.MethodGet, url+connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=KYC", nil)
	req.Header.Set(connxt.TokenHeader, emulator.DefaultToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("--catalog not applied: KYC answered %d", resp.StatusCode)
	}
}

func TestRunRejectsBadUsage(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(broken, []byte(`{"flowTypes":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed token", []string{"--token", "sec_short-and-SECRETISH"}, "--token #1 is not"},
		{"repeated token", []string{"--token", emulator.DefaultToken, "--token", emulator.DefaultToken}, "--token #2 repeats"},
		{"broken catalog", []string{"--catalog", broken}, "at least one flow type"},
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
		{"stray argument", []string{"serve"}, "unexpected argument"},
		{"zero timeout", []string{"--idle-timeout", "0s"}, "must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(t.Context(), tc.args, &stdout, &stderr); code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
				t.Fatalf("stderr %q stdout %q", stderr.String(), stdout.String())
			}
			if strings.Contains(stderr.String(), "SECRETISH") {
				t.Fatal("the rejected token was echoed")
			}
		})
	}
	var stderr bytes.Buffer
	if code := run(t.Context(), []string{"--help"}, io.Discard, &stderr); code != 0 || !strings.Contains(stderr.String(), "--url-file") && !strings.Contains(stderr.String(), "-url-file") {
		t.Fatalf("--help: %d %s", code, stderr.String())
	}
}

// TestRunInProcess covers the serve-and-stop path without a subprocess.
func TestRunInProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	urlFile := filepath.Join(t.TempDir(), "url")
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--url-file", urlFile, "--quiet"}, pw, io.Discard)
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || listening.FindStringSubmatch(strings.TrimSpace(line)) == nil {
		t.Fatalf("line %q: %v", line, err)
	}
	url := listening.FindStringSubmatch(strings.TrimSpace(line))[1]
	resp, err := http.Get(url + "/_emulator/requests")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if _, err := http.Get(url + "/_emulator/requests"); err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("server still answers after shutdown: %v", err)
	}
}
