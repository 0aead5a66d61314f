package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/fynxt/terraform-provider-connxt/internal/catalogids"
	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
)

// Ids of the default emulator catalog (internal/connxt/CONTRACT.md §7); in
// real-environment mode TestMain replaces them with the environment's (readRealCatalog).
var (
	paymaxisID        = catalogids.Paymaxis
	sticpayID         = catalogids.Sticpay
	depositID         = catalogids.Deposit
	withdrawID        = catalogids.Withdraw
	refundID          = catalogids.Refund
	paymaxisDepositID = catalogids.PaymaxisDeposit
	paymaxisWithdrawD = catalogids.PaymaxisWithdraw
	sticpayDepositID  = catalogids.SticpayDeposit
	sticpayWithdrawD  = catalogids.SticpayWithdraw
)

// protoV6Providers serves the provider in-process to the terraform CLI, through the same
// releasing server as the shipped binary, releasing every few calls so that the tests
// exercise it often.
var protoV6Providers = map[string]func() (tfprotov6.ProviderServer, error){
	"connxt": func() (tfprotov6.ProviderServer, error) {
		return protoserver.NewReleasingServer(providerserver.NewProtocol6(New("test")())(), 3), nil
	},
}

// testEmulator is the Connxt server of one test: an emulator on a loopback port, or in
// real-environment mode the environment under test, where Server is nil and only the
// API is there (tests that need more call requireEmulator or ask for emulator options).
type testEmulator struct {
	*emulator.Server
	URL   string
	token string
	// prefix starts every PSP name of the test in real-environment mode; "" otherwise.
	prefix string
	t      *testing.T
	api    *connxt.Client // lists the test's PSPs in real-environment mode
}

func newTestEmulator(t *testing.T, opts emulator.Options) *testEmulator {
	t.Helper()
	if realEnv.url != "" {
		return newRealTarget(t, opts)
	}
	srv := emulator.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &testEmulator{Server: srv, URL: ts.URL, token: emulator.DefaultToken, t: t}
}

// PSPs returns the emulator's PSPs; in real-environment mode, the environment's PSPs
// whose names have the test's prefix, so that other people's never count.
func (e *testEmulator) PSPs() []connxt.PSP {
	if e.Server != nil {
		return e.Server.PSPs()
	}
	e.t.Helper()
	all, err := e.api.ListPSPs(e.t.Context())
	if err != nil {
		e.t.Fatalf("listing the test's PSPs: %v", err)
	}
	var mine []connxt.PSP
	for _, p := range all {
		if strings.HasPrefix(p.Name, e.prefix) {
			mine = append(mine, p)
		}
	}
	return mine
}

// name is a PSP name as the test's configurations spell it, with the test's prefix.
func (e *testEmulator) name(s string) string { return e.prefix + s }

// prefixNames gives every `name = "…"` of a configuration the test's prefix.
func (e *testEmulator) prefixNames(config string) string {
	if e.prefix == "" {
		return config
	}
	return nameAttribute.ReplaceAllString(config, "${1}"+e.prefix)
}

var nameAttribute = regexp.MustCompile(`(?m)^(\s*name\s*=\s*")`)

// storedCredential is the credential the emulator stored for id. Connxt never returns
// one, so in real-environment mode checkable is false and the caller skips its check.
func (e *testEmulator) storedCredential(id string) (stored string, checkable bool) {
	if e.Server == nil {
		e.t.Log("real-environment mode: the stored credential cannot be read back; not checked")
		return "", false
	}
	stored, _ = e.StoredCredential(id)
	return stored, true
}

// scopeIs checks a brand_id or environment_id against the emulator's id for the token;
// a real environment's ids are not known in advance, so there it checks only that one is set.
func (e *testEmulator) scopeIs(emulated string) knownvalue.Check {
	if e.Server == nil {
		return knownvalue.StringRegexp(regexp.MustCompile(`\S`))
	}
	return knownvalue.StringExact(emulated)
}

// parallelTest runs steps as an acceptance test, in parallel with the others, against
// this emulator: every test ends by checking that destroy left no PSP behind.
func (e *testEmulator) parallelTest(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, e.testCase(t, steps))
}

// serialTest is parallelTest for tests that must not run in parallel (they set
// environment variables).
func (e *testEmulator) serialTest(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	resource.Test(t, e.testCase(t, steps))
}

func (e *testEmulator) testCase(t *testing.T, steps []resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy:             e.checkNoPSPs,
		Steps:                    steps,
	}
}

// config is a test configuration: the provider block for this emulator, then hcl as a
// user would write it, with the example catalog's ids spelled out. In real-environment
// mode those ids become the environment's and every name gets the test's prefix.
func (e *testEmulator) config(hcl string) string {
	return e.providerBlock() + e.prefixNames(inRunCatalog(hcl))
}

// inRunCatalog replaces the example catalog's ids in hcl with those of the catalog the
// tests run against: the same ones with the emulator, the environment's otherwise.
func inRunCatalog(hcl string) string {
	return strings.NewReplacer(
		catalogids.Paymaxis, paymaxisID,
		catalogids.Sticpay, sticpayID,
		catalogids.Deposit, depositID,
		catalogids.Withdraw, withdrawID,
		catalogids.Refund, refundID,
		catalogids.PaymaxisDeposit, paymaxisDepositID,
		catalogids.PaymaxisWithdraw, paymaxisWithdrawD,
		catalogids.SticpayDeposit, sticpayDepositID,
		catalogids.SticpayWithdraw, sticpayWithdrawD,
	).Replace(hcl)
}

// providerBlock configures the provider for this emulator with the default token. In
// real-environment mode the token comes from CONNXT_SECRET_TOKEN (set by TestMain), so
// that it is in no configuration.
func (e *testEmulator) providerBlock() string {
	if e.Server == nil {
		return fmt.Sprintf("provider \"connxt\" {\n  base_url = %q\n}\n", e.URL)
	}
	return fmt.Sprintf("provider \"connxt\" {\n  base_url     = %q\n  secret_token = %q\n}\n", e.URL, emulator.DefaultToken)
}

// client returns an API client for out-of-band calls in tests.
func (e *testEmulator) client(t *testing.T) *connxt.Client {
	t.Helper()
	c, err := connxt.New(connxt.Config{BaseURL: e.URL, Token: e.token})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// onlyPSP returns the one PSP the emulator holds, failing otherwise.
func (e *testEmulator) onlyPSP() (connxt.PSP, error) {
	all := e.PSPs()
	if len(all) != 1 {
		return connxt.PSP{}, fmt.Errorf("the emulator holds %d PSPs, want 1", len(all))
	}
	return all[0], nil
}

// checkNoPSPs is a CheckDestroy: destroy must leave the emulator empty.
func (e *testEmulator) checkNoPSPs(_ *terraform.State) error {
	if n := len(e.PSPs()); n != 0 {
		return fmt.Errorf("after destroy the emulator still holds %d PSPs", n)
	}
	return nil
}

func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Log("TF_ACC_TERRAFORM_PATH is not set; terraform-plugin-testing will look for terraform on the PATH")
	}
}

// expectNoSecretInState fails when any of the secrets appears anywhere in the state,
// sensitive values included.
type expectNoSecretInState struct{ secrets []string }

func (c expectNoSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(raw), s) {
			resp.Error = fmt.Errorf("the state contains a secret value (%d characters)", len(s))
			return
		}
	}
}

// expectEmulator runs a Go check against the emulator as a state check.
type expectEmulator func() error

func (f expectEmulator) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

var pspIDPattern = regexp.MustCompile(`^psp_[0-9A-Za-z]{26}$`)

func jsonEqualForTest(a, b string) bool {
	var da, db any
	if json.Unmarshal([]byte(a), &da) != nil || json.Unmarshal([]byte(b), &db) != nil {
		return false
	}
	ra, _ := json.Marshal(da)
	rb, _ := json.Marshal(db)
	return string(ra) == string(rb)
}

// expectFailure checks the error of a step that must fail: it must match want and must
// not show secret. Unlike ExpectError it can check what the output lacks. Call the
// returned done after the test case to fail when no error happened at all.
func expectFailure(t *testing.T, want *regexp.Regexp, secret string) (check resource.ErrorCheckFunc, done func()) {
	t.Helper()
	matched := false
	check = func(err error) error {
		msg := err.Error()
		if !want.MatchString(msg) {
			return fmt.Errorf("want an error matching %s, got: %w", want, err)
		}
		if secret != "" && strings.Contains(msg, secret) {
			return fmt.Errorf("the failure output shows a secret value (%d characters)", len(secret))
		}
		matched = true
		return nil
	}
	done = func() {
		t.Helper()
		if !matched {
			t.Errorf("the configuration did not fail; want an error matching %s", want)
		}
	}
	return check, done
}
