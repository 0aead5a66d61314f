package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

func TestParseFault(t *testing.T) {
	tests := []struct {
		spec    string
		key     string
		rule    emulator.FaultRule
		wantErr string
	}{
		{"POST /connxt/v2/psps/external:error_rate=0.2,status=500|502|503", "POST /connxt/v2/psps/external",
			emulator.FaultRule{ErrorRate: 0.2, Statuses: []int{500, 502, 503}}, ""},
		{"*:latency_ms=50, throttle_rate=0.1, retry_after=0", "*", emulator.FaultRule{LatencyMS: 50, ThrottleRate: 0.1}, ""},
		{"GET /connxt/v2/psps/{id}:drop_rate=1", "GET /connxt/v2/psps/{id}", emulator.FaultRule{DropRate: 1}, ""},
		{"POST /connxt/v2/transactions:commit_drop_rate=0.5", "POST /connxt/v2/transactions", emulator.FaultRule{CommitDropRate: 0.5}, ""},
		{"no colon", "", emulator.FaultRule{}, "want 'ROUTE:param=value,...'"},
		{"*:error_rate", "", emulator.FaultRule{}, "is not param=value"},
		{"*:error_rate=lots", "", emulator.FaultRule{}, "is not a number"},
		{"*:status=500|x", "", emulator.FaultRule{}, "is not a number"},
		{"*:colour=1", "", emulator.FaultRule{}, `unknown field "colour"`},
		// The shorthand is read by the same parser as the file and the admin API,
		// which checks it.
		{"*:error_rate=2", "", emulator.FaultRule{}, "error_rate must be between 0 and 1"},
		{"GET /connxt/v2/nope:error_rate=1", "", emulator.FaultRule{}, "neither"},
	}
	for _, tc := range tests {
		key, rule, err := parseFault(tc.spec)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil || key != tc.key || !reflect.DeepEqual(rule, tc.rule) {
			t.Errorf("%q: %q %+v %v", tc.spec, key, rule, err)
		}
	}
	if rl, err := parseRateLimit("5,10"); err != nil || rl != (emulator.RateLimit{RPS: 5, Burst: 10}) {
		t.Errorf("rate limit 5,10: %+v %v", rl, err)
	}
	if rl, err := parseRateLimit("2.5"); err != nil || rl != (emulator.RateLimit{RPS: 2.5, Burst: 3}) {
		t.Errorf("rate limit 2.5: %+v %v", rl, err)
	}
	for _, v := range []string{"fast", "-1", "1,x"} {
		if _, err := parseRateLimit(v); err == nil {
			t.Errorf("rate limit %q accepted", v)
		}
	}
}

func TestFaultSettingsCombineFileAndFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "faults.json")
	doc := `{"rules":{"*":{"error_rate":0.1},"GET /connxt/v2/psps":{"latency_ms":9}},"rate_limit":{"rps":1},"seed":3}`
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := faultSettings(file, []string{"*:drop_rate=0.5"}, "7,8")
	if err != nil {
		t.Fatal(err)
	}
	if s.Rules["*"].DropRate != 0.5 || s.Rules["*"].ErrorRate != 0 || s.Rules["GET /connxt/v2/psps"].LatencyMS != 9 ||
		s.RateLimit != (emulator.RateLimit{RPS: 7, Burst: 8}) || s.Seed == nil || *s.Seed != 3 {
		t.Fatalf("combined settings %+v", s)
	}
	if err := os.WriteFile(file, []byte(`{"rulez":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := faultSettings(file, nil, ""); err == nil {
		t.Fatal("unknown key in the faults file accepted")
	}
	for _, args := range [][]string{
		{"--fault", "GET /connxt/v2/nope:error_rate=1"},
		{"--fault", "*:error_rate=2"},
		{"--rate-limit", "-1"},
		{"--faults-file", filepath.Join(t.TempDir(), "missing.json")},
	} {
		var stderr bytes.Buffer
		if code := run(t.Context(), args, &bytes.Buffer{}, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}

func TestBinaryFaultFlags(t *testing.T) {
	bin := buildBinary(t)
	cmd, url, _, _ := startBinary(t, bin, "--listen", "127.0.0.1:0", "--quiet", "--seed", "1",
		"--fault", "GET /connxt/v2/psps:error_rate=1,status=503", "--rate-limit", "0.5,3")
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	get := func(path string) int {
		req, _ := http.NewRequest(http.MethodGet, url+path, nil)
		req.Header.Set(connxt.TokenHeader, emulator.DefaultToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(connxt.APIPrefix + connxt.PathPSPs); got != 503 {
		t.Fatalf("--fault not applied: %d", got)
	}
	if got := get(connxt.APIPrefix + connxt.PathFlowTypeDefinitions + "?type=PSP"); got != 200 {
		t.Fatalf("unrelated route: %d", got)
	}
	// Burst 3 is used up by now (two requests above, one here); the next is limited.
	get(connxt.APIPrefix + connxt.PathFlowTypeDefinitions + "?type=PSP")
	if got := get(connxt.APIPrefix + connxt.PathFlowTypeDefinitions + "?type=PSP"); got != 429 {
		t.Fatalf("--rate-limit not applied: %d", got)
	}
}
