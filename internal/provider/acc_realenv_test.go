package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// Real-environment mode (CONTRIBUTING.md, "Running the acceptance tests against a real
// Connxt environment"): with both variables set, the tests run against that environment
// instead of an in-process emulator.
const (
	envAccBaseURL         = "CONNXT_ACC_BASE_URL"
	envAccSecretToken     = "CONNXT_ACC_SECRET_TOKEN"
	envAccAllowProduction = "CONNXT_ACC_ALLOW_PRODUCTION"
	productionHost        = "api.connect.fynxt.io"
)

// realEnv is the environment of real-environment mode; url is "" in the default mode.
var realEnv struct {
	url, token string
	// prefix starts the name of every PSP this run creates, so that runs (and people)
	// sharing the environment never meet, and cleanup touches only this run's PSPs.
	prefix string
	// err fails, and skip skips, every test that needs a server.
	err  error
	skip string
}

// realEnvTests numbers the tests of the run, for their name prefixes.
var realEnvTests atomic.Int64

func TestMain(m *testing.M) {
	setUpRealEnv()
	code := m.Run()
	if realEnv.url != "" && realEnv.err == nil && realEnv.skip == "" && !sweptClean() {
		code = 1
	}
	os.Exit(code)
}

func setUpRealEnv() {
	base, token := os.Getenv(envAccBaseURL), os.Getenv(envAccSecretToken)
	if base == "" && token == "" {
		return
	}
	realEnv.url, realEnv.token = strings.TrimRight(base, "/"), token
	if base == "" || token == "" {
		realEnv.err = fmt.Errorf("real-environment mode needs both %s and %s; only one is set", envAccBaseURL, envAccSecretToken)
		return
	}
	if realEnv.err = refuseProduction(base, os.Getenv(envAccAllowProduction)); realEnv.err != nil {
		return
	}
	realEnv.prefix = "tfacc-" + rand.Text()[:6] + "-"
	// The provider reads the token from the environment, so that it never appears in a
	// configuration, and so in no source snippet of a diagnostic. Set before any test runs.
	_ = os.Setenv(EnvSecretToken, token)
	realEnv.skip, realEnv.err = readRealCatalog()
}

// refuseProduction fails for the production host unless allow is "1": the tests create
// and delete PSPs, and are meant for development environments.
func refuseProduction(base, allow string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("%s is not a URL: %w", envAccBaseURL, err)
	}
	if strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), productionHost) && allow != "1" {
		return fmt.Errorf("%s points at the production host %s. The acceptance tests create and delete PSPs: "+
			"run them against a development environment only (%s=1 overrides this, for production itself)",
			envAccBaseURL, productionHost, envAccAllowProduction)
	}
	return nil
}

// readRealCatalog replaces the example catalog's ids with the environment's, found by
// the names the tests are written for. It returns why the tests cannot run when the
// environment's catalog lacks that shape.
func readRealCatalog() (skip string, err error) {
	c, err := connxt.New(connxt.Config{BaseURL: realEnv.url, Token: realEnv.token})
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	defs, err := c.GetFlowTypeDefinitions(ctx, "PSP")
	if err != nil {
		return "", fmt.Errorf("reading the environment's PSP catalog: %w", err)
	}
	targets := map[string]*string{"Paymaxis": &paymaxisID, "Sticpay": &sticpayID}
	actions := map[string]*string{"DEPOSIT": &depositID, "WITHDRAW": &withdrawID, "REFUND": &refundID}
	// The definitions the tests use; every other action of the two targets has none.
	definitions := map[[2]string]*string{
		{"Paymaxis", "DEPOSIT"}: &paymaxisDepositID, {"Paymaxis", "WITHDRAW"}: &paymaxisWithdrawD,
		{"Sticpay", "DEPOSIT"}: &sticpayDepositID, {"Sticpay", "WITHDRAW"}: &sticpayWithdrawD,
	}
	found := map[string]string{}
	for _, tg := range defs.Targets {
		if targets[tg.Name] != nil {
			found[tg.Name] = tg.ID
		}
		for _, a := range tg.Actions {
			if targets[tg.Name] == nil || actions[a.Name] == nil {
				continue
			}
			if id, seen := found[a.Name]; seen && id != a.ID {
				return fmt.Sprintf("the action %s has different ids on Paymaxis and Sticpay; the tests use one", a.Name), nil
			}
			found[a.Name] = a.ID
			def := definitions[[2]string{tg.Name, a.Name}]
			switch {
			case def != nil && a.Definition == nil:
				return fmt.Sprintf("%s has no definition of %s; the tests need one", tg.Name, a.Name), nil
			case def == nil && a.Definition != nil:
				return fmt.Sprintf("%s has a definition of %s; the tests need an action without one", tg.Name, a.Name), nil
			case def != nil:
				found[tg.Name+"/"+a.Name] = a.Definition.ID
			}
		}
	}
	for name, id := range targets {
		*id = found[name]
	}
	for name, id := range actions {
		*id = found[name]
	}
	for k, id := range definitions {
		*id = found[k[0]+"/"+k[1]]
	}
	for _, id := range []string{paymaxisID, sticpayID, depositID, withdrawID, refundID,
		paymaxisDepositID, paymaxisWithdrawD, sticpayDepositID, sticpayWithdrawD} {
		if id == "" {
			return "the environment's PSP catalog lacks Paymaxis or Sticpay with DEPOSIT, WITHDRAW and REFUND, which the tests are written for", nil
		}
	}
	return "", nil
}

// newRealTarget is newTestEmulator in real-environment mode: the environment, with a
// name prefix of the test's own, whose PSPs are deleted when the test ends.
func newRealTarget(t *testing.T, opts emulator.Options) *testEmulator {
	t.Helper()
	if realEnv.err != nil {
		t.Fatal(realEnv.err)
	}
	if realEnv.skip != "" {
		t.Skip("skipped in real-environment mode: " + realEnv.skip)
	}
	if used := setOptions(opts); len(used) != 0 {
		t.Skipf("skipped in real-environment mode: the test needs the emulator's %s", strings.Join(used, ", "))
	}
	api, err := connxt.New(connxt.Config{BaseURL: realEnv.url, Token: realEnv.token})
	if err != nil {
		t.Fatal(err)
	}
	e := &testEmulator{URL: realEnv.url, token: realEnv.token, t: t, api: api,
		prefix: fmt.Sprintf("%s%04d-", realEnv.prefix, realEnvTests.Add(1))}
	t.Cleanup(func() {
		// t.Context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Minute)
		defer cancel()
		if left, err := deletePSPsNamed(ctx, api, e.prefix); err != nil {
			t.Errorf("cleanup: %v", err)
		} else if len(left) != 0 {
			t.Logf("cleanup deleted PSPs the test left behind: %s", strings.Join(left, ", "))
		}
	})
	return e
}

// setOptions names the options set in opts: each makes the emulator do what a real
// environment cannot be told to (faults, middleware, another catalog, no DELETE, …).
func setOptions(opts emulator.Options) []string {
	v := reflect.ValueOf(opts)
	var names []string
	for i := range v.NumField() {
		if !v.Field(i).IsZero() {
			names = append(names, v.Type().Field(i).Name)
		}
	}
	return names
}

// requireEmulator skips the test in real-environment mode; why says what the test does
// that only the emulator allows.
func requireEmulator(t *testing.T, why string) {
	t.Helper()
	if realEnv.url != "" {
		t.Skipf("skipped in real-environment mode: the test %s, which only the emulator allows", why)
	}
}

// namePrefixLen is the length of the prefix the tests' PSP names get: 0 with the emulator.
func namePrefixLen() int {
	if realEnv.url == "" {
		return 0
	}
	return len(realEnv.prefix) + len("0000-")
}

// deletePSPsNamed deletes every PSP whose name starts with prefix (never another) and
// returns their names.
func deletePSPsNamed(ctx context.Context, c *connxt.Client, prefix string) ([]string, error) {
	all, err := c.ListPSPs(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing PSPs: %w", err)
	}
	var names []string
	for _, p := range all {
		if !strings.HasPrefix(p.Name, prefix) {
			continue
		}
		if err := c.DeletePSP(ctx, p.ID); err != nil {
			return names, fmt.Errorf("deleting %s (%s): %w", p.Name, p.ID, err)
		}
		names = append(names, p.Name)
	}
	return names, nil
}

// sweptClean is the run's last check: no PSP with the run's prefix may remain after the
// tests' own cleanups. Any found is deleted, and fails the run.
func sweptClean() bool {
	c, err := connxt.New(connxt.Config{BaseURL: realEnv.url, Token: realEnv.token})
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var left []string
		left, err = deletePSPsNamed(ctx, c, realEnv.prefix)
		if err == nil && len(left) != 0 {
			err = fmt.Errorf("the tests left PSPs behind (now deleted): %s", strings.Join(left, ", "))
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "real-environment mode: %v\n", err)
		return false
	}
	fmt.Printf("real-environment mode: no PSP named %s… is left in the environment\n", realEnv.prefix)
	return true
}

func TestRefuseProduction(t *testing.T) {
	for base, refused := range map[string]bool{
		"https://api.connect.fynxt.io":      true,
		"https://API.Connect.fynxt.io.:443": true,
		"https://dev.connect.fynxt.io":      false,
		"http://127.0.0.1:8080":             false,
	} {
		if err := refuseProduction(base, ""); (err != nil) != refused {
			t.Errorf("%s: refused %v, want %v", base, err != nil, refused)
		}
		if err := refuseProduction(base, "1"); err != nil {
			t.Errorf("%s with %s=1: %v", base, envAccAllowProduction, err)
		}
	}
}
