package connxt_test

import (
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

func TestIsProduction(t *testing.T) {
	for base, want := range map[string]bool{
		connxt.ProductionBaseURL:             true,
		"https://API.Connect.Fynxt.io":       true,
		"https://api.connect.fynxt.io:443":   true,
		"https://api.connect.fynxt.io:8443":  false,
		connxt.DevelopmentBaseURL:            false,
		"http://127.0.0.1:8080":              false,
		"https://api.connect.fynxt.io.local": false,
	} {
		if got := connxt.IsProduction(base); got != want {
			t.Errorf("IsProduction(%q) = %v, want %v", base, got, want)
		}
	}
}
