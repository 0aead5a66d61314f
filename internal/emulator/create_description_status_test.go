package emulator_test

import (
	"net/http"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// TestCreateTakesDescriptionAndStatus: like Connxt's create DTO, the create accepts a
// description and a status, so that a PSP can be created DISABLED in one call; an
// invalid status is refused like on update.
func TestCreateTakesDescriptionAndStatus(t *testing.T) {
	e := start(t, emulator.Options{})
	body := validSticpay("Described").with("description", "EU deposits").with("status", connxt.StatusDisabled)
	var p connxt.PSP
	e.do(http.MethodPost, createPath, emulator.DefaultToken, body).expectOK(t, http.StatusCreated, &p)
	if p.Status != connxt.StatusDisabled || p.Description == nil || *p.Description != "EU deposits" {
		t.Fatalf("want a DISABLED PSP with its description, got status %q, description %v", p.Status, p.Description)
	}
	bad := validSticpay("Lower-case").with("status", "disabled")
	e.do(http.MethodPost, createPath, emulator.DefaultToken, bad).expectError(t, http.StatusBadRequest, connxt.CodeValidation, "status")
}
