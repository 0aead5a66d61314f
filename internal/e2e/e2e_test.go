// Package e2e runs the built provider binary under the terraform CLI, as a user would,
// for what the in-process acceptance tests cannot see: Terraform's own logs, signals,
// and the files Terraform writes.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// providerDir holds the provider binary built once for all tests.
var providerDir string

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		fmt.Println("e2e: TF_ACC is not set; skipping the end-to-end tests (make test sets it)")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "connxt-e2e-provider")
	if err != nil {
		panic(err)
	}
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-connxt"), "../..")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the provider failed:", err)
		os.Exit(1)
	}
	providerDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// workspace is a terraform working directory wired to the built provider and an emulator.
type workspace struct {
	t   *testing.T
	dir string
	env []string
	emu *emulator.Server
	// transcript collects everything terraform printed, for secret checks.
	transcript bytes.Buffer
}

// runningEmulator is an emulator served over HTTP for the length of a test.
type runningEmulator struct {
	*emulator.Server
	URL string
}

// startEmulator serves a new emulator until the test ends. Several workspaces may share
// it (newWorkspaceOn), as several Terraform states share one Connxt environment.
func startEmulator(t *testing.T, opts emulator.Options) *runningEmulator {
	t.Helper()
	emu := emulator.New(opts)
	ts := httptest.NewServer(emu)
	t.Cleanup(ts.Close)
	return &runningEmulator{Server: emu, URL: ts.URL}
}

// newWorkspace makes a workspace with an emulator of its own.
func newWorkspace(t *testing.T, opts emulator.Options, extraEnv ...string) *workspace {
	t.Helper()
	skipUnlessTerraform(t)
	return newWorkspaceOn(t, startEmulator(t, opts), extraEnv...)
}

// skipUnlessTerraform skips the test when TestMain built no provider, and fails it when
// the terraform binary is not named.
func skipUnlessTerraform(t *testing.T) {
	t.Helper()
	if providerDir == "" {
		t.Skip("TF_ACC is not set")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform binary (make test sets it)")
	}
}

// newWorkspaceOn makes a workspace, with a directory and state of its own, wired to emu.
func newWorkspaceOn(t *testing.T, emu *runningEmulator, extraEnv ...string) *workspace {
	t.Helper()
	skipUnlessTerraform(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "fynxt/connxt" = %q
  }
  direct {}
}
`, providerDir))
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"CONNXT_BASE_URL="+emu.URL,
	)
	env = append(env, extraEnv...)
	return &workspace{t: t, dir: work, env: env, emu: emu.Server}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// config replaces the configuration of the workspace.
func (w *workspace) config(hcl string) {
	writeFile(w.t, filepath.Join(w.dir, "main.tf"), hcl)
}

// command prepares a terraform command in the workspace.
func (w *workspace) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	return cmd
}

// run runs terraform and returns its combined output; wantOK says whether it must succeed.
func (w *workspace) run(wantOK bool, args ...string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := w.command(ctx, append(args, "-no-color")...).CombinedOutput()
	w.transcript.Write(out)
	if wantOK && err != nil {
		w.t.Fatalf("terraform %s failed: %v\n%s", strings.Join(args, " "), err, out)
	}
	if !wantOK && err == nil {
		w.t.Fatalf("terraform %s succeeded; want a failure\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}
