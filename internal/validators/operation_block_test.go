package validators_test

import (
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/validators"
)

func TestOperationBlockWords(t *testing.T) {
	for _, tc := range []struct{ action, attribute, want string }{
		{"fat_a", "flow_definition_id", `the operation block with flow_action_id = "fat_a", attribute flow_definition_id`},
		{"fat_a", "", `the operation block with flow_action_id = "fat_a"`},
		{"", "status", "an operation block, attribute status"},
		{"", "", "an operation block"},
	} {
		if got := validators.OperationBlockWords(tc.action, tc.attribute); got != tc.want {
			t.Errorf("OperationBlockWords(%q, %q) = %q, want %q", tc.action, tc.attribute, got, tc.want)
		}
	}
}
