package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	emu "github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// emulatorToken is the emulator's well-known default token (not a secret of any real
// environment).
const emulatorToken = emu.DefaultToken

// emulator is a connxt-emulator process started by the harness.
type emulator struct {
	cmd    *exec.Cmd
	exited chan struct{}
	url    string
	http   *http.Client
}

func startEmulator(bin, work string) (*emulator, error) {
	urlFile := filepath.Join(work, "emulator.url")
	logFile, err := os.Create(filepath.Join(work, "emulator.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--quiet", "--seed", "1",
		"--token", emulatorToken, "--url-file", urlFile)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulator{cmd: cmd, exited: make(chan struct{}), http: &http.Client{Timeout: 30 * time.Second}}
	go func() { _ = cmd.Wait(); _ = logFile.Close(); close(e.exited) }()
	for i := 0; i < 200; i++ {
		if raw, err := os.ReadFile(urlFile); err == nil && len(bytes.TrimSpace(raw)) > 0 {
			e.url = strings.TrimSpace(string(raw))
			return e, nil
		}
		select {
		case <-e.exited:
			return nil, fmt.Errorf("the emulator exited before listening (log: %s)", logFile.Name())
		case <-time.After(50 * time.Millisecond):
		}
	}
	e.stop()
	return nil, fmt.Errorf("the emulator did not start within 10 s (log: %s)", logFile.Name())
}

// stop ends the emulator process this harness started (by its pid).
func (e *emulator) stop() {
	if e == nil || e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.exited
	}
}

func (e *emulator) admin(method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.url+"/_emulator"+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s /_emulator%s: HTTP %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (e *emulator) resetCounters() error {
	return e.admin(http.MethodPost, "/reset?what=counters", nil, nil)
}

func (e *emulator) counts() (map[string]int, error) {
	var rc emu.RequestCounts
	if err := e.admin(http.MethodGet, "/requests", nil, &rc); err != nil {
		return nil, err
	}
	if rc.Counts == nil {
		rc.Counts = map[string]int{}
	}
	return rc.Counts, nil
}

// pspCount is the number of PSPs the emulator stores (all environments).
func (e *emulator) pspCount() (int, error) {
	var psps []json.RawMessage
	if err := e.admin(http.MethodGet, "/psps", nil, &psps); err != nil {
		return 0, err
	}
	return len(psps), nil
}

type faultSettings = emu.FaultSettings

// setFaults replaces the emulator's fault rules and rate limit and returns what it
// applied (with defaults such as the burst filled in).
func (e *emulator) setFaults(fs faultSettings) (faultSettings, error) {
	if fs.Rules == nil {
		fs.Rules = map[string]emu.FaultRule{}
	}
	var applied faultSettings
	err := e.admin(http.MethodPut, "/faults", fs, &applied)
	return applied, err
}

func (e *emulator) clearFaults() error {
	_, err := e.setFaults(faultSettings{})
	return err
}
